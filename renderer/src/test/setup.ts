// Testing Library unmounts after each test only when test globals exist; ours are imported.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

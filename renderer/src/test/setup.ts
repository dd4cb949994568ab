// Testing Library unmounts after each test only when test globals exist; ours are imported.
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// waitFor/findBy give up after 1 s by default: on a 2-core CI machine running other suites beside
// these, a render can take longer than that. A real failure still fails, only later.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => cleanup());

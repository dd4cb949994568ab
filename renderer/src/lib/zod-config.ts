/**
 * Imported first by main.tsx, before any schema is built: the host's CSP forbids eval, and zod
 * otherwise probes `new Function` (which the browser reports as a CSP violation) to speed up parsing.
 */
import { z } from 'zod';

z.config({ jitless: true });

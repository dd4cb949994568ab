/**
 * What `zod` means in the renderer's build: vite.config.ts resolves the bare name here, so every
 * module that builds a schema gets zod configured first. The host's CSP forbids eval, and zod
 * otherwise probes `new Function` (which the browser reports as a CSP violation) to speed up
 * parsing. An alias rather than a first import in main.tsx: schemas are built in several chunks
 * (start-up and per screen), and a chunk main.tsx imports is run before main.tsx's own code.
 */
import { z } from 'zod/v4';

z.config({ jitless: true });

export * from 'zod/v4';
export { default } from 'zod/v4';

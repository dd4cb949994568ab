import { defineConfig } from 'drizzle-kit';

/**
 * drizzle-kit config of the back-office host's local SQLite store: `npm run db:generate:host`.
 * It lives here rather than at the root so the node tsconfig (which includes electron/) covers it.
 */
export default defineConfig({
  dialect: 'sqlite',
  schema: './electron/host/db/schema.ts',
  out: './electron/host/db/migrations',
});

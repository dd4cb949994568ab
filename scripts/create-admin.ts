/**
 * npm run create-admin -- --email E --password P [--name N]
 * Creates an admin, or promotes the existing account with that e-mail and sets its password.
 * On PGlite, stop the server first: an embedded database has one process at a time.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { emailField, passwordField } from '../shared/api/common.schemas.js';
import { ensureAdmin } from '../server/modules/users/bootstrap.js';
import { loadDotEnv, runCli, withConfiguredDatabase } from './lib/cli.js';

const args = z.object({
  email: emailField,
  password: passwordField,
  name: z.string().trim().min(1).max(120).optional(),
});

async function main(): Promise<number> {
  loadDotEnv();
  const { values } = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  const parsed = args.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
    console.error(
      'usage: npm run create-admin -- --email you@example.com --password "at least 8 chars" [--name "Your Name"]',
    );
    return 64;
  }
  return withConfiguredDatabase(async (database) => {
    const result = await ensureAdmin(database.db, { ...parsed.data, resetPassword: true });
    console.log(`Admin ${parsed.data.email}: ${result} (${database.location})`);
    return 0;
  });
}

runCli(main);

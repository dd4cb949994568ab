/**
 * A migrated, empty PGlite data directory, made once per set of migrations and kept as a tarball
 * in the OS temp dir. Every server test file opens its own in-memory PGlite: starting one from
 * this dump skips initdb and the migrations, about 2 s instead of 8 s on the 2-core CI machine
 * (measured under the suite's load), and the suite opens a hundred or so.
 *
 * The key covers the migrations' names and contents and PGlite's version, so a new migration or
 * upgrade makes a new template. Workers racing to make the first one each write their own file
 * and rename it into place (atomic), so a reader never sees half a file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_DIR, PGLITE_EXTENSIONS, openDatabase } from '../db/client.js';

function templateKey(): string {
  const hash = createHash('sha256');
  // The package's exports hide its package.json: read it beside the resolved entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  hash.update(readFileSync(path.join(dir, 'package.json')));
  const files = readdirSync(MIGRATIONS_DIR, { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files) {
    const full = path.join(MIGRATIONS_DIR, file);
    if (!file.endsWith('.sql') && !file.endsWith('.json')) continue;
    hash.update(`${file}\n`).update(readFileSync(full));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The template's path; made (migrated from scratch) when missing. */
export async function migratedPgliteTemplate(): Promise<string> {
  const file = path.join(tmpdir(), `nexus-pglite-template-${templateKey()}.tar`);
  if (existsSync(file)) return file;
  const client = new PGlite({ extensions: PGLITE_EXTENSIONS });
  try {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_DIR });
    const dump = await client.dumpDataDir('none');
    const partial = `${file}.${process.pid}.${Date.now()}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  } finally {
    await client.close();
  }
  return file;
}

/** An in-memory PGlite database with every migration applied, from the template. */
export async function openMigratedPglite() {
  const template = await migratedPgliteTemplate();
  const database = await openDatabase({ pgliteDir: 'memory', pgliteDump: new Blob([readFileSync(template)]) });
  // Applies nothing when the template is current; a safety net if it is not.
  await database.migrate();
  return database;
}

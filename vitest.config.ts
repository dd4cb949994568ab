import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { tcpAnswers } from './scripts/lib/tcp.js';

const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Real Postgres is used when TEST_DATABASE_URL is set (then it must answer) or 127.0.0.1:5432 answers. */
const postgresReachable = (url: string) => tcpAnswers(url, 5432);

export default defineConfig(async () => {
  const explicit = process.env.TEST_DATABASE_URL;
  const pgUrl = explicit ?? DEFAULT_PG;
  const withPostgres = await postgresReachable(pgUrl);
  if (explicit && !withPostgres)
    throw new Error(`TEST_DATABASE_URL is set but ${new URL(explicit).host} does not answer`);
  const databases = ['PGlite (in memory)', ...(withPostgres ? [`PostgreSQL (${new URL(pgUrl).host})`] : [])];
  console.log(`\nServer tests run on: ${databases.join(' and ')}\n`);

  // *.server.test.ts under electron/: the back-office host against a real server (both databases).
  const serverFiles = ['server/**/*.test.ts', 'scripts/**/*.test.ts', 'electron/**/*.server.test.ts'];
  const unitFiles = ['**/*.unit.test.ts'];
  const common = { testTimeout: 30_000, hookTimeout: 60_000, exclude: ['node_modules/**', 'dist/**'] };
  // Server files share one module graph per worker instead of re-importing the whole server for
  // each file (that import was about a third of the suite's time). They can: no server test mocks
  // modules or timers, and each builds its own app and database.
  const shared = { isolate: false };
  return {
    test: {
      projects: [
        { test: { ...common, name: 'unit', include: ['shared/**/*.test.ts', ...unitFiles] } },
        // The back-office host's local store and sync engine: plain Node, SQLite files under the OS temp dir.
        {
          test: {
            ...common,
            name: 'host',
            include: ['electron/**/*.test.ts'],
            exclude: [...common.exclude, 'electron/**/*.server.test.ts'],
            environment: 'node',
          },
        },
        // The back-office UI: React components and stores in a simulated DOM.
        {
          plugins: [react()],
          test: {
            ...common,
            name: 'renderer',
            include: ['renderer/**/*.test.{ts,tsx}'],
            exclude: [...common.exclude, ...unitFiles],
            environment: 'happy-dom',
            setupFiles: ['renderer/src/test/setup.ts'],
          },
        },
        {
          test: {
            ...common,
            ...shared,
            name: 'server:pglite',
            include: serverFiles,
            exclude: [...common.exclude, ...unitFiles],
            env: { TEST_DB: 'pglite' },
          },
        },
        ...(withPostgres
          ? [
              {
                test: {
                  ...common,
                  ...shared,
                  name: 'server:postgres',
                  include: serverFiles,
                  exclude: [...common.exclude, ...unitFiles],
                  env: { TEST_DB: 'postgres', TEST_DATABASE_URL: pgUrl },
                },
              },
            ]
          : []),
        // The back-office in Chromium against a real server (e2e/kit): one file at a time, since each
        // starts a server, a host and a browser on a 2-core machine. The renderer is built first if stale.
        {
          test: {
            ...common,
            name: 'e2e',
            include: ['e2e/**/*.e2e.test.ts'],
            environment: 'node',
            globalSetup: ['e2e/kit/global-setup.ts'],
            fileParallelism: false,
            testTimeout: 90_000,
            hookTimeout: 120_000,
            env: { E2E_POSTGRES_URL: withPostgres ? pgUrl : '' },
          },
        },
      ],
    },
  };
});

import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Two projects:
// - `gateway`: everything that runs on one database — the embedded PGlite by default, the
//   real PostgreSQL when TEST_DATABASE_URL is set. Each test file gets its own database.
// - `server`: tests that need a real server (several processes, Redis, fault injection).
//   Selected only when TEST_DATABASE_URL is set; CI's PostgreSQL pass always sets it.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

// One `graphql` for everything: Node (and so Pothos and yoga, loaded from node_modules)
// resolves the package to its CommonJS entry, while Vite would give transformed source files
// the `.mjs` one; schema objects from one copy then fail graphql's realm checks in the other.
const resolve = {
  alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'gateway',
          include: ['test/**/*.test.ts'],
          exclude: ['test/server/**'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      ...(onPostgres
        ? [
            {
              resolve,
              test: {
                name: 'server',
                include: ['test/server/**/*.test.ts'],
                globalSetup: ['test/support/global-setup.ts'],
                testTimeout: 60_000,
                hookTimeout: 60_000,
                pool: 'forks' as const,
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});

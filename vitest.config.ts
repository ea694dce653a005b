import { defineConfig } from 'vitest/config';

// Two projects:
// - `gateway`: everything that runs on one database — the embedded PGlite by default, the
//   real PostgreSQL when TEST_DATABASE_URL is set. Each test file gets its own database.
// - `server`: tests that need a real server (several processes, Redis, fault injection).
//   Selected only when TEST_DATABASE_URL is set; CI's PostgreSQL pass always sets it.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
  test: {
    projects: [
      {
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

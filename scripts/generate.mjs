// Generates the Prisma client and the Pothos Prisma types (run by `npm install`).
// `prisma generate` never runs the schema engine, but every Prisma CLI command first tries to
// download that binary, which fails on machines without Prisma's binary host. Pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file (here: the node binary) stops the download;
// it is set for this command only, so a real `prisma migrate` elsewhere keeps working.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);

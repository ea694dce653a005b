// npm run db:seed -- --customers N [--seed S] [--users U]
// Appends deterministic test data (customers with addresses and orders, users) to the
// database: PostgreSQL when DATABASE_URL is set, else the embedded PGlite in DATA_DIR
// (default ./data; not while the server holds it). Pending migrations are applied first.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { DataDirBusyError } from '../src/db/data-dir-lock.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrations.js';
import { seed } from '../src/db/seed.js';

const started = performance.now();
const USAGE = 'usage: npm run db:seed -- --customers <N> [--seed <S>] [--users <U>]';

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function nonNegativeInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    fail(`--${name} must be a non-negative integer\n${USAGE}`, 2);
  }
  return Number(value);
}

function readArgs() {
  try {
    return parseArgs({
      options: {
        customers: { type: 'string', short: 'n' },
        seed: { type: 'string' },
        users: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

const args = readArgs();
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const customers = nonNegativeInt('customers', args.customers);
if (customers === undefined) fail(USAGE, 2);
const seedValue = nonNegativeInt('seed', args.seed) ?? Math.floor(Math.random() * 2 ** 31);
if (seedValue > 0xffffffff) fail('--seed must be below 2^32', 2);
const users = nonNegativeInt('users', args.users);

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}

let db: Database;
try {
  db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
} catch (error) {
  if (error instanceof DataDirBusyError) fail(error.message);
  throw error;
}

const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
const tty = Boolean(process.stdout.isTTY);
let seedStarted = started;
const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);

function progress(done: number, total: number): void {
  if (!tty || total === 0) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const percent = String(Math.floor((done / total) * 100)).padStart(3);
  process.stdout.write(
    `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% ${done}/${total} customers  ${seconds(seedStarted)}s`,
  );
}

try {
  const applied = await migrate(db);
  if (applied.length > 0) process.stdout.write(`applied migrations: ${applied.join(', ')}\n`);
  process.stdout.write(`seeding ${customers} customers (seed ${seedValue}) into ${where}\n`);
  seedStarted = performance.now();
  const summary = await seed(db, {
    customers,
    seed: seedValue,
    ...(users !== undefined ? { users } : {}),
    onProgress: progress,
  });
  if (tty) process.stdout.write('\n');
  process.stdout.write(
    `wrote ${summary.customers} customers, ${summary.addresses} addresses, ${summary.orders} orders, ` +
      `${summary.users} users in ${seconds(seedStarted)}s (${seconds(started)}s with opening and migrating)\n`,
  );
} catch (error) {
  if (tty) process.stdout.write('\n');
  process.stderr.write(`seeding failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
// Everything is closed; do not wait for timers left behind by the Wasm schema engine after
// applying migrations (a 10 s timeout would otherwise hold the process open).
process.exit();

/**
 * The seeder: deterministic for a seed on a fresh database, realistic, appending, and
 * consistent with every rule the database and the contract impose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_EPOCH_END, type SeedSummary, seed, seedDemo } from '../../src/db/seed.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { STATS_MISMATCH_COUNT_SQL } from '../support/stats.js';

const TABLES = ['users', 'customers', 'customer_addresses', 'orders'] as const;

/** One hash per table over every column of every row, in id order. */
async function tableHashes(db: TestDatabase): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const table of TABLES) {
    const rows = await db.prisma.$queryRawUnsafe<{ hash: string | null; n: bigint }[]>(
      `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), '')) AS hash, count(*) AS n FROM "${table}" AS t`,
    );
    hashes[table] = `${rows[0]!.n}:${rows[0]!.hash}`;
  }
  return hashes;
}

async function count(db: TestDatabase, sql: string): Promise<number> {
  const rows = await db.prisma.$queryRawUnsafe<{ n: bigint | number }[]>(sql);
  return Number(rows[0]!.n);
}

async function tableCounts(db: TestDatabase): Promise<SeedSummary> {
  return {
    users: await count(db, 'SELECT count(*) AS n FROM users'),
    customers: await count(db, 'SELECT count(*) AS n FROM customers'),
    addresses: await count(db, 'SELECT count(*) AS n FROM customer_addresses'),
    orders: await count(db, 'SELECT count(*) AS n FROM orders'),
  };
}

let first: TestDatabase;
let second: TestDatabase;
/** For the tests that start from an empty store of their own. */
let scratch: TestDatabase;
let summary: SeedSummary;
let secondSummary: SeedSummary;
let hashes: { first: Record<string, string>; second: Record<string, string> };
let counts: SeedSummary;

beforeAll(async () => {
  [first, second, scratch] = await Promise.all([
    createTestDatabase(),
    createTestDatabase(),
    createTestDatabase(),
  ]);
  [summary, secondSummary] = await Promise.all([
    seed(first, { customers: 400, seed: 12345 }),
    // Many small batches (on PostgreSQL two at a time) must give the very same rows.
    seed(second, { customers: 400, seed: 12345, batchSize: 37 }),
  ]);
  hashes = { first: await tableHashes(first), second: await tableHashes(second) };
  counts = await tableCounts(first);
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close(), scratch?.close()]);
});

async function emptyScratch(): Promise<TestDatabase> {
  await scratch.prisma
    .$executeRaw`TRUNCATE orders, customer_addresses, customers, users RESTART IDENTITY CASCADE`;
  return scratch;
}

describe('seed', () => {
  it('is deterministic: the same seed on two fresh databases writes identical rows, whatever the batch size', async () => {
    expect(secondSummary).toEqual(summary);
    expect(hashes.second).toEqual(hashes.first);
    expect(summary.customers).toBe(400);
    expect(summary.addresses).toBeGreaterThan(400);
    expect(summary.orders).toBeGreaterThan(800);
    expect(summary.users).toBeGreaterThan(100);
    expect(counts).toEqual(summary);
  });

  it('reports progress per batch up to the total', async () => {
    const calls: [number, number][] = [];
    await seed(await emptyScratch(), {
      customers: 25,
      seed: 99,
      batchSize: 10,
      users: 0,
      onProgress: (d, t) => calls.push([d, t]),
    });
    expect(calls).toEqual([
      [0, 25],
      [10, 25],
      [20, 25],
      [25, 25],
    ]);
  });

  it('keeps the address-book invariant: exactly one primary per (customer, type) with addresses', async () => {
    expect(
      await count(
        first,
        `SELECT count(*) AS n FROM (
           SELECT customer_id, type FROM customer_addresses GROUP BY customer_id, type
           HAVING count(*) FILTER (WHERE is_primary) <> 1) AS bad`,
      ),
    ).toBe(0);
    const perCustomer = await first.prisma.$queryRaw<{ max: number; without: bigint }[]>`
      SELECT max(n)::int AS max, count(*) FILTER (WHERE n = 0) AS without
        FROM (SELECT c.id, count(a.id) AS n FROM customers c LEFT JOIN customer_addresses a ON a.customer_id = c.id
               GROUP BY c.id) AS x`;
    expect(perCustomer[0]!.max).toBeLessThanOrEqual(4);
    expect(Number(perCustomer[0]!.without)).toBeGreaterThan(0);
    expect(
      await count(first, `SELECT count(*) AS n FROM customer_addresses WHERE country !~ '^[A-Z]{2}$'`),
    ).toBe(0);
    expect(await count(first, 'SELECT count(DISTINCT country) AS n FROM customer_addresses')).toBeGreaterThan(
      5,
    );
  });

  it('writes stats equal to a recomputation from the orders', async () => {
    expect(await count(first, STATS_MISMATCH_COUNT_SQL)).toBe(0);
    expect(await count(first, 'SELECT count(*) AS n FROM customers WHERE order_count > 0')).toBeGreaterThan(
      100,
    );
  });

  it('writes plausible orders: refunds within totals, several currencies and statuses, after the customer', async () => {
    expect(
      await count(
        first,
        'SELECT count(*) AS n FROM orders WHERE refunded_amount > total_amount OR total_amount < 0',
      ),
    ).toBe(0);
    expect(await count(first, 'SELECT count(DISTINCT currency) AS n FROM orders')).toBeGreaterThanOrEqual(4);
    expect(await count(first, 'SELECT count(DISTINCT payment_status) AS n FROM orders')).toBe(6);
    expect(await count(first, 'SELECT count(DISTINCT status) AS n FROM orders')).toBeGreaterThanOrEqual(6);
    expect(
      await count(
        first,
        `SELECT count(*) AS n FROM orders o JOIN customers c ON c.id = o.customer_id
          WHERE o.created_at < c.created_at OR o.updated_at < o.created_at`,
      ),
    ).toBe(0);
    expect(
      await count(
        first,
        'SELECT max(n) AS n FROM (SELECT count(*) AS n FROM orders GROUP BY customer_id) AS x',
      ),
    ).toBeLessThanOrEqual(10);
    expect(await count(first, 'SELECT count(*) AS n FROM orders WHERE customer_id IS NULL')).toBe(0);
  });

  it('writes plausible customers: unique emails, valid phones, both statuses, ~3 years of sign-ups', async () => {
    expect(
      await count(first, 'SELECT count(*) - count(DISTINCT lower(email::text)) AS n FROM customers'),
    ).toBe(0);
    expect(
      await count(
        first,
        `SELECT count(*) AS n FROM customers
          WHERE email::text !~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'
             OR (phone IS NOT NULL AND phone !~ '^[0-9 +().-]{1,32}$')`,
      ),
    ).toBe(0);
    expect(await count(first, 'SELECT count(*) AS n FROM customers WHERE phone IS NULL')).toBeGreaterThan(0);
    expect(
      await count(first, `SELECT count(*) AS n FROM customers WHERE status = 'inactive'`),
    ).toBeGreaterThan(0);
    expect(
      await count(first, `SELECT count(*) AS n FROM customers WHERE additional_info = '{}'`),
    ).toBeGreaterThan(0);
    expect(
      await count(first, `SELECT count(*) AS n FROM customers WHERE additional_info <> '{}'`),
    ).toBeGreaterThan(0);
    const [span] = await first.prisma.$queryRaw<{ days: number; latest: Date }[]>`
      SELECT extract(day FROM max(created_at) - min(created_at))::int AS days,
             greatest(max(c.updated_at), (SELECT max(updated_at) FROM orders)) AS latest
        FROM customers c`;
    expect(span!.days).toBeGreaterThan(2 * 365);
    expect(span!.latest.getTime()).toBeLessThanOrEqual(SEED_EPOCH_END * 1000);
  });

  it('writes users: mostly role customer, some linked to customers, some attachable', async () => {
    const [u] = await first.prisma.$queryRaw<{ total: bigint; customers: bigint; linked: bigint }[]>`
      SELECT count(*) AS total,
             count(*) FILTER (WHERE role = 'customer') AS customers,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM customers c WHERE c.user_id = u.id)) AS linked
        FROM users u`;
    const total = Number(u!.total);
    expect(Number(u!.customers)).toBeGreaterThan(total * 0.8);
    expect(Number(u!.linked)).toBeGreaterThan(0);
    expect(Number(u!.linked)).toBeLessThan(total); // the rest are attachable
    expect(await count(first, `SELECT count(*) AS n FROM users WHERE role = 'administrator'`)).toBe(0);
  });

  it('leaves the stats trigger enabled', async () => {
    const rows = await first.prisma.$queryRaw<{ enabled: string }[]>`
      SELECT tgenabled::text AS enabled FROM pg_trigger
       WHERE tgrelid = 'orders'::regclass AND tgname = 'orders_stats_insert'`;
    expect(rows).toEqual([{ enabled: 'O' }]);
  });

  it('appends when run again (even with the same seed), keeping emails unique and stats exact', async () => {
    const before = await tableCounts(first);
    const more = await seed(first, { customers: 150, seed: 12345 });
    expect(more.customers).toBe(150);
    expect(await tableCounts(first)).toEqual({
      users: before.users + more.users,
      customers: before.customers + more.customers,
      addresses: before.addresses + more.addresses,
      orders: before.orders + more.orders,
    });
    expect(
      await count(first, 'SELECT count(*) - count(DISTINCT lower(email::text)) AS n FROM customers'),
    ).toBe(0);
    expect(await count(first, STATS_MISMATCH_COUNT_SQL)).toBe(0);
  });

  it('skips a generated customer whose email is already taken, with its addresses and orders', async () => {
    const db = await emptyScratch();
    // Predict the first generated customer's email from a fresh run, then take it by hand.
    await seed(db, { customers: 1, seed: 5, users: 0 });
    const [taken] = await db.prisma.$queryRaw<
      { email: string }[]
    >`SELECT email::text AS email FROM customers`;
    await db.prisma
      .$executeRaw`TRUNCATE orders, customer_addresses, customers, users RESTART IDENTITY CASCADE`;
    await db.prisma
      .$executeRaw`INSERT INTO customers (id, email) VALUES (1000, ${taken!.email.toUpperCase()})`;

    const summary = await seed(db, { customers: 3, seed: 5, users: 0 });
    expect(summary.customers).toBe(2);
    expect(await count(db, 'SELECT count(*) AS n FROM customers')).toBe(3);
    expect(await count(db, 'SELECT count(*) AS n FROM orders')).toBe(summary.orders);
    expect(await count(db, 'SELECT count(*) AS n FROM customer_addresses')).toBe(summary.addresses);
    expect(await count(db, STATS_MISMATCH_COUNT_SQL)).toBe(0);
  });

  it('a failing batch fails the seed without hanging, keeps whole batches only and the trigger enabled', async () => {
    const db = await emptyScratch();
    await db.prisma
      .$executeRaw`ALTER TABLE orders ADD CONSTRAINT seed_test_small_orders CHECK (total_amount < 20000)`;
    try {
      await expect(seed(db, { customers: 300, seed: 3, batchSize: 20 })).rejects.toThrow(
        /seed_test_small_orders|earlier batch failed/,
      );
    } finally {
      await db.prisma.$executeRaw`ALTER TABLE orders DROP CONSTRAINT seed_test_small_orders`;
    }
    expect((await count(db, 'SELECT count(*) AS n FROM customers')) % 20).toBe(0);
    expect(await count(db, STATS_MISMATCH_COUNT_SQL)).toBe(0);
    const rows = await db.prisma.$queryRaw<{ enabled: string }[]>`
      SELECT tgenabled::text AS enabled FROM pg_trigger
       WHERE tgrelid = 'orders'::regclass AND tgname = 'orders_stats_insert'`;
    expect(rows).toEqual([{ enabled: 'O' }]);
  });

  it('with a different seed writes different data', async () => {
    const db = await emptyScratch();
    await seed(db, { customers: 400, seed: 54321 });
    const other = await tableHashes(db);
    expect(other.customers).not.toEqual(hashes.first.customers);
    expect(other.orders).not.toEqual(hashes.first.orders);
  });
});

describe('seedDemo', () => {
  it('writes 50 customers and users that are mostly customers, some attachable', async () => {
    const db = await emptyScratch();
    const summary = await seedDemo(db);
    expect(summary.customers).toBe(50);
    expect(await tableCounts(db)).toEqual(summary);
    const [u] = await db.prisma.$queryRaw<{ total: bigint; customers: bigint; attachable: bigint }[]>`
      SELECT count(*) AS total,
             count(*) FILTER (WHERE role = 'customer') AS customers,
             count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.user_id = u.id)) AS attachable
        FROM users u`;
    expect(Number(u!.customers)).toBeGreaterThan(Number(u!.total) / 2);
    expect(Number(u!.attachable)).toBeGreaterThanOrEqual(5);
    expect(Number(u!.total) - Number(u!.attachable)).toBeGreaterThan(0);
    expect(await count(db, STATS_MISMATCH_COUNT_SQL)).toBe(0);
    expect(await count(db, 'SELECT count(*) AS n FROM orders')).toBeGreaterThan(50);
  });
});

/**
 * Customer stats (contract, "Stats") are maintained by the database whoever writes the
 * orders: every write here is raw SQL, never the application.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { STATS_MISMATCHES_SQL } from '../support/stats.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});
beforeEach(async () => {
  await db.prisma.$executeRaw`TRUNCATE orders, customer_addresses, customers, users RESTART IDENTITY CASCADE`;
});

type Pay = 'pending' | 'paid' | 'partially_paid' | 'partially_refunded' | 'refunded' | 'failed';
const PAYMENT_STATUSES: readonly Pay[] = [
  'pending',
  'paid',
  'partially_paid',
  'partially_refunded',
  'refunded',
  'failed',
];

/** Customers whose stored stats differ from a from-scratch recomputation. */
async function statsMismatches(): Promise<unknown[]> {
  return db.prisma.$queryRawUnsafe<unknown[]>(STATS_MISMATCHES_SQL);
}

async function createCustomer(email: string, updatedAt = '2024-01-01T00:00:00Z'): Promise<bigint> {
  const [row] = await db.prisma.$queryRaw<{ id: bigint }[]>`
    INSERT INTO customers (email, created_at, updated_at)
    VALUES (${email}, ${'2023-01-01T00:00:00Z'}::timestamptz, ${updatedAt}::timestamptz)
    RETURNING id`;
  return row!.id;
}

async function insertOrder(
  customerId: bigint | null,
  pay: Pay,
  total: number,
  refunded = 0,
  createdAt = '2024-06-01T12:00:00Z',
): Promise<bigint> {
  const [row] = await db.prisma.$queryRaw<{ id: bigint }[]>`
    INSERT INTO orders (customer_id, payment_status, total_amount, refunded_amount, currency, created_at)
    VALUES (${customerId}, ${pay}::payment_status, ${total}, ${refunded}, 'USD', ${createdAt}::timestamptz)
    RETURNING id`;
  return row!.id;
}

interface Stats {
  totalSpent: number;
  orderCount: number;
  first: string | null;
  last: string | null;
}

async function stats(customerId: bigint): Promise<Stats> {
  const [row] = await db.prisma.$queryRaw<
    {
      total_spent: bigint;
      order_count: number;
      first_order_date: Date | null;
      last_order_date: Date | null;
    }[]
  >`SELECT total_spent, order_count, first_order_date, last_order_date FROM customers WHERE id = ${customerId}`;
  if (!row) throw new Error(`customer ${customerId} not found`);
  return {
    totalSpent: Number(row.total_spent),
    orderCount: row.order_count,
    first: row.first_order_date?.toISOString() ?? null,
    last: row.last_order_date?.toISOString() ?? null,
  };
}

const none: Stats = { totalSpent: 0, orderCount: 0, first: null, last: null };

describe('customer stats maintained by the database', () => {
  it('counts paid, partially_paid and partially_refunded orders, net of refunds', async () => {
    const c = await createCustomer('counted@example.com');
    await db.prisma.$executeRaw`
      INSERT INTO orders (customer_id, payment_status, total_amount, refunded_amount, currency, created_at)
      VALUES (${c}, 'pending', 1000, 0, 'USD', '2024-01-01T00:00:00Z'),
             (${c}, 'paid', 2000, 0, 'EUR', '2024-02-01T00:00:00Z'),
             (${c}, 'partially_paid', 3000, 0, 'GBP', '2024-03-01T00:00:00Z'),
             (${c}, 'partially_refunded', 4000, 1500, 'USD', '2024-04-01T00:00:00Z'),
             (${c}, 'refunded', 5000, 5000, 'USD', '2024-05-01T00:00:00Z'),
             (${c}, 'failed', 6000, 0, 'JPY', '2024-06-01T00:00:00Z')`;
    expect(await stats(c)).toEqual({
      totalSpent: 2000 + 3000 + (4000 - 1500),
      orderCount: 3,
      first: '2024-02-01T00:00:00.000Z',
      last: '2024-04-01T00:00:00.000Z',
    });
    expect(await statsMismatches()).toEqual([]);
  });

  it('a customer with only uncounted orders has zero stats and null dates', async () => {
    const c = await createCustomer('uncounted@example.com');
    await insertOrder(c, 'pending', 100);
    await insertOrder(c, 'refunded', 100, 100);
    await insertOrder(c, 'failed', 100);
    expect(await stats(c)).toEqual(none);
  });

  it('updating payment status, amounts and created_at updates the stats', async () => {
    const c = await createCustomer('updates@example.com');
    const a = await insertOrder(c, 'pending', 1000, 0, '2024-01-10T00:00:00Z');
    const b = await insertOrder(c, 'paid', 500, 0, '2024-03-10T00:00:00Z');
    expect(await stats(c)).toEqual({
      totalSpent: 500,
      orderCount: 1,
      first: '2024-03-10T00:00:00.000Z',
      last: '2024-03-10T00:00:00.000Z',
    });

    await db.prisma.$executeRaw`UPDATE orders SET payment_status = 'paid' WHERE id = ${a}`;
    expect(await stats(c)).toEqual({
      totalSpent: 1500,
      orderCount: 2,
      first: '2024-01-10T00:00:00.000Z',
      last: '2024-03-10T00:00:00.000Z',
    });

    await db.prisma.$executeRaw`
      UPDATE orders SET payment_status = 'partially_refunded', refunded_amount = 200 WHERE id = ${a}`;
    expect((await stats(c)).totalSpent).toBe(1300);

    await db.prisma.$executeRaw`UPDATE orders SET total_amount = 900 WHERE id = ${b}`;
    expect((await stats(c)).totalSpent).toBe(1700);

    await db.prisma.$executeRaw`UPDATE orders SET created_at = '2025-01-01T08:30:00Z' WHERE id = ${a}`;
    expect(await stats(c)).toMatchObject({
      first: '2024-03-10T00:00:00.000Z',
      last: '2025-01-01T08:30:00.000Z',
    });

    await db.prisma
      .$executeRaw`UPDATE orders SET payment_status = 'refunded', refunded_amount = total_amount`;
    expect(await stats(c)).toEqual(none);
    expect(await statsMismatches()).toEqual([]);
  });

  it('an update that changes nothing relevant (order status) leaves the stats as they are', async () => {
    const c = await createCustomer('status@example.com');
    const o = await insertOrder(c, 'paid', 700);
    await db.prisma.$executeRaw`UPDATE orders SET status = 'completed', updated_at = now() WHERE id = ${o}`;
    expect(await stats(c)).toMatchObject({ totalSpent: 700, orderCount: 1 });
  });

  it('moving an order to another customer updates both (and to no customer)', async () => {
    const from = await createCustomer('from@example.com');
    const to = await createCustomer('to@example.com');
    const o = await insertOrder(from, 'paid', 1200, 0, '2024-05-05T05:05:05Z');
    await insertOrder(from, 'paid', 300, 0, '2024-01-01T00:00:00Z');

    await db.prisma.$executeRaw`UPDATE orders SET customer_id = ${to} WHERE id = ${o}`;
    expect(await stats(from)).toEqual({
      totalSpent: 300,
      orderCount: 1,
      first: '2024-01-01T00:00:00.000Z',
      last: '2024-01-01T00:00:00.000Z',
    });
    expect(await stats(to)).toEqual({
      totalSpent: 1200,
      orderCount: 1,
      first: '2024-05-05T05:05:05.000Z',
      last: '2024-05-05T05:05:05.000Z',
    });

    await db.prisma.$executeRaw`UPDATE orders SET customer_id = NULL WHERE id = ${o}`;
    expect(await stats(to)).toEqual(none);

    // One statement moving every order of `from` to `to`.
    await db.prisma.$executeRaw`UPDATE orders SET customer_id = ${to} WHERE customer_id = ${from}`;
    expect(await stats(from)).toEqual(none);
    expect(await stats(to)).toMatchObject({ totalSpent: 300, orderCount: 1 });
    expect(await statsMismatches()).toEqual([]);
  });

  it('deleting orders updates the stats', async () => {
    const c = await createCustomer('delete-orders@example.com');
    const a = await insertOrder(c, 'paid', 100, 0, '2024-01-01T00:00:00Z');
    await insertOrder(c, 'paid', 200, 0, '2024-02-01T00:00:00Z');
    await db.prisma.$executeRaw`DELETE FROM orders WHERE id = ${a}`;
    expect(await stats(c)).toEqual({
      totalSpent: 200,
      orderCount: 1,
      first: '2024-02-01T00:00:00.000Z',
      last: '2024-02-01T00:00:00.000Z',
    });
    await db.prisma.$executeRaw`DELETE FROM orders WHERE customer_id = ${c}`;
    expect(await stats(c)).toEqual(none);
  });

  it('deleting a customer keeps its orders with customer_id null and other stats intact', async () => {
    const gone = await createCustomer('gone@example.com');
    const stays = await createCustomer('stays@example.com');
    await insertOrder(gone, 'paid', 100);
    await insertOrder(gone, 'pending', 100);
    await insertOrder(stays, 'paid', 250);

    await db.prisma.$executeRaw`DELETE FROM customers WHERE id = ${gone}`;
    const orphans = await db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM orders WHERE customer_id IS NULL`;
    expect(Number(orphans[0]!.n)).toBe(2);
    expect(await stats(stays)).toMatchObject({ totalSpent: 250, orderCount: 1 });

    // Orders without a customer can still be written.
    const [orphan] = await db.prisma.$queryRaw<
      { id: bigint }[]
    >`SELECT id FROM orders WHERE customer_id IS NULL LIMIT 1`;
    await db.prisma
      .$executeRaw`UPDATE orders SET payment_status = 'refunded', refunded_amount = total_amount WHERE id = ${orphan!.id}`;
    await db.prisma.$executeRaw`UPDATE orders SET customer_id = ${stays} WHERE customer_id IS NULL`;
    expect(await stats(stays)).toMatchObject({ totalSpent: 250, orderCount: 1 });
    await insertOrder(null, 'paid', 999);
    expect(await statsMismatches()).toEqual([]);
  });

  it('TRUNCATE orders resets every customer', async () => {
    const a = await createCustomer('t1@example.com');
    const b = await createCustomer('t2@example.com');
    await insertOrder(a, 'paid', 100);
    await insertOrder(b, 'partially_paid', 200);
    await db.prisma.$executeRaw`TRUNCATE orders`;
    expect(await stats(a)).toEqual(none);
    expect(await stats(b)).toEqual(none);
  });

  it('stats maintenance does not change customers.updated_at', async () => {
    const c = await createCustomer('updated-at@example.com', '2024-01-02T03:04:05Z');
    const other = await createCustomer('updated-at-2@example.com', '2024-01-02T03:04:05Z');
    const o = await insertOrder(c, 'paid', 100);
    await db.prisma.$executeRaw`UPDATE orders SET total_amount = 5000 WHERE id = ${o}`;
    await db.prisma.$executeRaw`UPDATE orders SET customer_id = ${other} WHERE id = ${o}`;
    await db.prisma.$executeRaw`DELETE FROM orders WHERE id = ${o}`;
    await insertOrder(c, 'paid', 100);
    await db.prisma.$executeRaw`TRUNCATE orders`;
    const rows = await db.prisma.$queryRaw<{ updated_at: Date }[]>`
      SELECT updated_at FROM customers ORDER BY id`;
    expect(rows.map((r) => r.updated_at.toISOString())).toEqual([
      '2024-01-02T03:04:05.000Z',
      '2024-01-02T03:04:05.000Z',
    ]);
  });

  it('recompute_all_customer_stats repairs stats written while the trigger was off', async () => {
    const c = await createCustomer('bulk@example.com');
    await db.prisma.$transaction([
      db.prisma.$executeRaw`ALTER TABLE orders DISABLE TRIGGER orders_stats_insert`,
      db.prisma.$executeRaw`
        INSERT INTO orders (customer_id, payment_status, total_amount, currency, created_at)
        VALUES (${c}, 'paid', 100, 'USD', '2024-01-01T00:00:00Z'), (${c}, 'paid', 50, 'USD', '2024-02-01T00:00:00Z')`,
      db.prisma.$executeRaw`ALTER TABLE orders ENABLE TRIGGER orders_stats_insert`,
    ]);
    expect(await stats(c)).toEqual(none);
    await db.prisma.$executeRaw`SELECT recompute_all_customer_stats()`;
    expect(await stats(c)).toMatchObject({ totalSpent: 150, orderCount: 2 });
    expect(await statsMismatches()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Property: any mix of order writes leaves every customer's stats equal to a recomputation.
// ---------------------------------------------------------------------------------------

const SLOTS = 5;
const pay = fc.constantFrom(...PAYMENT_STATUSES);
const slot = fc.nat({ max: SLOTS - 1 });
const pick = fc.nat({ max: 10_000 });
const amounts = fc.record({ total: fc.nat({ max: 100_000 }), refundedPct: fc.nat({ max: 100 }) });
const day = fc.nat({ max: 1000 });

const operation = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      rows: fc.array(fc.record({ slot: fc.option(slot, { freq: 8 }), pay, amounts, day }), {
        minLength: 1,
        maxLength: 4,
      }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('status' as const), pick, pay }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('amounts' as const), pick, amounts }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('move' as const), pick, slot: fc.option(slot, { freq: 5 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('createdAt' as const), pick, day }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('statusOfCustomer' as const), slot, pay }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('moveAll' as const), from: slot, to: slot }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteCustomer' as const), slot }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteWhere' as const), pay }) },
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

const timestamp = (d: number) => new Date(Date.UTC(2023, 0, 1) + d * 86_400_000 + (d % 7) * 3_600_000);
const refundedOf = (a: { total: number; refundedPct: number }) => Math.floor((a.total * a.refundedPct) / 100);

describe('customer stats under random order writes', () => {
  it('a seeded random mix of inserts, updates, moves and deletes never drifts from a recomputation', async () => {
    let customers: bigint[] = [];
    let created = 0;
    const newCustomer = async () => createCustomer(`prop-${created++}@example.com`);

    async function orderId(n: number): Promise<bigint | undefined> {
      const ids = await db.prisma.$queryRaw<{ id: bigint }[]>`SELECT id FROM orders ORDER BY id`;
      return ids.length === 0 ? undefined : ids[n % ids.length]!.id;
    }

    async function apply(op: Operation): Promise<void> {
      switch (op.kind) {
        case 'insert': {
          // One multi-row statement, possibly touching several customers.
          const values = op.rows.map((r) => ({
            customer_id: r.slot === null ? null : Number(customers[r.slot]!),
            pay: r.pay,
            total: r.amounts.total,
            refunded: refundedOf(r.amounts),
            created_at: timestamp(r.day),
          }));
          await db.prisma.$executeRaw`
            INSERT INTO orders (customer_id, payment_status, total_amount, refunded_amount, currency, created_at)
            SELECT x.customer_id, x.pay::payment_status, x.total, x.refunded, 'EUR', x.created_at
              FROM jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
                AS x(customer_id bigint, pay text, total bigint, refunded bigint, created_at timestamptz)`;
          return;
        }
        case 'status': {
          const id = await orderId(op.pick);
          if (id !== undefined) {
            await db.prisma
              .$executeRaw`UPDATE orders SET payment_status = ${op.pay}::payment_status WHERE id = ${id}`;
          }
          return;
        }
        case 'amounts': {
          const id = await orderId(op.pick);
          if (id !== undefined) {
            await db.prisma.$executeRaw`
              UPDATE orders SET total_amount = ${op.amounts.total}, refunded_amount = ${refundedOf(op.amounts)}
               WHERE id = ${id}`;
          }
          return;
        }
        case 'move': {
          const id = await orderId(op.pick);
          const to = op.slot === null ? null : customers[op.slot]!;
          if (id !== undefined)
            await db.prisma.$executeRaw`UPDATE orders SET customer_id = ${to} WHERE id = ${id}`;
          return;
        }
        case 'createdAt': {
          const id = await orderId(op.pick);
          if (id !== undefined) {
            await db.prisma.$executeRaw`UPDATE orders SET created_at = ${timestamp(op.day)} WHERE id = ${id}`;
          }
          return;
        }
        case 'delete': {
          const id = await orderId(op.pick);
          if (id !== undefined) await db.prisma.$executeRaw`DELETE FROM orders WHERE id = ${id}`;
          return;
        }
        case 'statusOfCustomer':
          await db.prisma.$executeRaw`
            UPDATE orders SET payment_status = ${op.pay}::payment_status WHERE customer_id = ${customers[op.slot]!}`;
          return;
        case 'moveAll':
          await db.prisma.$executeRaw`
            UPDATE orders SET customer_id = ${customers[op.to]!} WHERE customer_id = ${customers[op.from]!}`;
          return;
        case 'deleteCustomer':
          await db.prisma.$executeRaw`DELETE FROM customers WHERE id = ${customers[op.slot]!}`;
          customers[op.slot] = await newCustomer();
          return;
        case 'deleteWhere':
          await db.prisma.$executeRaw`DELETE FROM orders WHERE payment_status = ${op.pay}::payment_status`;
          return;
      }
    }

    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 150, maxLength: 300 }), async (ops) => {
        await db.prisma.$executeRaw`TRUNCATE orders, customers RESTART IDENTITY CASCADE`;
        customers = [];
        for (let i = 0; i < SLOTS; i++) customers.push(await newCustomer());
        for (const [i, op] of ops.entries()) {
          await apply(op);
          if (i % 50 === 49) expect(await statsMismatches()).toEqual([]);
        }
        expect(await statsMismatches()).toEqual([]);
      }),
      { seed: 20_261_127, numRuns: 3 },
    );
  });
});

/**
 * The customer counter (`customer_count_slots`, kept by statement triggers on customers) that
 * unfiltered lists read as their total: after any mix of writes — raw SQL, Prisma, several
 * connections at once, TRUNCATE — Σ n equals count(*), and the list total is that number.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCustomers } from '../../src/domain/customers/customer-queries.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function counted(): Promise<{ counter: number; rows: number }> {
  const [row] = await db.prisma.$queryRaw<{ counter: number; rows: number }[]>`
    SELECT (SELECT COALESCE(sum(n), 0)::int FROM customer_count_slots) AS counter,
           (SELECT count(*)::int FROM customers) AS rows`;
  return row!;
}

let serial = 0;
const email = () => `count-${++serial}@example.com`;

describe('customer counter', () => {
  it('follows multi-row inserts, deletes and TRUNCATE written in raw SQL', async () => {
    await db.prisma
      .$executeRaw`TRUNCATE orders, customer_addresses, customers, users RESTART IDENTITY CASCADE`;
    expect(await counted()).toEqual({ counter: 0, rows: 0 });
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO customers (email) SELECT 'bulk-' || g || '@example.com' FROM generate_series(1, 37) AS g`,
    );
    expect(await counted()).toEqual({ counter: 37, rows: 37 });
    await db.prisma.$executeRaw`DELETE FROM customers WHERE id % 3 = 0`;
    expect(await counted()).toEqual({ counter: 25, rows: 25 });
    await db.prisma.$executeRaw`DELETE FROM customers WHERE false`;
    expect(await counted()).toEqual({ counter: 25, rows: 25 });
    await db.prisma.$executeRaw`TRUNCATE customers CASCADE`;
    expect(await counted()).toEqual({ counter: 0, rows: 0 });
  });

  it('a rolled-back insert is not counted', async () => {
    const before = await counted();
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.customer.create({ data: { email: email() } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await counted()).toEqual(before);
  });

  it('a seeded random mix of concurrent creates and deletes never drifts from count(*), and the list total is it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constant('create' as const), fc.constant('delete' as const)), {
          minLength: 1,
          maxLength: 30,
        }),
        async (ops) => {
          await Promise.all(
            ops.map(async (op) => {
              if (op === 'create') await db.prisma.customer.create({ data: { email: email() } });
              else
                await db.prisma.$executeRaw`DELETE FROM customers WHERE id = (SELECT max(id) FROM customers)`;
            }),
          );
          const { counter, rows } = await counted();
          expect(counter).toBe(rows);
          const page = await listCustomers(db.prisma, {});
          expect(page.pagination.total).toBe(rows);
        },
      ),
      { seed: 20261127, numRuns: 15 },
    );
  });

  it('recount_customers rewrites the counter after writes made with the triggers off', async () => {
    await db.prisma.$executeRaw`ALTER TABLE customers DISABLE TRIGGER customers_count_insert`;
    try {
      await db.prisma.$executeRawUnsafe(
        `INSERT INTO customers (email) SELECT 'untracked-' || g || '@example.com' FROM generate_series(1, 5) AS g`,
      );
    } finally {
      await db.prisma.$executeRaw`ALTER TABLE customers ENABLE TRIGGER customers_count_insert`;
    }
    const drifted = await counted();
    expect(drifted.counter).toBe(drifted.rows - 5);
    await db.prisma.$executeRaw`SELECT recount_customers()`;
    const repaired = await counted();
    expect(repaired.counter).toBe(repaired.rows);
  });
});

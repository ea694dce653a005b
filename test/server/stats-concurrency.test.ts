/**
 * Customer stats stay exact when several connections write orders at once (contract:
 * "right even when other processes write orders"). PostgreSQL only: PGlite is one
 * connection. Every write is raw SQL on its own pooled connection, as another process would.
 */
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/db/seed.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { STATS_MISMATCHES_SQL } from '../support/stats.js';

const WORKERS = 8;

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase({ poolSize: WORKERS + 2 });
  pool = db.pool!;
});
afterAll(async () => {
  await db?.close();
});
beforeEach(async () => {
  await pool.query('TRUNCATE orders, customer_addresses, customers, users RESTART IDENTITY CASCADE');
});

const COUNTED = ['paid', 'partially_paid', 'partially_refunded'] as const;
const UNCOUNTED = ['pending', 'refunded', 'failed'] as const;

/** Customers whose stored stats differ from a from-scratch recomputation. */
async function statsMismatches(): Promise<unknown[]> {
  return (await pool.query(STATS_MISMATCHES_SQL)).rows;
}

async function createCustomers(n: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO customers (email) SELECT 'c' || g || '@example.com' FROM generate_series(1, $1::int) AS g
     RETURNING id::text AS id`,
    [n],
  );
  return rows.map((r) => r.id);
}

/** Runs `fn` on `n` dedicated connections at once; resolves with every failure. */
async function onConnections(n: number, fn: (client: pg.PoolClient, worker: number) => Promise<void>) {
  const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
  try {
    const results = await Promise.allSettled(clients.map((client, worker) => fn(client, worker)));
    return results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  } finally {
    for (const client of clients) client.release();
  }
}

describe('stats under concurrent writers (PostgreSQL)', () => {
  it('concurrent inserts for one customer from several connections give exact stats', async () => {
    const [customer] = await createCustomers(1);
    const expected = { total: 0, count: 0 };
    const errors = await onConnections(WORKERS, async (client, worker) => {
      const random = mulberry32(1000 + worker);
      for (let i = 0; i < 40; i++) {
        const rows = 1 + Math.floor(random() * 3);
        const values: unknown[] = [];
        const tuples: string[] = [];
        for (let r = 0; r < rows; r++) {
          const counted = random() < 0.7;
          const status = counted
            ? COUNTED[Math.floor(random() * COUNTED.length)]!
            : UNCOUNTED[Math.floor(random() * UNCOUNTED.length)]!;
          const total = 100 + Math.floor(random() * 10_000);
          const refunded =
            status === 'refunded' ? total : status === 'partially_refunded' ? Math.floor(total / 3) : 0;
          if (counted) {
            expected.total += total - refunded;
            expected.count += 1;
          }
          const p = values.length;
          tuples.push(
            `($${p + 1}::bigint, $${p + 2}::payment_status, $${p + 3}::bigint, $${p + 4}::bigint, 'USD', now() - ($${p + 5}::int * interval '1 hour'))`,
          );
          values.push(customer, status, total, refunded, Math.floor(random() * 5000));
        }
        // Some inserts sit in an open transaction for a moment, widening the race window.
        const slow = random() < 0.3;
        if (slow) await client.query('BEGIN');
        await client.query(
          `INSERT INTO orders (customer_id, payment_status, total_amount, refunded_amount, currency, created_at)
           VALUES ${tuples.join(', ')}`,
          values,
        );
        if (slow) {
          await client.query('SELECT pg_sleep(0.005)');
          await client.query('COMMIT');
        }
      }
    });
    expect(errors).toEqual([]);
    const { rows } = await pool.query<{ total_spent: string; order_count: number }>(
      'SELECT total_spent::text, order_count FROM customers WHERE id = $1',
      [customer],
    );
    expect(rows[0]).toEqual({ total_spent: String(expected.total), order_count: expected.count });
    expect(await statsMismatches()).toEqual([]);
  });

  it('an insert blocked behind an uncommitted insert for the same customer counts both once it commits', async () => {
    const [customer] = await createCustomers(1);
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      const { rows: pidRows } = await second.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const secondPid = pidRows[0]!.pid;
      await first.query('BEGIN');
      await first.query(
        `INSERT INTO orders (customer_id, payment_status, total_amount, currency) VALUES ($1, 'paid', 100, 'USD')`,
        [customer],
      );
      const blocked = second.query(
        `INSERT INTO orders (customer_id, payment_status, total_amount, currency) VALUES ($1, 'paid', 200, 'USD')`,
        [customer],
      );
      // Wait until the second writer is really waiting for the first one's row lock.
      for (;;) {
        const { rows } = await pool.query<{ waiting: boolean }>(
          `SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1`,
          [secondPid],
        );
        if (rows[0]?.waiting) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await first.query('COMMIT');
      await blocked;
    } finally {
      first.release();
      second.release();
    }
    const { rows } = await pool.query<{ total_spent: string; order_count: number }>(
      'SELECT total_spent::text, order_count FROM customers WHERE id = $1',
      [customer],
    );
    expect(rows[0]).toEqual({ total_spent: '300', order_count: 2 });
  });

  it('a concurrent mix of multi-customer inserts, updates, moves and deletes neither deadlocks nor drifts', async () => {
    const customers = await createCustomers(4);
    const errors = await onConnections(WORKERS, async (client, worker) => {
      const random = mulberry32(7000 + worker);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const anyStatus = () => pick([...COUNTED, ...UNCOUNTED]);
      const randomOrder = `SELECT id FROM orders ORDER BY id
                           OFFSET (SELECT floor($1::float8 * count(*))::int FROM orders) LIMIT 1`;
      for (let i = 0; i < 60; i++) {
        const op = random();
        if (op < 0.35) {
          // One statement for several customers, listed in random order.
          const targets = customers.filter(() => random() < 0.6);
          if (targets.length === 0) targets.push(pick(customers));
          targets.sort(() => random() - 0.5);
          await client.query(
            `INSERT INTO orders (customer_id, payment_status, total_amount, currency, created_at)
             SELECT t.id, t.status::payment_status, t.total, 'EUR', now() - (t.hours * interval '1 hour')
               FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::int[]) AS t(id, status, total, hours)`,
            [
              targets,
              targets.map(() => pick(COUNTED)),
              targets.map(() => 100 + Math.floor(random() * 1000)),
              targets.map(() => Math.floor(random() * 1000)),
            ],
          );
        } else if (op < 0.5) {
          await client.query(
            `UPDATE orders SET payment_status = $2::payment_status,
                               refunded_amount = CASE WHEN $2 = 'refunded' THEN total_amount ELSE 0 END
              WHERE id = (${randomOrder})`,
            [random(), anyStatus()],
          );
        } else if (op < 0.6) {
          await client.query(
            `UPDATE orders SET total_amount = total_amount + $2, created_at = created_at - interval '1 day'
              WHERE id = (${randomOrder})`,
            [random(), Math.floor(random() * 500)],
          );
        } else if (op < 0.75) {
          await client.query(`UPDATE orders SET customer_id = $2 WHERE id = (${randomOrder})`, [
            random(),
            random() < 0.1 ? null : pick(customers),
          ]);
        } else if (op < 0.85) {
          await client.query(`DELETE FROM orders WHERE id = (${randomOrder})`, [random()]);
        } else if (op < 0.92) {
          // Multi-row moves: by one worker only, since two multi-row UPDATEs scanning the
          // same rows in different orders may deadlock on the order rows themselves (plain
          // PostgreSQL row locking, whatever the stats triggers do).
          if (worker !== 0) continue;
          const from = pick(customers);
          const to = pick(customers);
          await client.query('UPDATE orders SET customer_id = $2 WHERE customer_id = $1', [from, to]);
        } else {
          // A transaction of several inserts for one customer, held open briefly.
          const customer = pick(customers);
          await client.query('BEGIN');
          await client.query(
            `INSERT INTO orders (customer_id, payment_status, total_amount, currency) VALUES ($1, 'paid', 50, 'GBP')`,
            [customer],
          );
          await client.query('SELECT pg_sleep(0.002)');
          await client.query(
            `INSERT INTO orders (customer_id, payment_status, total_amount, refunded_amount, currency)
             VALUES ($1, 'partially_refunded', 80, 30, 'GBP')`,
            [customer],
          );
          await client.query('COMMIT');
        }
      }
    });
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(await statsMismatches()).toEqual([]);
    const { rows } = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM orders');
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });
});

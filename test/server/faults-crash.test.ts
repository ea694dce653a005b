/**
 * A crash (SIGKILL) of the gateway in the middle of a bulk action over 1000 customers leaves
 * no customer half-processed: each id is handled by its own statement (its own transaction),
 * so afterwards, checked with SQL,
 * - DELETE: a customer is either gone with all its addresses and its orders kept with
 *   customer_id null, or still there with all its addresses and orders;
 * - UPDATE_STATUS: a customer has either its old status and old updated_at, or the new
 *   status and an updated_at from the request.
 * The kill comes ~250 ms after the action has made progress (while it is mid-way); should a
 * run ever finish first, it is repeated on other customers (at most three times).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../src/db/seed.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { basicAuth } from '../support/gateway.js';
import { startGatewayProcess } from '../support/processes.js';
import { graphql, type Outcome, waitFor } from './faults-support.js';

const ADMIN = { ADMIN_USER: 'crash-admin', ADMIN_APP_PASSWORD: 'crash-admin-password-0001' };
const AUTH = basicAuth(ADMIN.ADMIN_USER, ADMIN.ADMIN_APP_PASSWORD);
const BATCH = 1_000;
const ATTEMPTS = 3;
const APPLICATION = 'faults-crash-gateway';
const OLD_UPDATED_AT = '2001-01-01T00:00:00Z';
/** How long the action runs once under way before the kill. */
const KILL_AFTER_PROGRESS_MS = 250;

const BULK = /* GraphQL */ `
  mutation Bulk($input: CustomerBulkActionInput!) {
    customerBulkAction(input: $input) { processed failed userErrors { code message } }
  }
`;

let db: TestDatabase;
/** Customer ids, ascending: DELETE attempts take the first batches, UPDATE_STATUS the last. */
let ids: string[];

const sql = async <R = any>(text: string, params: unknown[] = []): Promise<R[]> =>
  (await db.pool!.query(text, params)).rows as R[];

beforeAll(async () => {
  db = await createTestDatabase();
  await seed(db, { customers: (ATTEMPTS + 1) * BATCH });
  ids = (await sql<{ id: string }>('SELECT id::text FROM customers ORDER BY id')).map((r) => r.id);
  expect(ids.length).toBeGreaterThanOrEqual((ATTEMPTS + 1) * BATCH);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

interface Crash {
  /** The response (status 0: the connection died with the process) — or a 200 if it finished. */
  response: Outcome;
  sentAt: number;
  killedAfterMs: number;
  /** Customers processed when the action was first seen under way. */
  progressAtStart: number;
}

/**
 * Starts a gateway, sends the bulk action, SIGKILLs the process ~250 ms after `progress()`
 * says the action is under way, and waits until its database sessions are gone (whatever they were
 * running has committed or rolled back).
 */
async function crashDuring(input: Record<string, unknown>, progress: () => Promise<number>): Promise<Crash> {
  const url = new URL(db.url!);
  url.searchParams.set('application_name', APPLICATION);
  const gateway = await startGatewayProcess({
    DATABASE_URL: url.toString(),
    RATE_LIMIT_ENABLED: 'false',
    ...ADMIN,
  });
  try {
    const sentAt = Date.now();
    const pending = graphql(gateway.url, AUTH, BULK, { input });
    let progressAtStart = 0;
    await waitFor(
      'the bulk action to make progress',
      async () => {
        progressAtStart = await progress();
        return progressAtStart > 0;
      },
      30_000,
      5,
    );
    await new Promise((r) => setTimeout(r, KILL_AFTER_PROGRESS_MS));
    gateway.child.kill('SIGKILL');
    const killedAfterMs = Date.now() - sentAt;
    expect(await gateway.stop()).toBeNull(); // killed by the signal, no exit code
    const response = await pending;
    await waitFor(
      'the killed gateway’s database sessions to end',
      async () =>
        Number(
          (
            await sql('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [APPLICATION])
          )[0].n,
        ) === 0,
      30_000,
    );
    return { response, sentAt, killedAfterMs, progressAtStart };
  } finally {
    await gateway.stop('SIGKILL');
  }
}

describe('SIGKILL during a bulk action of 1000 customers', () => {
  it('when the gateway dies mid-DELETE, then every customer is either fully deleted or untouched', async () => {
    const runs: Record<string, unknown>[] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const batch = ids.slice(attempt * BATCH, (attempt + 1) * BATCH);
      const addresses = await sql<{ id: string; customer_id: string }>(
        'SELECT id::text, customer_id::text FROM customer_addresses WHERE customer_id = ANY($1::bigint[])',
        [batch],
      );
      const orders = await sql<{ id: string; customer_id: string }>(
        'SELECT id::text, customer_id::text FROM orders WHERE customer_id = ANY($1::bigint[])',
        [batch],
      );
      expect(addresses.length).toBeGreaterThan(0);
      expect(orders.length).toBeGreaterThan(0);
      const remainingCount = async () =>
        Number((await sql('SELECT count(*) AS n FROM customers WHERE id = ANY($1::bigint[])', [batch]))[0].n);

      const crash = await crashDuring(
        { action: 'DELETE', customerIds: batch },
        async () => BATCH - (await remainingCount()),
      );

      const remaining = new Set(
        (
          await sql<{ id: string }>('SELECT id::text FROM customers WHERE id = ANY($1::bigint[])', [batch])
        ).map((r) => r.id),
      );
      const addressesAfter = new Map(
        (
          await sql<{ id: string; customer_id: string }>(
            'SELECT id::text, customer_id::text FROM customer_addresses WHERE id = ANY($1::bigint[])',
            [addresses.map((a) => a.id)],
          )
        ).map((a) => [a.id, a.customer_id]),
      );
      const ordersAfter = new Map(
        (
          await sql<{ id: string; customer_id: string | null }>(
            'SELECT id::text, customer_id::text FROM orders WHERE id = ANY($1::bigint[])',
            [orders.map((o) => o.id)],
          )
        ).map((o) => [o.id, o.customer_id]),
      );
      const inconsistent: string[] = [];
      for (const a of addresses) {
        const kept = remaining.has(a.customer_id);
        if (kept && addressesAfter.get(a.id) !== a.customer_id)
          inconsistent.push(`address ${a.id} of kept ${a.customer_id}`);
        if (!kept && addressesAfter.has(a.id))
          inconsistent.push(`address ${a.id} of deleted ${a.customer_id}`);
      }
      for (const o of orders) {
        if (!ordersAfter.has(o.id)) inconsistent.push(`order ${o.id} lost`);
        const expected = remaining.has(o.customer_id) ? o.customer_id : null;
        if (ordersAfter.get(o.id) !== expected) inconsistent.push(`order ${o.id} of ${o.customer_id}`);
      }
      expect(inconsistent).toEqual([]);

      const deleted = BATCH - remaining.size;
      runs.push({
        attempt,
        killedAfterMs: crash.killedAfterMs,
        deletedWhenSeenUnderWay: crash.progressAtStart,
        deletedInTheEnd: deleted,
        response: crash.response.error ?? crash.response.status,
        addressesGoneWithTheirCustomer: addresses.filter((a) => !remaining.has(a.customer_id)).length,
        ordersKeptWithoutCustomer: orders.filter((o) => !remaining.has(o.customer_id)).length,
        addressesChecked: addresses.length,
        ordersChecked: orders.length,
      });
      expect(deleted).toBeGreaterThan(0);
      if (deleted < BATCH) break; // killed mid-way: what this test is about
    }
    console.log('[faults] SIGKILL during bulk DELETE:', JSON.stringify(runs));
    expect(runs.some((r) => (r.deletedInTheEnd as number) < BATCH)).toBe(true);
  }, 240_000);

  it('when the gateway dies mid-UPDATE_STATUS, then every customer has either its old or its new status, with a matching updated_at', async () => {
    const batch = ids.slice(ATTEMPTS * BATCH, (ATTEMPTS + 1) * BATCH);
    const runs: Record<string, unknown>[] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      await sql(`UPDATE customers SET status = 'active', updated_at = $2 WHERE id = ANY($1::bigint[])`, [
        batch,
        OLD_UPDATED_AT,
      ]);
      const updatedCount = async () =>
        Number(
          (
            await sql(
              `SELECT count(*) AS n FROM customers WHERE id = ANY($1::bigint[]) AND status = 'inactive'`,
              [batch],
            )
          )[0].n,
        );

      const crash = await crashDuring(
        { action: 'UPDATE_STATUS', status: 'INACTIVE', customerIds: batch },
        updatedCount,
      );

      const rows = await sql<{ id: string; status: string; updated_at: Date }>(
        'SELECT id::text, status::text, updated_at FROM customers WHERE id = ANY($1::bigint[])',
        [batch],
      );
      expect(rows).toHaveLength(BATCH);
      // updated_at has second precision: the request's second, or later.
      const requestSecond = Math.floor(crash.sentAt / 1000) * 1000;
      const old = rows.filter(
        (r) => r.status === 'active' && r.updated_at.toISOString() === '2001-01-01T00:00:00.000Z',
      );
      const updated = rows.filter((r) => r.status === 'inactive' && r.updated_at.getTime() >= requestSecond);
      const inconsistent = rows.filter((r) => !old.includes(r) && !updated.includes(r));
      expect(inconsistent).toEqual([]);
      runs.push({
        attempt,
        killedAfterMs: crash.killedAfterMs,
        updatedWhenSeenUnderWay: crash.progressAtStart,
        updatedInTheEnd: updated.length,
        untouched: old.length,
        response: crash.response.error ?? crash.response.status,
      });
      expect(updated.length).toBeGreaterThan(0);
      if (updated.length < BATCH) break;
    }
    console.log('[faults] SIGKILL during bulk UPDATE_STATUS:', JSON.stringify(runs));
    expect(runs.some((r) => (r.updatedInTheEnd as number) < BATCH)).toBe(true);
  }, 240_000);
});

/**
 * Redis (the shared rate-limit store) going away and coming back, against two real gateway
 * processes on a private redis-server: one with RATE_LIMIT_ON_REDIS_ERROR=open, one with
 * `closed`. While Redis is down the first admits every request (and logs a warning), the
 * second refuses with 503 service_unavailable; once Redis is back — an empty one: budgets
 * lived there — both enforce the limit again with exact counts, with no gateway restart.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { basicAuth } from '../support/gateway.js';
import { type GatewayProcess, startGatewayProcess } from '../support/processes.js';
import {
  graphql,
  type Outcome,
  type PrivateRedis,
  rest,
  startPrivateRedis,
  waitFor,
} from './faults-support.js';

const MAX = 5;
const ADMIN = { ADMIN_USER: 'redis-faults-admin', ADMIN_APP_PASSWORD: 'redis-faults-password-01' };
const AUTH = basicAuth(ADMIN.ADMIN_USER, ADMIN.ADMIN_APP_PASSWORD);
const READ = '{ customers(perPage: 1) { pagination { total } } }';

let db: TestDatabase;
let redis: PrivateRedis;
const gateways: Record<'open' | 'closed', GatewayProcess | undefined> = {
  open: undefined,
  closed: undefined,
};

beforeAll(async () => {
  db = await createTestDatabase();
  redis = await startPrivateRedis();
  const env = (mode: 'open' | 'closed') => ({
    DATABASE_URL: db.url!,
    REDIS_URL: redis.url,
    RATE_LIMIT_REDIS_PREFIX: `faults:${mode}:${randomBytes(4).toString('hex')}:`,
    RATE_LIMIT_READS: String(MAX),
    RATE_LIMIT_ON_REDIS_ERROR: mode,
    ...ADMIN,
  });
  // One after the other: both bootstrap the same administrator.
  gateways.open = await startGatewayProcess(env('open'));
  gateways.closed = await startGatewayProcess(env('closed'));
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(gateways).map((g) => g?.stop()));
  await redis?.dispose();
  await db?.close();
});

const read = (g: GatewayProcess) => rest(g.url, AUTH, '/customers?per_page=1');
const remainingOf = (r: Outcome) =>
  r.headers['ratelimit-remaining'] === undefined ? undefined : Number(r.headers['ratelimit-remaining']);

function expectRateLimited(r: Outcome): void {
  expect(r.status, r.text).toBe(429);
  expect(r.body.error.code).toBe('rate_limited');
  expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
}

/** Sequential reads: exactly `admitted` succeed (remaining counting down), the rest are 429. */
async function expectBudget(g: GatewayProcess, admitted: number, extra: number): Promise<void> {
  for (let i = 0; i < admitted; i++) {
    const r = await read(g);
    expect(r.status, r.text).toBe(200);
    expect(remainingOf(r)).toBe(admitted - i - 1);
  }
  for (let i = 0; i < extra; i++) expectRateLimited(await read(g));
}

/** A concurrent burst: how many were admitted (200) and refused (429); nothing else. */
async function burst(g: GatewayProcess, size: number): Promise<{ admitted: number; refused: number }> {
  const results = await Promise.all(
    Array.from({ length: size }, (_, i) =>
      i % 2 === 0 ? read(g) : graphql(g.url, AUTH, READ).then((r) => ({ ...r, graphql: true })),
    ),
  );
  let admitted = 0;
  let refused = 0;
  for (const r of results) {
    if ('graphql' in r) {
      expect(r.status, r.text).toBe(200);
      if (r.body.errors) {
        expect(r.body.errors[0].extensions.code).toBe('RATE_LIMITED');
        refused++;
      } else admitted++;
    } else if (r.status === 200) admitted++;
    else {
      expectRateLimited(r);
      refused++;
    }
  }
  return { admitted, refused };
}

describe('rate limiting when Redis goes away and comes back', () => {
  it('when Redis is down, then fail-open admits (with a warning) and fail-closed answers 503; when it is back, then limits hold again exactly', async () => {
    const open = gateways.open!;
    const closed = gateways.closed!;

    // Redis up: the budget is enforced on both, counted in Redis.
    await expectBudget(open, MAX, 2);
    await expectBudget(closed, MAX, 2);

    // Redis down.
    const down = Date.now();
    await redis.stop();
    for (let i = 0; i < 3; i++) {
      // Admitted although the budget is spent: the store cannot be asked; nothing is counted.
      const r = await read(open);
      expect(r.status, r.text).toBe(200);
      expect(r.headers['ratelimit-remaining']).toBeUndefined();
      const g = await graphql(open.url, AUTH, READ);
      expect(g.status, g.text).toBe(200);
      expect(g.body.data.customers.pagination.total).toBeGreaterThanOrEqual(0);
    }
    await waitFor('the fail-open warning in the log', () =>
      /rate-limit store unavailable: admitting \(fail open\)/.test(open.output()),
    );
    for (let i = 0; i < 3; i++) {
      const r = await read(closed);
      expect(r.status, r.text).toBe(503);
      expect(r.body).toEqual({
        success: false,
        error: { code: 'service_unavailable', message: expect.any(String) },
      });
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      const g = await graphql(closed.url, AUTH, READ);
      expect(g.status, g.text).toBe(503);
      expect(g.body.errors.map((e: any) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(Number(g.headers['retry-after'])).toBeGreaterThan(0);
    }
    const downMs = Date.now() - down;

    // Redis back (empty: the budgets it held are gone). Each gateway reconnects by itself;
    // the first request that reaches the store again is counted (remaining MAX - 1).
    await redis.start();
    const up = Date.now();
    let openBack = 0;
    let closedBack = 0;
    await waitFor(
      'the fail-open gateway to count again',
      async () => {
        const r = await read(open);
        expect(r.status, r.text).toBe(200);
        if (remainingOf(r) === undefined) return false;
        expect(remainingOf(r)).toBe(MAX - 1);
        openBack = Date.now() - up;
        return true;
      },
      20_000,
      100,
    );
    await waitFor(
      'the fail-closed gateway to admit again',
      async () => {
        const r = await read(closed);
        if (r.status === 503) return false;
        expect(r.status, r.text).toBe(200);
        expect(remainingOf(r)).toBe(MAX - 1);
        closedBack = Date.now() - up;
        return true;
      },
      20_000,
      100,
    );
    expect(await burst(open, MAX + 4)).toEqual({ admitted: MAX - 1, refused: 5 });
    expect(await burst(closed, MAX + 4)).toEqual({ admitted: MAX - 1, refused: 5 });

    // No restart.
    expect(open.child.exitCode).toBeNull();
    expect(closed.child.exitCode).toBeNull();
    expect(closed.output()).toMatch(/rate-limit store unavailable: refusing \(fail closed\)/);
    console.log(
      '[faults] redis stop/start:',
      JSON.stringify({
        redisDownMs: downMs,
        openCountsAgainAfterMs: openBack,
        closedAdmitsAgainAfterMs: closedBack,
      }),
    );
    expect(Math.max(openBack, closedBack)).toBeLessThan(15_000);
  }, 90_000);
});

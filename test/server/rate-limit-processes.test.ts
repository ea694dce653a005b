/**
 * Two gateway processes sharing the real PostgreSQL and Redis: 3× the read limit fired
 * concurrently at both admits exactly `max`, the rest get 429 `rate_limited` (REST) /
 * RATE_LIMITED (GraphQL). REST and GraphQL share the budget.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { basicAuth } from '../support/gateway.js';
import { type GatewayProcess, startGatewayProcess } from '../support/processes.js';

const MAX = 12;
const auth = basicAuth('ratelimit-admin', 'rate-limit-password-0001');
let db: TestDatabase;
let gateways: GatewayProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const env = {
    DATABASE_URL: db.url!,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    RATE_LIMIT_REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    RATE_LIMIT_READS: String(MAX),
    ADMIN_USER: 'ratelimit-admin',
    ADMIN_APP_PASSWORD: 'rate-limit-password-0001',
    SESSION_SECRET: 'a-shared-session-secret-of-32-chars!!',
  };
  // Started one after the other: both bootstrap the same administrator.
  gateways.push(await startGatewayProcess(env));
  gateways.push(await startGatewayProcess(env));
}, 90_000);

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  gateways = [];
  await db?.close();
});

describe('rate limiting across two gateway processes sharing Redis', () => {
  it('when 3× the limit arrive concurrently at both, then exactly max are admitted', async () => {
    const calls = Array.from({ length: 3 * MAX }, (_, i) => {
      const base = gateways[i % 2]!.url;
      return i % 3 === 0
        ? fetch(`${base}/wp-json/fluent-cart/v2/customers?per_page=1`, { headers: { authorization: auth } })
        : fetch(`${base}/graphql`, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ customers(perPage: 1) { pagination { total } } }' }),
          });
    });
    const responses = await Promise.all(calls);
    const bodies = await Promise.all(responses.map((r) => r.json() as Promise<any>));
    let admitted = 0;
    let refused = 0;
    responses.forEach((res, i) => {
      const body = bodies[i];
      const isRest = i % 3 === 0;
      if (isRest) {
        if (res.status === 200) admitted++;
        else {
          expect(res.status).toBe(429);
          expect(body.error.code).toBe('rate_limited');
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
          refused++;
        }
      } else if (body.errors?.[0]?.extensions?.code === 'RATE_LIMITED') {
        expect(body.errors[0].extensions.retryAfter).toBeGreaterThan(0);
        refused++;
      } else {
        expect(body.data.customers.pagination.total).toBeGreaterThanOrEqual(0);
        admitted++;
      }
    });
    expect({ admitted, refused }).toEqual({ admitted: MAX, refused: 2 * MAX });
  });
});

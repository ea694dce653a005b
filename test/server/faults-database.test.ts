/**
 * Database faults under load, against a real gateway process:
 * - every backend connection of its database terminated (`pg_terminate_backend` on the shared
 *   server, filtered by datname) while requests are in flight: the requests it hits get 503
 *   service_unavailable with Retry-After (never 500), and the gateway recovers on its own
 *   (the pool opens new connections);
 * - a private PostgreSQL server (initdb into a temporary folder, migrated by the gateway's
 *   own start-up) stopped while requests are in flight: 503s and `/ready` 503 while it is
 *   down (answered fast), then `/ready` 200 and requests served again once it is back — with
 *   no restart of the gateway.
 * Measured times to recover are printed; assertions on time are generous upper bounds only.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../src/db/seed.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { basicAuth } from '../support/gateway.js';
import { type GatewayProcess, startGatewayProcess } from '../support/processes.js';
import {
  call,
  errorCodeOf,
  graphql,
  type LoadResult,
  type PrivatePostgres,
  rest,
  startLoad,
  startPrivatePostgres,
  waitFor,
} from './faults-support.js';

const ADMIN = { ADMIN_USER: 'faults-admin', ADMIN_APP_PASSWORD: 'faults-admin-password-0001' };
const AUTH = basicAuth(ADMIN.ADMIN_USER, ADMIN.ADMIN_APP_PASSWORD);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Concurrent request loops of the pg_terminate_backend scenario. */
const WORKERS = 8;

/** Slow-ish: 100 customers with their addresses and latest orders (several statements). */
const HEAVY = /* GraphQL */ `
  query Heavy($page: Int!) {
    customers(page: $page, perPage: 100, orderBy: ID, orderType: ASC) {
      pagination { total }
      customers {
        id email status
        addresses { id city }
        orders(perPage: 10) { orders { id totalAmount currency } }
      }
    }
  }
`;

/** A load of GraphQL and REST reads, half each. */
function mixedLoad(baseUrl: string, workers: number, perPage: number) {
  return startLoad(workers, (n) =>
    n % 2 === 0
      ? { kind: 'graphql', send: () => graphql(baseUrl, AUTH, HEAVY, { page: 1 + (n % 3) }) }
      : {
          kind: 'rest',
          send: () => rest(baseUrl, AUTH, `/customers?per_page=${perPage}&page=${1 + (n % 3)}`),
        },
  );
}

/** What every request that the outage hit must look like. */
function expectServiceUnavailable(r: LoadResult): void {
  const context = `${r.kind} ${r.status} ${r.error ?? ''} ${r.text.slice(0, 300)}`;
  expect(r.status, context).toBe(503);
  expect(String(r.headers['retry-after']), context).toMatch(/^[1-9]\d*$/);
  if (r.kind === 'rest') {
    expect(r.body, context).toEqual({
      success: false,
      error: { code: 'service_unavailable', message: expect.any(String) },
    });
  } else {
    const codes = (r.body?.errors ?? []).map((e: any) => e.extensions?.code);
    expect(codes.length, context).toBeGreaterThan(0);
    expect(new Set(codes), context).toEqual(new Set(['SERVICE_UNAVAILABLE']));
  }
  // Nothing internal reaches the client.
  expect(r.text).not.toMatch(/prisma|terminat|57P0|ECONN|stack|\bat\s|select\s/i);
}

function expectOk(r: LoadResult): void {
  expect(r.status, `${r.kind} ${r.status} ${r.error ?? ''} ${r.text.slice(0, 300)}`).toBe(200);
  if (r.kind === 'rest') expect(r.body.success).toBe(true);
  else expect(r.body.errors).toBeUndefined();
}

/** Median duration of the successful requests among `results` (ms). */
const medianMs = (results: LoadResult[]) => {
  const durations = results
    .filter((r) => r.status === 200)
    .map((r) => r.end - r.start)
    .sort((a, b) => a - b);
  return durations[Math.floor(durations.length / 2)] ?? null;
};

const summary = (results: LoadResult[]) => {
  const byStatus: Record<string, number> = {};
  for (const r of results) {
    const key = r.status ? String(r.status) : (r.error ?? 'no response');
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }
  return byStatus;
};

describe('database backends terminated under load (shared server, pg_terminate_backend)', () => {
  let db: TestDatabase;
  let gateway: GatewayProcess;
  let admin: pg.Client;
  let database: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    database = new URL(db.url!).pathname.slice(1);
    await seed(db, { customers: 400 });
    gateway = await startGatewayProcess({
      DATABASE_URL: db.url!,
      DATABASE_POOL_SIZE: '10',
      RATE_LIMIT_ENABLED: 'false',
      ...ADMIN,
    });
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await admin?.end();
    await db?.close();
  });

  it('when every connection is killed mid-request, then the hit requests get 503 service_unavailable and the gateway recovers by itself', async () => {
    // Credentials verified (and cached) before the fault: the failures are in the operations.
    expectOk({ kind: 'graphql', ...(await graphql(gateway.url, AUTH, HEAVY, { page: 1 })) });

    const load = mixedLoad(gateway.url, WORKERS, 100);
    const kills: { at: number; terminated: number }[] = [];
    // Usually the first kill hits requests in flight; a few rounds at most make sure one does.
    await sleep(1_000);
    for (let round = 0; round < 5; round++) {
      await sleep(300);
      const at = Date.now();
      const { rowCount } = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database],
      );
      kills.push({ at, terminated: rowCount ?? 0 });
      // Workers send one request at a time: once each has sent one after the kill, every
      // request that was in flight at the kill has settled.
      await waitFor(
        'the requests in flight at the kill to settle',
        () => load.results.filter((r) => r.start > at).length >= WORKERS,
        30_000,
      );
      if (load.results.some((r) => r.end >= at && r.status !== 200)) break;
    }
    const lastKill = kills.at(-1)!.at;
    await waitFor(
      '20 successful requests started after the last kill',
      () => load.results.filter((r) => r.start > lastKill && r.status === 200).length >= 20,
      20_000,
    );
    const results = await load.stop();

    expect(kills.reduce((n, k) => n + k.terminated, 0)).toBeGreaterThan(0);
    const failed = results.filter((r) => r.status !== 200);
    expect(failed.length, JSON.stringify(summary(results))).toBeGreaterThan(0);
    for (const r of failed) expectServiceUnavailable(r);

    // Recovery: after the last failure every request succeeds, and it came quickly.
    const lastFailure = Math.max(...failed.map((r) => r.end));
    const after = results.filter((r) => r.start > lastFailure);
    expect(after.length).toBeGreaterThanOrEqual(10);
    for (const r of after) expectOk(r);
    const firstSuccess = Math.min(
      ...results.filter((r) => r.start >= lastKill && r.status === 200).map((r) => r.end),
    );
    const report = {
      medianRequestMsBefore: medianMs(results.filter((r) => r.end < kills[0]!.at)),
      kills: kills.length,
      terminatedBackends: kills.map((k) => k.terminated),
      requests: results.length,
      byStatus: summary(results),
      failedRest: failed.filter((r) => r.kind === 'rest').length,
      failedGraphql: failed.filter((r) => r.kind === 'graphql').length,
      failedStartedAfterKill: failed.filter((r) => r.start > lastKill).length,
      lastKillToLastFailureMs: lastFailure - lastKill,
      lastKillToFirstSuccessMs: firstSuccess - lastKill,
    };
    console.log('[faults] pg_terminate_backend:', JSON.stringify(report));
    expect(report.lastKillToLastFailureMs).toBeLessThan(10_000);

    // Logged as an outage (warning), with the request id.
    expect(gateway.output()).toMatch(/"reqId":"[^"]+"[^\n]*database unavailable: answering 503/);
    expect(gateway.output()).not.toMatch(/INTERNAL_ERROR/);
  }, 90_000);

  it('when something else fails (a table is gone), then a masked INTERNAL_ERROR, logged with the request id', async () => {
    await admin.end();
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query('ALTER TABLE customer_addresses RENAME TO customer_addresses_gone');
    try {
      const g = await call(`${gateway.url}/graphql`, {
        headers: {
          authorization: AUTH,
          accept: 'application/json',
          'x-request-id': 'faults-internal-graphql',
        },
        body: { query: '{ customers(perPage: 5) { customers { id addresses { id } } } }' },
      });
      // An execution result: HTTP 200, like every execution result (the contract).
      expect(g.status, g.text).toBe(200);
      expect(g.body.data).toBeNull();
      expect(g.body.errors).toEqual([
        expect.objectContaining({
          message: 'An internal error occurred. It has been logged.',
          extensions: { code: 'INTERNAL_ERROR' },
        }),
      ]);
      const r = await call(`${gateway.url}/wp-json/fluent-cart/v2/customers/1`, {
        headers: { authorization: AUTH, 'x-request-id': 'faults-internal-rest' },
      });
      expect(r.status, r.text).toBe(500);
      expect(r.body).toEqual({
        success: false,
        error: { code: 'internal_error', message: expect.any(String) },
      });
      for (const text of [g.text, r.text]) {
        expect(text).not.toMatch(/customer_addresses|relation|prisma|select\s|stack|\bat\s/i);
      }
      await waitFor('both failures in the log', () =>
        ['faults-internal-graphql', 'faults-internal-rest'].every((id) =>
          new RegExp(`"reqId":"${id}"[^\n]*unexpected error \\(masked as INTERNAL_ERROR\\)`).test(
            gateway.output(),
          ),
        ),
      );
    } finally {
      await admin.query('ALTER TABLE customer_addresses_gone RENAME TO customer_addresses');
    }
  });
});

describe('private PostgreSQL server stopped and started again under load', () => {
  let server: PrivatePostgres;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    // The gateway migrates the empty server itself and seeds the demo data.
    gateway = await startGatewayProcess(
      {
        DATABASE_URL: server.url('postgres', { application_name: 'faults-gateway' }),
        SEED_DEMO: 'true',
        // Every request checks its credentials against the database: the outage hits
        // authentication too, which must answer 503 like the operations.
        AUTH_CACHE_TTL_MS: '0',
        RATE_LIMIT_ENABLED: 'false',
        ...ADMIN,
      },
      90_000,
    );
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await server?.dispose();
  });

  it('when the server stops, then 503s and /ready 503; when it is back, then /ready 200 and requests succeed without a restart', async () => {
    expectOk({ kind: 'rest', ...(await rest(gateway.url, AUTH, '/customers?per_page=5')) });
    expect((await call(`${gateway.url}/ready`)).status).toBe(200);

    const load = mixedLoad(gateway.url, 6, 20);
    await sleep(1_500);
    const stopping = Date.now();
    await server.stop('fast');
    const stopped = Date.now();

    await waitFor(
      'a request started after the stop to fail',
      () => load.results.some((r) => r.start > stopped && r.status !== 200),
      15_000,
    );
    const readyWhileDown = await call(`${gateway.url}/ready`);
    expect(readyWhileDown.status).toBe(503);
    expect(readyWhileDown.body).toEqual({ status: 'not_ready' });
    expect(readyWhileDown.headers['retry-after']).toBeDefined();
    const readyLatencyMs = readyWhileDown.end - readyWhileDown.start;
    expect(readyLatencyMs).toBeLessThan(5_000);
    const healthWhileDown = await call(`${gateway.url}/health`);
    expect(healthWhileDown.status).toBe(200);
    await sleep(1_000);

    const starting = Date.now();
    await server.start();
    const started = Date.now();
    let readyAt = 0;
    await waitFor(
      '/ready 200 after the restart of PostgreSQL',
      async () => {
        const r = await call(`${gateway.url}/ready`);
        if (r.status === 200) readyAt = r.end;
        return r.status === 200;
      },
      30_000,
    );
    await waitFor(
      '20 successful requests started after /ready turned 200',
      () => load.results.filter((r) => r.start > readyAt && r.status === 200).length >= 20,
      20_000,
    );
    const results = await load.stop();

    // Gateway never restarted.
    expect(gateway.child.exitCode).toBeNull();

    const failed = results.filter((r) => r.status !== 200);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) expectServiceUnavailable(r);
    // While the server was down nothing succeeded; once /ready said 200 everything did.
    for (const r of results.filter((r) => r.start > stopped && r.end < starting)) expectServiceUnavailable(r);
    const afterReady = results.filter((r) => r.start > readyAt);
    expect(afterReady.length).toBeGreaterThanOrEqual(20);
    for (const r of afterReady) expectOk(r);

    const firstFailure = Math.min(...failed.map((r) => r.end));
    const firstSuccess = Math.min(
      ...results.filter((r) => r.start > starting && r.status === 200).map((r) => r.end),
    );
    const report = {
      medianRequestMsBefore: medianMs(results.filter((r) => r.end < stopping)),
      medianRequestMsAfter: medianMs(afterReady),
      requests: results.length,
      byStatus: summary(results),
      failedRest: failed.filter((r) => r.kind === 'rest').length,
      failedGraphql: failed.filter((r) => r.kind === 'graphql').length,
      stopCommandMs: stopped - stopping,
      stopToFirst503Ms: firstFailure - stopping,
      readyWhileDownLatencyMs: readyLatencyMs,
      outageMs: started - stopping,
      startCommandMs: started - starting,
      serverUpToReady200Ms: readyAt - started,
      serverUpToFirstSuccessMs: firstSuccess - started,
    };
    console.log('[faults] private PostgreSQL stop/start:', JSON.stringify(report));
    expect(report.serverUpToReady200Ms).toBeLessThan(15_000);
    expect(errorCodeOf(failed[0]!)).toMatch(/service_unavailable/i);
    expect(gateway.output()).toMatch(/database unavailable: answering 503/);
  }, 120_000);

  it('when the server freezes (answers nothing), then /ready still answers 503 within its timeout, and 200 once it thaws', async () => {
    expect((await call(`${gateway.url}/ready`)).status).toBe(200);
    await server.freeze();
    let thawed = false;
    try {
      const first = await call(`${gateway.url}/ready`);
      const second = await call(`${gateway.url}/ready`);
      for (const r of [first, second]) {
        expect(r.status, r.text).toBe(503);
        expect(r.body).toEqual({ status: 'not_ready' });
        // READY_TIMEOUT_MS is 2 s; generous bound.
        expect(r.end - r.start).toBeLessThan(6_000);
      }
      await server.thaw();
      thawed = true;
      const thawedAt = Date.now();
      let readyAt = 0;
      await waitFor('/ready 200 after the thaw', async () => {
        const r = await call(`${gateway.url}/ready`);
        if (r.status === 200) readyAt = r.end;
        return r.status === 200;
      });
      expect(gateway.child.exitCode).toBeNull();
      console.log(
        '[faults] private PostgreSQL frozen (SIGSTOP):',
        JSON.stringify({
          readyWhileFrozenMs: [first.end - first.start, second.end - second.start],
          thawToReady200Ms: readyAt - thawedAt,
        }),
      );
    } finally {
      if (!thawed) await server.thaw();
    }
  }, 60_000);
});

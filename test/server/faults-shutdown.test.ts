/**
 * Graceful shutdown under load: a gateway process gets SIGTERM while processing 40
 * concurrent slow-ish requests (100 customers a page with their addresses and orders, over
 * seeded data). Requests in flight — accepted and being processed — complete with 200;
 * requests arriving after the signal are refused (connection refused, or 503 on a connection
 * that was already open); the process exits with code 0 within SHUTDOWN_TIMEOUT_MS + 2 s.
 */
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../src/db/seed.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { basicAuth } from '../support/gateway.js';
import { type GatewayProcess, startGatewayProcess } from '../support/processes.js';
import { call, graphql, type Outcome, rest, waitFor } from './faults-support.js';

const ADMIN = { ADMIN_USER: 'shutdown-admin', ADMIN_APP_PASSWORD: 'shutdown-admin-password-01' };
const AUTH = basicAuth(ADMIN.ADMIN_USER, ADMIN.ADMIN_APP_PASSWORD);
const SHUTDOWN_TIMEOUT_MS = 30_000;
const CONCURRENT = 40;

const HEAVY = /* GraphQL */ `
  query Heavy($page: Int!) {
    customers(page: $page, perPage: 100, orderBy: ID, orderType: ASC) {
      pagination { currentPage total }
      customers {
        id email
        addresses { id city }
        orders(perPage: 5) { orders { id totalAmount } }
      }
    }
  }
`;

let db: TestDatabase;
let gateway: GatewayProcess;
const agents: Agent[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await seed(db, { customers: 2_000 });
  gateway = await startGatewayProcess({
    DATABASE_URL: db.url!,
    DATABASE_POOL_SIZE: '10',
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    RATE_LIMIT_ENABLED: 'false',
    // debug: yoga logs each request it starts processing (see parsedRequests).
    LOG_LEVEL: 'debug',
    ...ADMIN,
  });
}, 120_000);

afterAll(async () => {
  for (const agent of agents) agent.destroy();
  await gateway?.stop('SIGKILL');
  await db?.close();
});

/** Requests the gateway has parsed and started to process so far. */
const parsedRequests = () => gateway.output().split('"msg":"Processing GraphQL Parameters"').length - 1;

/** Refused: no connection (ECONNREFUSED, or reset while the listener closed) or a 503. */
function expectRefused(r: Outcome): void {
  const context = `${r.status} ${r.error ?? ''} ${r.text.slice(0, 200)}`;
  if (r.status === 0) {
    expect(r.error, context).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up/);
  } else {
    expect(r.status, context).toBe(503);
    expect(JSON.stringify(r.body), context).toMatch(/service_unavailable/i);
  }
}

describe('SIGTERM under load', () => {
  it('when SIGTERM arrives with 40 requests in flight, then they complete with 200, later requests are refused and the process exits 0 in time', async () => {
    // Warm (credentials cached, query plans compiled): the load then stalls the loop less.
    expect((await graphql(gateway.url, AUTH, HEAVY, { page: 20 })).status).toBe(200);
    // One open connection per request beforehand: a process saturated by the load accepts
    // new connections late, and one not yet accepted when the listener closes is reset —
    // that request never reached the gateway. On open connections every request does.
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENT });
    agents.push(agent);
    const opened = await Promise.all(
      Array.from({ length: CONCURRENT }, () => call(`${gateway.url}/health`, { agent })),
    );
    expect(opened.every((r) => r.status === 200)).toBe(true);
    const before = parsedRequests();

    const inFlight = Array.from({ length: CONCURRENT }, (_, i) =>
      graphql(gateway.url, AUTH, HEAVY, { page: 1 + (i % 20) }, agent),
    );
    let completed = 0;
    for (const p of inFlight) void p.then(() => completed++);
    // In flight: the gateway is processing every one of them (yoga's debug log).
    await waitFor(
      `the gateway to be processing all ${CONCURRENT} requests`,
      () => parsedRequests() >= before + CONCURRENT,
      60_000,
      5,
    );
    const completedBeforeSignal = completed;
    const signalled = Date.now();
    const exited = gateway.stop('SIGTERM');
    await waitFor('the listener to close', () => gateway.output().includes('stopped accepting'), 30_000, 5);
    // The handler runs when the event loop gets to it: after seconds under this CPU-bound load.
    const drainingAfterMs = Date.now() - signalled;
    const completedBeforeDraining = completed;

    // New requests after the signal: refused.
    const late: Outcome[] = [];
    for (let i = 0; i < 5 && gateway.child.exitCode === null; i++) {
      late.push(
        await (i % 2 === 0
          ? graphql(gateway.url, AUTH, HEAVY, { page: 1 })
          : rest(gateway.url, AUTH, '/customers')),
      );
      late.push(await call(`${gateway.url}/ready`));
    }

    const results = await Promise.all(inFlight);
    const code = await exited;
    const exitMs = Date.now() - signalled;

    for (const r of results) {
      expect(r.status, `${r.status} ${r.error ?? ''} ${r.text.slice(0, 200)}`).toBe(200);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.customers.customers).toHaveLength(100);
    }
    // Most were still running when the server started draining.
    expect(CONCURRENT - completedBeforeDraining).toBeGreaterThan(0);
    for (const r of late) expectRefused(r);
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 2_000);
    expect(gateway.output()).toMatch(/"msg":"stopped"/);
    console.log(
      '[faults] SIGTERM under load:',
      JSON.stringify({
        inFlightAtSignal: CONCURRENT - completedBeforeSignal,
        drainingAfterMs,
        inFlightWhenDraining: CONCURRENT - completedBeforeDraining,
        allCompleted200: results.length,
        lateRequests: late.map((r) => r.error ?? r.status),
        lastInFlightDoneAfterMs: Math.max(...results.map((r) => r.end)) - signalled,
        exitCode: code,
        exitAfterMs: exitMs,
      }),
    );
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, startTestGateway, type TestGateway } from '../support/gateway.js';

const METRICS_TOKEN = 'metrics-token-0123456789';
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ METRICS_TOKEN });
});
afterAll(async () => {
  await gw?.close();
});

describe('request ids and headers', () => {
  it('echoes a given X-Request-Id', async () => {
    const res = await gw.graphql('{ viewer { login } }', undefined, {
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });

  it('generates one when absent or unusable', async () => {
    const res = await gw.graphql('{ viewer { login } }', undefined, {
      headers: { 'x-request-id': 'bad id\n' },
    });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers and no-store on API responses, also on errors', async () => {
    for (const res of [
      await gw.graphql('{ viewer { login } }'),
      await gw.request('GET', '/nope', { auth: null }),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });
});

describe('GET /metrics', () => {
  it('answers the administrator in Prometheus format with request, operation and pool metrics', async () => {
    await gw.graphql('{ viewer { login } }');
    const res = await gw.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /gateway_http_requests_total\{route="\/graphql",method="POST",status="200"\} \d+/,
    );
    expect(res.text).toMatch(/gateway_graphql_operations_total\{operation="query:viewer",outcome="ok"\} \d+/);
    expect(res.text).toContain('gateway_http_request_duration_seconds_bucket');
    expect(res.text).toContain('gateway_db_pool_connections');
  });

  it('answers the bearer of METRICS_TOKEN', async () => {
    const res = await gw.request('GET', '/metrics', { auth: `Bearer ${METRICS_TOKEN}` });
    expect(res.status).toBe(200);
  });

  it('refuses anonymous callers (401) and a wrong token (401)', async () => {
    expect((await gw.request('GET', '/metrics', { auth: null })).status).toBe(401);
    expect((await gw.request('GET', '/metrics', { auth: 'Bearer wrong-token-0123456789' })).status).toBe(401);
  });

  it('refuses authenticated users who are not administrators (403)', async () => {
    const viewer = await gw.db.prisma.user.create({
      data: { login: 'v', email: 'v@example.com', role: 'VIEWER' },
    });
    const { addPassword } = await import('../../src/auth/user-admin.js');
    const { password } = await addPassword(gw.db, 'v', 'test');
    expect(viewer.id).toBeDefined();
    const res = await gw.request('GET', '/metrics', { auth: basicAuth('v', password) });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('insufficient_permissions');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

describe('probes', () => {
  it('GET /health answers 200 without credentials', async () => {
    const res = await gw.request('GET', '/health', { auth: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /ready answers 200 when the database is reachable and migrated', async () => {
    const res = await gw.request('GET', '/ready', { auth: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('a path that merely ends in /health is not the probe', async () => {
    const res = await gw.request('GET', '/wp-json/health', { auth: null });
    expect(res.status).toBe(401);
  });
});

describe('authentication', () => {
  it('when /graphql is called without credentials, then 401 with a Basic challenge', async () => {
    const res = await gw.graphql('{ viewer { login } }', undefined, { auth: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('when the password is wrong, then 401', async () => {
    const res = await gw.graphql('{ viewer { login } }', undefined, { auth: basicAuth('admin', 'nope') });
    expect(res.status).toBe(401);
  });

  it('when a REST path is called without credentials, then the REST envelope', async () => {
    const res = await gw.request('GET', '/wp-json/fluent-cart/v2/customers', { auth: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({
      success: false,
      error: { code: 'unauthenticated', message: 'Authentication required' },
    });
  });

  it('with the administrator credentials (spaces in the password ignored), then the viewer', async () => {
    const spaced = basicAuth('admin', 'test-admin -passw ord-0001');
    const res = await gw.graphql('{ viewer { login role } }', undefined, { auth: spaced });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ viewer: { login: 'admin', role: 'ADMINISTRATOR' } });
  });
});

describe('GraphiQL', () => {
  it('asks a browser without credentials to log in (401 Basic challenge)', async () => {
    const res = await gw.request('GET', '/graphql', { auth: null, headers: { accept: 'text/html' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
  });

  it('serves the page with the example query to an authenticated browser', async () => {
    const res = await gw.request('GET', '/graphql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain('FluentCart Customers GraphQL');
    expect(res.text).toContain('orders(perPage: 5)');
  });
});

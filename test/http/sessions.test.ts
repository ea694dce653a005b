import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_LOGIN, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  // No credential cache, so revocations show at once.
  gw = await startTestGateway({ AUTH_CACHE_TTL_MS: '0' });
});
afterAll(async () => {
  await gw?.close();
});

async function openSession() {
  const res = await gw.request('POST', '/auth/session');
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  return { res, setCookie, cookie, nonce: res.body.data.nonce as string };
}

const createMutation = /* GraphQL */ `mutation($email: String!) {
  createCustomer(input: { email: $email }) { customer { email } userErrors { code } }
}`;

describe('POST /auth/session', () => {
  it('with Basic credentials, then an HttpOnly SameSite=Strict cookie, the user and a nonce', async () => {
    const { res, setCookie, nonce } = await openSession();
    expect(setCookie).toMatch(/^fc_gateway_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800/);
    expect(res.body.data.user).toMatchObject({ user_login: ADMIN_LOGIN, role: 'administrator' });
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('without credentials, then 401', async () => {
    const res = await gw.request('POST', '/auth/session', { auth: null });
    expect(res.status).toBe(401);
  });

  it('when the cookie is tampered with, then 401', async () => {
    const { cookie } = await openSession();
    const res = await gw.graphql('{ viewer { login } }', undefined, {
      auth: null,
      headers: { cookie: `${cookie.slice(0, -2)}xx` },
    });
    expect(res.status).toBe(401);
  });
});

describe('requests authenticated by the cookie', () => {
  it('reads need no nonce', async () => {
    const { cookie } = await openSession();
    const res = await gw.graphql('{ viewer { login } }', undefined, { auth: null, headers: { cookie } });
    expect(res.body.data).toEqual({ viewer: { login: ADMIN_LOGIN } });
  });

  it('a mutation without X-WP-Nonce is refused with INVALID_NONCE and writes nothing', async () => {
    const { cookie } = await openSession();
    const res = await gw.graphql(
      createMutation,
      { email: 'csrf@example.com' },
      { auth: null, headers: { cookie } },
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('INVALID_NONCE');
    expect(await gw.db.prisma.customer.count({ where: { email: 'csrf@example.com' } })).toBe(0);
  });

  it('a REST write without the nonce is 403 invalid_nonce', async () => {
    const { cookie } = await openSession();
    const res = await gw.request('POST', '/wp-json/fluent-cart/v2/customers', {
      auth: null,
      headers: { cookie },
      body: { email: 'csrf-rest@example.com' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('invalid_nonce');
  });

  it('a mutation with the nonce goes through', async () => {
    const { cookie, nonce } = await openSession();
    const res = await gw.graphql(
      createMutation,
      { email: 'nonce@example.com' },
      { auth: null, headers: { cookie, 'x-wp-nonce': nonce } },
    );
    expect(res.body.data.createCustomer).toEqual({
      customer: { email: 'nonce@example.com' },
      userErrors: [],
    });
  });

  it('DELETE /auth/session ends the session', async () => {
    const { cookie } = await openSession();
    const end = await gw.request('DELETE', '/auth/session', { auth: null, headers: { cookie } });
    expect(end.status).toBe(200);
    expect(end.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const after = await gw.graphql('{ viewer { login } }', undefined, { auth: null, headers: { cookie } });
    expect(after.status).toBe(401);
  });

  it('revoking the application password that opened the session ends it', async () => {
    const { cookie } = await openSession();
    const { count } = await gw.db.prisma.applicationPassword.deleteMany({});
    expect(count).toBeGreaterThan(0);
    const after = await gw.graphql('{ viewer { login } }', undefined, { auth: null, headers: { cookie } });
    expect(after.status).toBe(401);
  });
});

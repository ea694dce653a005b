/**
 * Every error code of the contract that REST can answer, in the envelope
 * `{"success": false, "error": {code, message, details?}}` with the status of its code, and
 * the REST precedence between them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { resetFixture, userWithRole } from './fixture.js';

const V2 = '/wp-json/fluent-cart/v2';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});
beforeEach(async () => {
  await resetFixture(gw.db);
});

function expectError(
  res: { status: number; headers: Headers; body: any; text: string },
  status: number,
  code: string,
) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(res.body.success).toBe(false);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(Object.keys(res.body).sort()).toEqual(['error', 'success']);
}

describe('error codes', () => {
  it('customer_not_found: 404 with the documented message', async () => {
    const res = await gw.request('GET', `${V2}/customers/999`);
    expectError(res, 404, 'customer_not_found');
    expect(res.body.error).toEqual({ code: 'customer_not_found', message: 'Customer with ID 999 not found' });
    for (const [method, path, body] of [
      ['GET', `${V2}/customers/get-stats/999`],
      ['GET', `${V2}/customers/999/orders`],
      ['GET', `${V2}/customers/999/address`],
      ['PUT', `${V2}/customers/999`, { first_name: 'X' }],
      ['PUT', `${V2}/customers/999/additional-info`, { a: 1 }],
      ['POST', `${V2}/customers/999/detach-user`],
    ] as [string, string, unknown?][]) {
      expectError(await gw.request(method, path, { body }), 404, 'customer_not_found');
    }
  });

  it('address_not_found: 404, also for an address of another customer', async () => {
    const unknown = await gw.request('PUT', `${V2}/customers/1/address`, {
      body: { address_id: 99, city: 'X' },
    });
    expectError(unknown, 404, 'address_not_found');
    expect(unknown.body.error.details).toEqual([{ field: 'address_id', message: expect.any(String) }]);
    const foreign = await gw.request('DELETE', `${V2}/customers/2/address`, { body: { address_id: 1 } });
    expectError(foreign, 404, 'address_not_found');
  });

  it('invalid_email: 422 for a malformed or already used email, naming the field', async () => {
    const malformed = await gw.request('POST', `${V2}/customers`, { body: { email: 'not-an-email' } });
    expectError(malformed, 422, 'invalid_email');
    expect(malformed.body.error.details).toEqual([{ field: 'email', message: expect.any(String) }]);
    const taken = await gw.request('PUT', `${V2}/customers/2`, { body: { email: 'JOHN.DOE@example.com' } });
    expectError(taken, 422, 'invalid_email');
  });

  it('validation_error: 422 listing every failing field under its REST name', async () => {
    const res = await gw.request('POST', `${V2}/customers`, {
      body: { email: 'nope', first_name: 'x'.repeat(101), phone: 'call me' },
    });
    expectError(res, 422, 'validation_error');
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'email',
      'first_name',
      'phone',
    ]);
    expect(res.body.error.message).toBe('Invalid input: email, first_name, phone');

    const address = await gw.request('POST', `${V2}/customers/1/address`, {
      body: { type: 'billing', address_1: 'x'.repeat(256), city: 'Y', country: 'ZZ' },
    });
    expectError(address, 422, 'validation_error');
    expect(address.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'address_1',
      'country',
    ]);
  });

  it('invalid_user: 422 for an unknown user or one linked to another customer', async () => {
    const unknown = await gw.request('POST', `${V2}/customers/1/attachable-user`, { body: { user_id: 99 } });
    expectError(unknown, 422, 'invalid_user');
    expect(unknown.body.error.details).toEqual([{ field: 'user_id', message: expect.any(String) }]);
    await gw.request('POST', `${V2}/customers/2/attachable-user`, { body: { user_id: 2 } });
    const linked = await gw.request('POST', `${V2}/customers/1/attachable-user`, { body: { user_id: 2 } });
    expectError(linked, 422, 'invalid_user');
  });

  it('route_not_found, method_not_allowed, payload_too_large: answered by the router itself', async () => {
    expectError(await gw.request('GET', `${V2}/customer`), 404, 'route_not_found');
    const wrong = await gw.request('PUT', `${V2}/customers`);
    expectError(wrong, 405, 'method_not_allowed');
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    expectError(
      await gw.request('POST', `${V2}/customers`, { rawBody: 'x'.repeat(1024 * 1024 + 1) }),
      413,
      'payload_too_large',
    );
  });

  it('unauthenticated: 401 with a Basic challenge, before anything else', async () => {
    const res = await gw.request('POST', `${V2}/customers`, {
      auth: null,
      rawBody: 'x'.repeat(2 * 1024 * 1024),
    });
    expectError(res, 401, 'unauthenticated');
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
  });

  it('insufficient_permissions: 403 for a role without the permission, which learns nothing more', async () => {
    const customer = await userWithRole(gw.db, 'shopper', 'CUSTOMER');
    for (const path of [`${V2}/customers/1`, `${V2}/customers/999`, `${V2}/customers`]) {
      expectError(await gw.request('GET', path, { auth: customer }), 403, 'insufficient_permissions');
    }
    const viewer = await userWithRole(gw.db, 'watcher', 'VIEWER');
    expect((await gw.request('GET', `${V2}/customers/1`, { auth: viewer })).status).toBe(200);
    expectError(
      await gw.request('PUT', `${V2}/customers/1`, { auth: viewer, body: { first_name: 'X' } }),
      403,
      'insufficient_permissions',
    );
    const manager = await userWithRole(gw.db, 'manager', 'SHOP_MANAGER');
    expectError(
      await gw.request('DELETE', `${V2}/customers/1/address`, { auth: manager, body: { address_id: 2 } }),
      403,
      'insufficient_permissions',
    );
  });

  it('insufficient_permissions comes before invalid input and missing entities', async () => {
    const viewer = await userWithRole(gw.db, 'watcher', 'VIEWER');
    expectError(
      await gw.request('PUT', `${V2}/customers/999`, { auth: viewer, body: { email: 'bad' } }),
      403,
      'insufficient_permissions',
    );
  });

  it('invalid_nonce: 403 for a cookie-session write without X-WP-Nonce', async () => {
    const session = await gw.request('POST', '/auth/session');
    expect(session.status).toBe(200);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
    const nonce = session.body.data.nonce as string;

    const read = await gw.request('GET', `${V2}/customers/1`, { auth: null, headers: { cookie } });
    expect(read.status).toBe(200);
    const write = await gw.request('PUT', `${V2}/customers/1`, {
      auth: null,
      headers: { cookie },
      body: { first_name: 'Jo' },
    });
    expectError(write, 403, 'invalid_nonce');
    const withNonce = await gw.request('PUT', `${V2}/customers/1`, {
      auth: null,
      headers: { cookie, 'x-wp-nonce': nonce },
      body: { first_name: 'Jo' },
    });
    expect(withNonce.status).toBe(200);
    expect(withNonce.body.data.customer.first_name).toBe('Jo');
  });
});

describe('rate_limited', () => {
  let limited: TestGateway;
  beforeAll(async () => {
    limited = await startTestGateway({ RATE_LIMIT_READS: '2', RATE_LIMIT_DELETES: '1' });
    await resetFixture(limited.db);
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('when the class budget is spent, then 429 with Retry-After; values that cannot be converted are not counted', async () => {
    const first = await limited.request('GET', `${V2}/customers/1`);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0);

    const unconvertible = await limited.request('GET', `${V2}/customers?per_page=many`);
    expect(unconvertible.status).toBe(422);

    const second = await limited.request('GET', `${V2}/customers/get-stats/1`);
    expect(second.status).toBe(200);
    expect(second.headers.get('ratelimit-remaining')).toBe('0');

    const third = await limited.request('GET', `${V2}/customers`);
    expectError(third, 429, 'rate_limited');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('when a bulk action costs more than the class maximum, then 422 on customer_ids', async () => {
    const res = await limited.request('POST', `${V2}/customers/do-bulk-action`, {
      body: { action: 'delete', customer_ids: [2, 3] },
    });
    expectError(res, 422, 'validation_error');
    expect(res.body.error.details).toEqual([{ field: 'customer_ids', message: expect.any(String) }]);
  });
});

describe('internal_error', () => {
  let broken: TestGateway;
  beforeAll(async () => {
    broken = await startTestGateway();
    await resetFixture(broken.db);
    // An unexpected failure deep down: the addresses table is gone.
    await broken.db.prisma.$executeRawUnsafe(
      'ALTER TABLE customer_addresses RENAME TO customer_addresses_gone',
    );
  });
  afterAll(async () => {
    await broken?.close();
  });

  it('when something unexpected fails, then 500 internal_error with a generic message and nothing internal', async () => {
    const res = await broken.request('GET', `${V2}/customers/1`);
    expectError(res, 500, 'internal_error');
    expect(res.body.error).toEqual({ code: 'internal_error', message: expect.any(String) });
    expect(res.text).not.toMatch(/customer_addresses|relation|prisma|select|stack|\bat\s/i);
  });
});

/**
 * The generic REST router: which route a request reaches (ids, literals, trailing slash, the
 * v1 alias, `?rest_route=`, method override), 404/405, and the JSON envelope of its answers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { resetFixture } from './fixture.js';

const V2 = '/wp-json/fluent-cart/v2';
const V1 = '/wp-json/fluent-cart/v1';

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

function expectJson(res: { headers: Headers }) {
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
}

describe('route matching', () => {
  it('when the id is [1-9][0-9]*, then the id route answers', async () => {
    const res = await gw.request('GET', `${V2}/customers/1`);
    expect(res.status).toBe(200);
    expectJson(res);
    expect(res.body.data.customer).toMatchObject({ id: 1, email: 'john.doe@example.com' });
  });

  it('when a literal segment sits where an id could, then the literal route wins', async () => {
    const users = await gw.request('GET', `${V2}/customers/attachable-user`);
    expect(users.status).toBe(200);
    expect(users.body.data.users.map((u: { id: number }) => u.id)).toEqual([1, 2]);

    const stats = await gw.request('GET', `${V2}/customers/get-stats/1`);
    expect(stats.status).toBe(200);
    expect(stats.body.data.stats).toMatchObject({ total_spent: 5000, order_count: 2 });

    const bulk = await gw.request('POST', `${V2}/customers/do-bulk-action`, {
      body: { action: 'export', customer_ids: [1] },
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.data.export.format).toBe('json');

    const primary = await gw.request('POST', `${V2}/customers/1/address/make-primary`, {
      body: { address_id: 2 },
    });
    expect(primary.status).toBe(200);
    expect(primary.body.data.address).toMatchObject({ id: 2, is_primary: true });
  });

  it('when the path ends in a slash, then it is ignored', async () => {
    const res = await gw.request('GET', `${V2}/customers/1/`);
    expect(res.status).toBe(200);
    expect(res.body.data.customer.id).toBe(1);
    const list = await gw.request('GET', `${V2}/customers/?per_page=1`);
    expect(list.status).toBe(200);
    expect(list.body.data.pagination.per_page).toBe(1);
  });

  it('when literal segments differ in case, then they still match (as in WordPress)', async () => {
    const res = await gw.request('GET', `${V2}/Customers/Get-Stats/1`);
    expect(res.status).toBe(200);
  });

  it('when /v1/ is used, then it answers as /v2/', async () => {
    const v1 = await gw.request('GET', `${V1}/customers/1`);
    const v2 = await gw.request('GET', `${V2}/customers/1`);
    expect(v1.status).toBe(200);
    expect(v1.body).toEqual(v2.body);
  });

  it('when the plain-permalink form ?rest_route= is used, then the route answers with the other query values', async () => {
    const res = await gw.request('GET', '/?rest_route=/fluent-cart/v2/customers&per_page=2&order_type=asc');
    expect(res.status).toBe(200);
    expectJson(res);
    expect(res.body.data.customers.map((c: { id: number }) => c.id)).toEqual([1, 2]);
    expect(res.body.data.pagination).toEqual({ current_page: 1, per_page: 2, total: 3, total_pages: 2 });

    const encoded = await gw.request(
      'GET',
      `/index.php?rest_route=${encodeURIComponent('/fluent-cart/v1/customers/1/')}`,
    );
    expect(encoded.status).toBe(200);
    expect(encoded.body.data.customer.id).toBe(1);
  });

  it('when no route matches, then 404 route_not_found', async () => {
    for (const path of [
      `${V2}/orders`,
      `${V2}/customers/1/unknown`,
      `${V2}/customers/orders`,
      `${V2}/customers//1`,
      '/wp-json/fluent-cart/v3/customers',
      '/wp-json/wp/v2/users',
      '/?rest_route=/fluent-cart/v2/nothing',
    ]) {
      const res = await gw.request('GET', path);
      expect(res.status, path).toBe(404);
      expectJson(res);
      expect(res.body, path).toEqual({
        success: false,
        error: { code: 'route_not_found', message: expect.any(String) },
      });
    }
  });

  it('when the path matches only under other methods, then 405 method_not_allowed with Allow', async () => {
    const cases: [string, string, string][] = [
      ['DELETE', `${V2}/customers/1`, 'GET, PUT'],
      ['PATCH', `${V2}/customers`, 'GET, POST'],
      ['GET', `${V2}/customers/do-bulk-action`, 'POST'],
      ['POST', `${V2}/customers/attachable-user`, 'GET'],
      ['GET', `${V2}/customers/1/detach-user`, 'POST'],
      ['PATCH', `${V2}/customers/1/address`, 'DELETE, GET, POST, PUT'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await gw.request(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expectJson(res);
      expect(res.headers.get('allow')).toBe(allow);
      expect(res.body.error.code).toBe('method_not_allowed');
    }
  });

  it('when an id segment is malformed, then 422 validation_error naming the path parameter', async () => {
    for (const [path, field] of [
      [`${V2}/customers/abc`, 'customerId'],
      [`${V2}/customers/0`, 'customerId'],
      [`${V2}/customers/-1/orders`, 'customerId'],
      [`${V2}/customers/1.5/address`, 'customerId'],
      [`${V2}/customers/get-stats/abc`, 'customer'],
    ]) {
      const res = await gw.request('GET', path as string);
      expect(res.status, path).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details).toEqual([{ field, message: expect.any(String) }]);
    }
  });

  it('when a well-formed id is beyond the BIGINT range, then it is simply not found', async () => {
    const res = await gw.request('GET', `${V2}/customers/99999999999999999999999`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('customer_not_found');
  });

  it('when no credentials are sent, then 401 comes before routing', async () => {
    const unknown = await gw.request('GET', `${V2}/nothing`, { auth: null });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('unauthenticated');
    const wrongMethod = await gw.request('DELETE', `${V2}/customers/1`, { auth: null });
    expect(wrongMethod.status).toBe(401);
  });
});

describe('method override', () => {
  it('when a POST carries X-HTTP-Method-Override: PUT, then it is the PUT route', async () => {
    const res = await gw.request('POST', `${V2}/customers/1`, {
      headers: { 'x-http-method-override': 'PUT' },
      body: { first_name: 'Johnny' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.customer).toMatchObject({ id: 1, first_name: 'Johnny', last_name: 'Doe' });
  });

  it('when a POST carries ?_method=DELETE, then it is the DELETE route (with its JSON body)', async () => {
    const res = await gw.request('POST', `${V2}/customers/1/address?_method=DELETE`, {
      body: { address_id: 2 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, message: 'Address deleted successfully' });
    const left = await gw.request('GET', `${V2}/customers/1/address`);
    expect(left.body.data.addresses.map((a: { id: number }) => a.id)).toEqual([1]);
  });

  it('when the header override is lower case, then it still applies', async () => {
    const res = await gw.request('POST', `${V2}/customers/1/address`, {
      headers: { 'x-http-method-override': 'delete' },
      body: { address_id: 2 },
    });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('Address deleted successfully');
  });

  it('when the method is not POST, then an override is ignored', async () => {
    const res = await gw.request('GET', `${V2}/customers/1?_method=DELETE`);
    expect(res.status).toBe(200);
    expect(res.body.data.customer.id).toBe(1);
  });

  it('when the override names no method, then the request stays a POST', async () => {
    const res = await gw.request('POST', `${V2}/customers/1`, {
      headers: { 'x-http-method-override': 'FROB' },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PUT');
  });
});

describe('DELETE with a JSON body', () => {
  it('when DELETE …/address carries {"address_id": 2}, then that address is deleted', async () => {
    const res = await gw.request('DELETE', `${V1}/customers/1/address`, { body: { address_id: 2 } });
    expect(res.status).toBe(200);
    expectJson(res);
    expect(res.body).toEqual({ success: true, message: 'Address deleted successfully' });
  });
});

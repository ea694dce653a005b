/**
 * How the router reads a request: bodies (empty, JSON with or without Content-Type, forms
 * with bracket syntax, limits, refusals), where each value comes from (path > body > query,
 * first alias wins), and how strings become the operation's variable types — with a 422
 * naming the REST field, before the operation runs, when they cannot.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { resetFixture, userWithRole } from './fixture.js';

const V2 = '/wp-json/fluent-cart/v2';
const MiB = 1024 * 1024;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

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

const ids = (list: { id: number }[]) => list.map((x) => x.id);

function expectValidationError(res: { status: number; body: any }, fields: string[]) {
  expect(res.status).toBe(422);
  expect(res.body.success).toBe(false);
  expect(res.body.error.code).toBe('validation_error');
  expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(fields);
}

describe('request bodies', () => {
  it('when there is no body, then it is {}', async () => {
    const res = await gw.request('POST', `${V2}/customers/1/detach-user`);
    expect(res.status).toBe(200);
    expect(res.body.data.customer).toMatchObject({ id: 1, user_id: null });
  });

  it('when JSON is sent without a Content-Type, then it is parsed as JSON', async () => {
    // A byte body, unlike a string, gets no Content-Type from fetch.
    const response = await gw.gateway.fetch(`http://gateway.test${V2}/customers/1/address/make-primary`, {
      method: 'POST',
      headers: { authorization: gw.adminAuth },
      body: new TextEncoder().encode('{"address_id": 2}'),
    });
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.status).toBe(200);
    expect((await response.json()).data.address.id).toBe(2);
  });

  it('when the JSON media type has parameters, then it is still JSON', async () => {
    const res = await gw.request('PUT', `${V2}/customers/2`, {
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      rawBody: '{"last_name": "Browning"}',
    });
    expect(res.status).toBe(200);
    expect(res.body.data.customer.last_name).toBe('Browning');
  });

  it('when the JSON is malformed, then 422 validation_error', async () => {
    const res = await gw.request('POST', `${V2}/customers`, {
      headers: { 'content-type': 'application/json' },
      rawBody: '{"email": ',
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({
      success: false,
      error: { code: 'validation_error', message: 'The request body is not valid JSON' },
    });
  });

  it('when the JSON is not an object, then 422 validation_error', async () => {
    for (const rawBody of ['[1, 2]', '"text"', '42', 'null', 'true']) {
      const res = await gw.request('POST', `${V2}/customers`, {
        headers: { 'content-type': 'application/json' },
        rawBody,
      });
      expect(res.status, rawBody).toBe(422);
      expect(res.body.error).toEqual({
        code: 'validation_error',
        message: 'The request body must be a JSON object',
      });
    }
  });

  it('when the content type is neither JSON nor a form, then 422 validation_error', async () => {
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml']) {
      const res = await gw.request('POST', `${V2}/customers`, {
        headers: { 'content-type': type },
        rawBody: 'email=a@example.com',
      });
      expect(res.status, type).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.message).toMatch(/^Unsupported content type/);
    }
  });

  it('when the body is over 1 MiB, then 413 payload_too_large', async () => {
    const rawBody = JSON.stringify({ email: 'big@example.com', additional_info: { blob: 'x'.repeat(MiB) } });
    const res = await gw.request('POST', `${V2}/customers`, {
      headers: { 'content-type': 'application/json' },
      rawBody,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('when an oversized body declares no length, then it is refused while reading', async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode(`"${'x'.repeat(64 * 1024)}",`);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Never-ending: only a limit enforced while reading can answer.
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await gw.gateway.fetch(`http://gateway.test${V2}/customers`, {
      method: 'POST',
      headers: { authorization: gw.adminAuth, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload_too_large');
    expect(sent).toBeLessThan(2 * MiB);
  });

  it('when a body of exactly 1 MiB is sent, then it is accepted', async () => {
    const prefix = '{"address_id": 2, "pad": "';
    const rawBody = `${prefix}${'x'.repeat(MiB - prefix.length - 2)}"}`;
    expect(Buffer.byteLength(rawBody)).toBe(MiB);
    const res = await gw.request('POST', `${V2}/customers/1/address/make-primary`, {
      headers: { 'content-type': 'application/json' },
      rawBody,
    });
    expect(res.status).toBe(200);
  });

  it('when an oversized body is also malformed, then 413 comes first; an unknown route comes before both', async () => {
    const rawBody = `{${'x'.repeat(MiB + 1)}`;
    const tooLarge = await gw.request('POST', `${V2}/customers`, { rawBody });
    expect(tooLarge.status).toBe(413);
    const unknown = await gw.request('POST', `${V2}/nothing`, { rawBody });
    expect(unknown.status).toBe(404);
    const wrongMethod = await gw.request('DELETE', `${V2}/customers`, { rawBody });
    expect(wrongMethod.status).toBe(405);
  });

  it('when the body is a form with bracket syntax, then address[id]=2 is the address id', async () => {
    const res = await gw.request('POST', `${V2}/customers/1/address/make-primary`, {
      headers: FORM,
      rawBody: 'address%5Bid%5D=2',
    });
    expect(res.status).toBe(200);
    expect(res.body.data.address).toMatchObject({ id: 2, is_primary: true });

    const deleted = await gw.request('DELETE', `${V2}/customers/1/address`, {
      headers: FORM,
      rawBody: 'address[id]=2',
    });
    expect(deleted.status).toBe(200);
  });

  it('when a form creates an address, then its strings become the input types', async () => {
    const res = await gw.request('POST', `${V2}/customers/2/address`, {
      headers: FORM,
      rawBody:
        'type=shipping&first_name=Alice&address_1=1+Elm+St&city=Queens&country=us&postcode=11301&is_primary=1',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.address).toMatchObject({
      id: 3,
      customer_id: 2,
      type: 'shipping',
      address_1: '1 Elm St',
      country: 'US',
      postcode: '11301',
      is_primary: true,
    });
  });

  it('when a form sends additional_info[key]=value, then it is a JSON object', async () => {
    const res = await gw.request('POST', `${V2}/customers`, {
      headers: FORM,
      rawBody: 'email=form%40example.com&additional_info[company]=Form+Corp&additional_info[tier]=gold',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.customer).toMatchObject({
      email: 'form@example.com',
      additional_info: { company: 'Form Corp', tier: 'gold' },
    });
  });

  it('when a form updates additional info, then the whole form is the object merged', async () => {
    const res = await gw.request('PUT', `${V2}/customers/1/additional-info?ignored=1`, {
      headers: FORM,
      rawBody: 'notes=VIP&level=2',
    });
    expect(res.status).toBe(200);
    expect(res.body.data.customer.additional_info).toEqual({
      company: 'Example Corp',
      notes: 'VIP',
      level: '2',
    });
  });

  it('when the body has unknown keys, then they are ignored', async () => {
    const res = await gw.request('POST', `${V2}/customers`, {
      body: { email: 'extra@example.com', favourite_colour: 'blue', id: 99 },
    });
    expect(res.status).toBe(201);
    expect(res.body.data.customer.id).toBe(4);
  });
});

describe('value sources and aliases', () => {
  it('when the address id is in the body and the query, then the body wins', async () => {
    const res = await gw.request('PUT', `${V2}/customers/1/address?address_id=1&city=Ignored`, {
      body: { address_id: 2, city: 'Queens' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.address).toMatchObject({ id: 2, city: 'Queens' });
  });

  it('when a value is only in the query string, then the query string is used', async () => {
    const res = await gw.request('DELETE', `${V2}/customers/1/address?address_id=2`);
    expect(res.status).toBe(200);
    const put = await gw.request('PUT', `${V2}/customers/1/address?id=1&city=Albany`);
    expect(put.status).toBe(200);
    expect(put.body.data.address).toMatchObject({ id: 1, city: 'Albany' });
  });

  it('when several aliases are given in one source, then address_id > id > address[id]', async () => {
    const first = await gw.request('PUT', `${V2}/customers/1/address`, {
      body: { address_id: 2, id: 1, address: { id: 1 }, city: 'A' },
    });
    expect(first.body.data.address.id).toBe(2);
    const second = await gw.request('PUT', `${V2}/customers/1/address`, {
      body: { id: 1, address: { id: 2 }, city: 'B' },
    });
    expect(second.body.data.address.id).toBe(1);
    const third = await gw.request('PUT', `${V2}/customers/1/address`, {
      body: { address: { id: 2 }, city: 'C' },
    });
    expect(third.body.data.address.id).toBe(2);
  });

  it('when the body names another customer, then the path wins', async () => {
    const res = await gw.request('PUT', `${V2}/customers/2`, {
      body: { customerId: 1, id: 1, first_name: 'Al' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.customer).toMatchObject({ id: 2, first_name: 'Al' });
  });

  it('when a required value is missing, then 422 names it before anything runs', async () => {
    expectValidationError(await gw.request('DELETE', `${V2}/customers/1/address`, { body: {} }), [
      'address_id',
    ]);
    expectValidationError(await gw.request('POST', `${V2}/customers`, { body: { first_name: 'No' } }), [
      'email',
    ]);
    expectValidationError(
      await gw.request('POST', `${V2}/customers/1/address`, { body: { type: 'billing' } }),
      ['address_1', 'city', 'country'],
    );
  });
});

describe('list parameters', () => {
  it('when filters use bracket syntax, then they apply', async () => {
    const res = await gw.request('GET', `${V2}/customers?filters[status]=inactive`);
    expect(res.status).toBe(200);
    expect(ids(res.body.data.customers)).toEqual([3]);
  });

  it('when filters are a JSON string, then they apply', async () => {
    const filters = encodeURIComponent(JSON.stringify({ status: 'active', total_spent_min: 1000 }));
    const res = await gw.request('GET', `${V2}/customers?filters=${filters}`);
    expect(res.status).toBe(200);
    expect(ids(res.body.data.customers)).toEqual([1]);
  });

  it('when bracket filters carry numbers and dates, then they are converted', async () => {
    const res = await gw.request(
      'GET',
      `${V2}/customers?filters[total_spent_max]=0&filters[date_from]=2024-02-01&filters[date_to]=2024-12-31`,
    );
    expect(res.status).toBe(200);
    expect(ids(res.body.data.customers)).toEqual([3, 2]);
  });

  it('when a filter key or value is unknown, then 422 names filters[key]', async () => {
    expectValidationError(await gw.request('GET', `${V2}/customers?filters[colour]=red`), [
      'filters[colour]',
    ]);
    expectValidationError(await gw.request('GET', `${V2}/customers?filters[status]=gone`), [
      'filters[status]',
    ]);
    expectValidationError(await gw.request('GET', `${V2}/customers?filters[total_spent_min]=lots`), [
      'filters[total_spent_min]',
    ]);
    expectValidationError(await gw.request('GET', `${V2}/customers?filters=not-json`), ['filters']);
  });

  it('when sort_by/sort_type are used, then they are order_by/order_type', async () => {
    const res = await gw.request('GET', `${V2}/customers?sort_by=first_name&sort_type=asc`);
    expect(res.status).toBe(200);
    expect(res.body.data.customers.map((c: { first_name: string }) => c.first_name)).toEqual([
      'Alice',
      'Bob',
      'John',
    ]);
  });

  it('when order_by and sort_by are both given, then order_by wins (and order_type over sort_type)', async () => {
    const res = await gw.request(
      'GET',
      `${V2}/customers?order_by=id&sort_by=first_name&order_type=ASC&sort_type=desc`,
    );
    expect(ids(res.body.data.customers)).toEqual([1, 2, 3]);
  });

  it('when order_by or order_type is unknown, then 422 names the REST parameter', async () => {
    expectValidationError(await gw.request('GET', `${V2}/customers?order_by=colour`), ['order_by']);
    expectValidationError(await gw.request('GET', `${V2}/customers?sort_type=sideways`), ['sort_type']);
  });

  it('when page and per_page are numeric strings, then they are integers', async () => {
    const res = await gw.request('GET', `${V2}/customers?page=2&per_page=2`);
    expect(res.status).toBe(200);
    expect(res.body.data.pagination).toEqual({ current_page: 2, per_page: 2, total: 3, total_pages: 2 });
    expect(ids(res.body.data.customers)).toEqual([1]);
  });

  it('when page or per_page cannot be an integer, then 422 before the operation runs', async () => {
    expectValidationError(await gw.request('GET', `${V2}/customers?per_page=ten`), ['per_page']);
    expectValidationError(await gw.request('GET', `${V2}/customers?page=1.5`), ['page']);
    expectValidationError(await gw.request('GET', `${V2}/customers?page=`), ['page']);
    expectValidationError(await gw.request('GET', `${V2}/customers/1/orders?per_page=x&page=y`), [
      'page',
      'per_page',
    ]);
  });

  it('when per_page is an integer out of range, then the operation decides (clamp or 422)', async () => {
    const clamped = await gw.request('GET', `${V2}/customers?per_page=500`);
    expect(clamped.status).toBe(200);
    expect(clamped.body.data.pagination.per_page).toBe(100);
    const zero = await gw.request('GET', `${V2}/customers?per_page=0`);
    expectValidationError(zero, ['per_page']);
    expect(zero.body.error.message).toMatch(/^per_page: /);
  });

  it('when the orders and addresses lists take parameters, then they apply', async () => {
    const orders = await gw.request('GET', `${V2}/customers/1/orders?per_page=1&page=2`);
    expect(orders.status).toBe(200);
    expect(ids(orders.body.data.orders)).toEqual([1]);
    expect(orders.body.data.pagination).toEqual({ current_page: 2, per_page: 1, total: 2, total_pages: 2 });
    const shipping = await gw.request('GET', `${V2}/customers/1/address?type=shipping`);
    expect(ids(shipping.body.data.addresses)).toEqual([2]);
    expectValidationError(await gw.request('GET', `${V2}/customers/1/address?type=home`), ['type']);
  });
});

describe('conversion of single values', () => {
  it('when is_primary is "true"/"1"/"false"/"0", then it is a Boolean', async () => {
    const made = await gw.request('POST', `${V2}/customers/1/address?is_primary=true`, {
      body: { type: 'billing', address_1: '9 Side St', city: 'Albany', country: 'US' },
    });
    expect(made.status).toBe(201);
    expect(made.body.data.address).toMatchObject({ id: 3, is_primary: true });
    const form = await gw.request('PUT', `${V2}/customers/1/address`, {
      headers: FORM,
      rawBody: 'address_id=1&is_primary=1',
    });
    expect(form.status).toBe(200);
    expect(form.body.data.address).toMatchObject({ id: 1, is_primary: true });
  });

  it('when a Boolean value is anything else, then 422 names the field', async () => {
    expectValidationError(
      await gw.request('PUT', `${V2}/customers/1/address`, {
        headers: FORM,
        rawBody: 'address_id=1&is_primary=yes',
      }),
      ['is_primary'],
    );
  });

  it('when user_id is a number or a numeric string, then it is the user id', async () => {
    const asString = await gw.request('POST', `${V2}/customers/1/attachable-user`, {
      body: { user_id: '2' },
    });
    expect(asString.status).toBe(200);
    expect(asString.body.data.customer.user_id).toBe(2);
    const asNumber = await gw.request('POST', `${V2}/customers/2/attachable-user`, { body: { user_id: 1 } });
    expect(asNumber.status).toBe(200);
    expect(asNumber.body.data.customer.user_id).toBe(1);
  });

  it('when an id value is malformed, then 422 names the field', async () => {
    for (const userId of ['abc', 0, -1, 1.5, '1.5', true, '']) {
      expectValidationError(
        await gw.request('POST', `${V2}/customers/1/attachable-user`, { body: { user_id: userId } }),
        ['user_id'],
      );
    }
    expectValidationError(await gw.request('DELETE', `${V2}/customers/1/address`, { body: { id: 'two' } }), [
      'id',
    ]);
  });

  it('when a text field gets a number, then it is its decimal string; an object is refused', async () => {
    const res = await gw.request('PUT', `${V2}/customers/1/address`, {
      body: { address_id: 1, postcode: 10002 },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.address.postcode).toBe('10002');
    expectValidationError(await gw.request('PUT', `${V2}/customers/1`, { body: { first_name: { a: 1 } } }), [
      'first_name',
    ]);
  });

  it('when a value cannot be converted, then 422 comes before the permission check', async () => {
    const customer = await userWithRole(gw.db, 'shopper', 'CUSTOMER');
    const unconvertible = await gw.request('GET', `${V2}/customers?per_page=ten`, { auth: customer });
    expectValidationError(unconvertible, ['per_page']);
    const forbidden = await gw.request('GET', `${V2}/customers?per_page=10`, { auth: customer });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('insufficient_permissions');
  });
});

describe('bulk action values', () => {
  it("when FluentCart's change_customer_status carries new_status, then statuses change", async () => {
    const res = await gw.request('POST', `${V2}/customers/do-bulk-action`, {
      body: { action: 'change_customer_status', customer_ids: ['2', 3], new_status: 'inactive' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ processed: 2, failed: 0 });
    const list = await gw.request('GET', `${V2}/customers?filters[status]=inactive&order_type=asc`);
    expect(ids(list.body.data.customers)).toEqual([2, 3]);
  });

  it('when data.status and new_status are both given, then data.status wins', async () => {
    const res = await gw.request('POST', `${V2}/customers/do-bulk-action`, {
      body: {
        action: 'update_status',
        customer_ids: [1],
        new_status: 'inactive',
        data: { status: 'active' },
      },
    });
    expect(res.status).toBe(200);
    const one = await gw.request('GET', `${V2}/customers/1`);
    expect(one.body.data.customer.status).toBe('active');
  });

  it("when FluentCart's delete_customers is sent as a form, then the customers are deleted", async () => {
    const res = await gw.request('POST', `${V2}/customers/do-bulk-action`, {
      headers: FORM,
      rawBody: 'action=delete_customers&customer_ids[]=2&customer_ids[]=3',
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      processed: 2,
      failed: 0,
      results: [
        { customer_id: 2, success: true },
        { customer_id: 3, success: true },
      ],
    });
  });

  it('when export asks for data.format=csv, then the export is CSV text', async () => {
    const res = await gw.request('POST', `${V2}/customers/do-bulk-action?customer_ids=1,2`, {
      body: { action: 'export', data: { format: 'csv' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.export).toMatchObject({ format: 'csv', content_type: 'text/csv; charset=utf-8' });
    expect(res.body.data.export.content.split('\r\n')[0]).toBe(
      'id,email,first_name,last_name,phone,status,total_spent,order_count,created_at,updated_at',
    );
  });

  it('when the action, a status, a format or an id is not convertible, then 422 names the REST field', async () => {
    const bulk = (body: Record<string, unknown>) =>
      gw.request('POST', `${V2}/customers/do-bulk-action`, { body });
    expectValidationError(await bulk({ action: 'archive', customer_ids: [1] }), ['action']);
    expectValidationError(await bulk({ action: 'update_status', customer_ids: [1], data: { status: 'x' } }), [
      'data[status]',
    ]);
    expectValidationError(await bulk({ action: 'update_status', customer_ids: [1], new_status: 'x' }), [
      'new_status',
    ]);
    expectValidationError(await bulk({ action: 'export', customer_ids: [1], data: { format: 'xml' } }), [
      'data[format]',
    ]);
    expectValidationError(await bulk({ action: 'delete', customer_ids: [1, 'two'] }), ['customer_ids']);
    expectValidationError(await bulk({ action: 'delete' }), ['customer_ids']);
  });
});

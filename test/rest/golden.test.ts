/**
 * Golden tests: every example request of the documented Customers API
 * (test/fixtures/customers-api.txt, a copy of shared/spec/customers-api.txt) is replayed —
 * method, /v1/ path, query and body as printed, with concrete emails for the obfuscated
 * ones — against the fixture, reset before each. Each answer has the documented status and
 * every key of the documented response with the documented JSON type (answers may carry
 * more: REST objects are the full objects).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { readExamples } from './examples.js';
import { resetFixture } from './fixture.js';

const examples = readExamples();

/** Keys the contract makes nullable: a documented string may be null when not set. */
const NULLABLE = new Set([
  'phone',
  'user_id',
  'company',
  'address_2',
  'state',
  'postcode',
  'first_order_date',
  'last_order_date',
  'customer_id',
]);

/** Free-form objects: their documented keys are sample data, not fields. */
const OPAQUE = new Set(['additional_info']);

const jsonType = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** Every documented key is present, with the documented JSON type. */
function expectDocumentedShape(actual: unknown, documented: unknown, path: string): void {
  const key = path
    .split('.')
    .at(-1)!
    .replace(/\[\d+\]$/, '');
  if (documented === null) {
    expect(actual, path).toBeNull();
    return;
  }
  if (actual === null && NULLABLE.has(key)) return;
  expect(jsonType(actual), path).toBe(jsonType(documented));
  if (Array.isArray(documented) && Array.isArray(actual)) {
    if (documented.length > 0) expect(actual.length, `${path} is not empty`).toBeGreaterThan(0);
    for (const [i, item] of actual.entries()) expectDocumentedShape(item, documented[0], `${path}[${i}]`);
  } else if (jsonType(documented) === 'object' && !OPAQUE.has(key)) {
    for (const [k, v] of Object.entries(documented as Record<string, unknown>)) {
      expect(actual, path).toHaveProperty([k]);
      expectDocumentedShape((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    }
  }
}

/** What each example must do beyond its shape, on the fixture. */
const outcomes: Record<string, (data: any, gw: TestGateway) => Promise<void> | void> = {
  'GET /customers': (data) => {
    expect(data.pagination).toEqual({ current_page: 1, per_page: 20, total: 1, total_pages: 1 });
    expect(data.customers[0]).toMatchObject({ id: 1, first_name: 'John', total_spent: 5000, order_count: 2 });
  },
  'POST /customers': (data) => {
    expect(data.customer).toMatchObject({
      id: 4,
      email: 'jane.smith@example.com',
      first_name: 'Jane',
      last_name: 'Smith',
      status: 'active',
      phone: null,
    });
  },
  'GET /customers/{customerId}': (data) => {
    expect(data.customer).toMatchObject({ id: 1, phone: '+1234567890', total_spent: 5000, order_count: 2 });
    expect(data.customer.addresses.map((a: any) => [a.id, a.type, a.is_primary])).toEqual([
      [1, 'billing', true],
      [2, 'shipping', true],
    ]);
  },
  'PUT /customers/{customerId}': (data) => {
    expect(data.customer).toMatchObject({
      id: 1,
      first_name: 'John',
      last_name: 'Doe',
      phone: '+1234567890',
    });
  },
  'PUT /customers/{customerId}/additional-info': (data) => {
    expect(data.customer.additional_info).toEqual({ company: 'Updated Corp', notes: 'Updated VIP customer' });
  },
  'GET /customers/get-stats/{customer}': (data) => {
    expect(data.stats).toEqual({
      total_spent: 5000,
      order_count: 2,
      average_order_value: 2500,
      last_order_date: '2024-01-15T14:30:00Z',
      first_order_date: '2024-01-01T10:00:00Z',
    });
  },
  'GET /customers/{customerId}/orders': (data) => {
    expect(data.orders.map((o: any) => [o.id, o.status, o.payment_status])).toEqual([
      [2, 'processing', 'paid'],
      [1, 'completed', 'paid'],
    ]);
  },
  'GET /customers/{customerId}/address': (data) => {
    expect(data.addresses.map((a: any) => a.id)).toEqual([1, 2]);
  },
  'PUT /customers/{customerId}/address': (data) => {
    expect(data.address).toMatchObject({
      id: 1,
      address_1: '123 Updated St',
      city: 'New York',
      type: 'billing',
    });
  },
  'POST /customers/{customerId}/address': (data) => {
    expect(data.address).toMatchObject({ id: 3, type: 'shipping', city: 'Queens', is_primary: false });
  },
  'DELETE /customers/{customerId}/address': async (_data, gw) => {
    const left = await gw.request('GET', '/wp-json/fluent-cart/v2/customers/1/address');
    expect(left.body.data.addresses.map((a: any) => a.id)).toEqual([1]);
  },
  'POST /customers/{customerId}/address/make-primary': (data) => {
    expect(data.address).toMatchObject({ id: 2, is_primary: true });
  },
  'GET /customers/attachable-user': (data) => {
    expect(data.users.map((u: any) => [u.id, u.user_login])).toEqual([
      [1, 'admin'],
      [2, 'janesmith'],
    ]);
  },
  'POST /customers/{customerId}/attachable-user': (data) => {
    expect(data.customer).toMatchObject({ id: 1, user_id: 1 });
  },
  'POST /customers/{customerId}/detach-user': (data) => {
    expect(data.customer).toMatchObject({ id: 1, user_id: null });
  },
  'POST /customers/do-bulk-action': (data) => {
    expect(data).toEqual({
      processed: 3,
      failed: 0,
      results: [1, 2, 3].map((id) => ({ customer_id: id, success: true })),
    });
  },
};

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

describe('the documented examples (customers-api.txt)', () => {
  it('are the 16 documented operations, each once, on the /v1/ alias', () => {
    expect(examples).toHaveLength(16);
    expect(new Set(examples.map((e) => e.operation)).size).toBe(16);
    for (const example of examples) expect(example.path).toMatch(/^\/wp-json\/fluent-cart\/v1\/customers/);
    expect(Object.keys(outcomes).sort()).toEqual(examples.map((e) => e.operation).sort());
  });

  it.each(examples.map((e) => [`${e.title}: ${e.method} ${e.path}`, e] as const))(
    '%s',
    async (_name, example) => {
      const res = await gw.request(example.method, example.path, { body: example.body });
      const created =
        example.method === 'POST' && /^POST \/customers(\/\{customerId\}\/address)?$/.test(example.operation);
      expect(res.status, res.text).toBe(created ? 201 : 200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expectDocumentedShape(res.body, example.response, 'body');
      await outcomes[example.operation]!(res.body.data, gw);
    },
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  // Budgets have their own tests (bulk-mutations, test/rest); these files write far more.
  gw = await startTestGateway({ RATE_LIMIT_ENABLED: 'false' });
});
afterAll(async () => {
  await gw?.close();
});

const BULK = /* GraphQL */ `
  mutation Bulk($input: CustomerBulkActionInput!) {
    customerBulkAction(input: $input) {
      processed
      failed
      results { customerId success error { code message field } }
      export { format contentType content }
      userErrors { code message field }
    }
  }
`;

async function bulk(input: Record<string, unknown>) {
  const res = await gw.graphql(BULK, { input });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.customerBulkAction;
}

let counter = 0;
const created = new Date('2024-01-01T10:00:00Z');

async function customer(data: Record<string, unknown> = {}): Promise<string> {
  const row = await gw.db.prisma.customer.create({
    data: {
      email: `bulk${++counter}-${Date.now()}@example.com`,
      createdAt: created,
      updatedAt: created,
      ...data,
    },
  });
  return String(row.id);
}

const ok = (customerId: string) => ({ customerId, success: true, error: null });
const notFound = (customerId: string) => ({
  customerId,
  success: false,
  error: { code: 'CUSTOMER_NOT_FOUND', message: `Customer with ID ${customerId} not found`, field: null },
});

describe('customerBulkAction: request-level faults', () => {
  it.each([
    ['an empty id list', { action: 'DELETE', customerIds: [] }, 'customerIds'],
    ['a malformed id', { action: 'DELETE', customerIds: ['1', 'abc'] }, 'customerIds'],
    ['a zero id', { action: 'EXPORT', customerIds: ['0'] }, 'customerIds'],
    ['a negative id', { action: 'EXPORT', customerIds: [-1] }, 'customerIds'],
    ['a leading zero', { action: 'EXPORT', customerIds: ['01'] }, 'customerIds'],
    [
      '1001 distinct ids',
      { action: 'EXPORT', customerIds: Array.from({ length: 1001 }, (_, i) => String(i + 1)) },
      'customerIds',
    ],
    ['UPDATE_STATUS without status', { action: 'UPDATE_STATUS', customerIds: ['1'] }, 'status'],
    [
      'UPDATE_STATUS with a null status',
      { action: 'UPDATE_STATUS', customerIds: ['1'], status: null },
      'status',
    ],
  ])('%s rejects the whole request', async (_case, input, field) => {
    const id = await customer();
    const before = await gw.db.prisma.customer.count();
    // A valid id beside the faulty ones shows that nothing at all is done.
    const sent = input.customerIds as unknown[];
    const result = await bulk({ ...input, customerIds: sent.length > 0 ? [...sent, id] : sent });
    expect(result).toEqual({
      processed: 0,
      failed: 0,
      results: [],
      export: null,
      userErrors: [{ code: 'VALIDATION_ERROR', message: expect.any(String), field }],
    });
    expect(await gw.db.prisma.customer.count()).toBe(before);
  });

  it('reports a malformed id list and a missing status together', async () => {
    const { userErrors } = await bulk({ action: 'UPDATE_STATUS', customerIds: ['x'] });
    expect(userErrors.map((e: { field: string }) => e.field)).toEqual(['customerIds', 'status']);
  });

  it('1000 distinct ids (plus duplicates) are accepted', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => String(900_000_000 + i));
    const result = await bulk({
      action: 'EXPORT',
      format: 'CSV',
      customerIds: [...ids, ...ids.slice(0, 10)],
    });
    expect(result.userErrors).toEqual([]);
    expect(result.results).toHaveLength(1000);
    expect(result.failed).toBe(1000);
  });
});

describe('customerBulkAction UPDATE_STATUS', () => {
  it('updates each customer, reports unknown ids, ignores duplicates and keeps the order first sent', async () => {
    const a = await customer();
    const b = await customer({ status: 'INACTIVE' });
    const result = await bulk({
      action: 'UPDATE_STATUS',
      status: 'INACTIVE',
      customerIds: [b, '987654321', a, b, '99999999999999999999'],
    });
    expect(result).toEqual({
      processed: 2,
      failed: 2,
      results: [ok(b), notFound('987654321'), ok(a), notFound('99999999999999999999')],
      export: null,
      userErrors: [],
    });
    const rows = await gw.db.prisma.customer.findMany({ where: { id: { in: [BigInt(a), BigInt(b)] } } });
    for (const row of rows) {
      expect(row.status).toBe('INACTIVE');
      expect(row.updatedAt).not.toEqual(created);
    }
  });

  it('accepts numbers as ids', async () => {
    const a = await customer();
    const result = await bulk({ action: 'UPDATE_STATUS', status: 'ACTIVE', customerIds: [Number(a)] });
    expect(result.results).toEqual([ok(a)]);
  });
});

describe('customerBulkAction DELETE', () => {
  it('removes customers and their addresses; their orders stay without a customer', async () => {
    const a = await customer();
    const keep = await customer();
    await gw.db.prisma.customerAddress.create({
      data: {
        customerId: BigInt(a),
        type: 'BILLING',
        isPrimary: true,
        address1: 'x',
        city: 'y',
        country: 'US',
      },
    });
    const order = await gw.db.prisma.order.create({
      data: { customerId: BigInt(a), paymentStatus: 'PAID', totalAmount: 100n, currency: 'USD' },
    });
    const result = await bulk({ action: 'DELETE', customerIds: [a, '987654321'] });
    expect(result).toMatchObject({ processed: 1, failed: 1, results: [ok(a), notFound('987654321')] });
    expect(await gw.db.prisma.customer.findUnique({ where: { id: BigInt(a) } })).toBeNull();
    expect(await gw.db.prisma.customerAddress.count({ where: { customerId: BigInt(a) } })).toBe(0);
    expect((await gw.db.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).customerId).toBeNull();
    expect(await gw.db.prisma.customer.findUnique({ where: { id: BigInt(keep) } })).not.toBeNull();
  });

  it('deleting the same customer again reports it as not found', async () => {
    const a = await customer();
    expect((await bulk({ action: 'DELETE', customerIds: [a] })).processed).toBe(1);
    expect((await bulk({ action: 'DELETE', customerIds: [a] })).results).toEqual([notFound(a)]);
  });
});

describe('customerBulkAction EXPORT', () => {
  it('CSV: header, RFC 4180 quoting of commas, quotes and newlines, lower-case status, UTC timestamps', async () => {
    const plain = await customer({
      email: `plain${Date.now()}@example.com`,
      firstName: 'Jane',
      lastName: 'Smith',
      phone: '+1 555',
      status: 'INACTIVE',
    });
    const tricky = await customer({
      email: `tricky${Date.now()}@example.com`,
      firstName: 'Doe, Jr.',
      lastName: 'The "Boss"\nSecond line',
      phone: null,
    });
    await gw.db.prisma.order.create({
      data: { customerId: BigInt(tricky), paymentStatus: 'PAID', totalAmount: 2500n, currency: 'USD' },
    });
    const rows = await gw.db.prisma.customer.findMany({
      where: { id: { in: [BigInt(plain), BigInt(tricky)] } },
      orderBy: { id: 'asc' },
    });
    const [p, t] = rows;
    const result = await bulk({ action: 'EXPORT', format: 'CSV', customerIds: [tricky, '987654321', plain] });
    expect(result).toMatchObject({
      processed: 2,
      failed: 1,
      results: [ok(tricky), notFound('987654321'), ok(plain)],
      userErrors: [],
    });
    expect(result.export.format).toBe('CSV');
    expect(result.export.contentType).toBe('text/csv; charset=utf-8');
    expect(result.export.content).toBe(
      'id,email,first_name,last_name,phone,status,total_spent,order_count,created_at,updated_at\r\n' +
        `${tricky},${t?.email},"Doe, Jr.","The ""Boss""\nSecond line",,active,2500,1,2024-01-01T10:00:00Z,2024-01-01T10:00:00Z\r\n` +
        `${plain},${p?.email},Jane,Smith,+1 555,inactive,0,0,2024-01-01T10:00:00Z,2024-01-01T10:00:00Z\r\n`,
    );
  });

  it('JSON (the default): an array of full REST customer objects, in the order sent', async () => {
    const u = await gw.db.prisma.user.create({
      data: { login: `bulkuser${Date.now()}`, email: 'u@example.com' },
    });
    const a = await customer({ firstName: 'A', additionalInfo: { vip: true }, userId: u.id });
    const b = await customer({ phone: '123' });
    const result = await bulk({ action: 'EXPORT', customerIds: [b, a, b] });
    expect(result.export.format).toBe('JSON');
    expect(result.export.contentType).toBe('application/json');
    const content = JSON.parse(result.export.content);
    expect(content.map((c: { id: number }) => c.id)).toEqual([Number(b), Number(a)]);
    expect(content[1]).toEqual({
      id: Number(a),
      email: expect.stringMatching(/@example\.com$/),
      first_name: 'A',
      last_name: '',
      phone: null,
      status: 'active',
      user_id: Number(u.id),
      additional_info: { vip: true },
      total_spent: 0,
      order_count: 0,
      created_at: '2024-01-01T10:00:00Z',
      updated_at: '2024-01-01T10:00:00Z',
    });
  });

  it('only unknown ids: every id failed and an empty export', async () => {
    const json = await bulk({ action: 'EXPORT', customerIds: ['987654321'] });
    expect(json).toMatchObject({ processed: 0, failed: 1, export: { content: '[]' } });
    const csv = await bulk({ action: 'EXPORT', format: 'CSV', customerIds: ['987654321'] });
    expect(csv.export.content).toBe(
      'id,email,first_name,last_name,phone,status,total_spent,order_count,created_at,updated_at\r\n',
    );
  });

  it('does not change the customers', async () => {
    const a = await customer();
    await bulk({ action: 'EXPORT', customerIds: [a] });
    const row = await gw.db.prisma.customer.findUniqueOrThrow({ where: { id: BigInt(a) } });
    expect(row.updatedAt).toEqual(created);
  });
});

describe('customerBulkAction and the rate limits', () => {
  let limited: TestGateway;
  beforeAll(async () => {
    limited = await startTestGateway({ RATE_LIMIT_DELETES: '3', RATE_LIMIT_READS: '100' });
  });
  afterAll(async () => {
    await limited?.close();
  });

  async function limitedBulk(input: Record<string, unknown>) {
    const res = await limited.graphql(BULK, { input });
    expect(res.status).toBe(200);
    return res.body;
  }

  async function ids(n: number): Promise<string[]> {
    const rows = await Promise.all(
      Array.from({ length: n }, () =>
        limited.db.prisma.customer.create({ data: { email: `limit${++counter}-${Date.now()}@example.com` } }),
      ),
    );
    return rows.map((r) => String(r.id));
  }

  it('a bulk action costing more than the class maximum is VALIDATION_ERROR on customerIds and is not counted', async () => {
    const [a, b, c, d] = await ids(4);
    const over = await limitedBulk({ action: 'DELETE', customerIds: [a, b, c, d] });
    expect(over.errors).toBeUndefined();
    expect(over.data.customerBulkAction).toEqual({
      processed: 0,
      failed: 0,
      results: [],
      export: null,
      userErrors: [{ code: 'VALIDATION_ERROR', message: expect.any(String), field: 'customerIds' }],
    });
    expect(
      await limited.db.prisma.customer.count({
        where: { id: { in: [a, b, c, d].map((x) => BigInt(x as string)) } },
      }),
    ).toBe(4);

    // Duplicates cost nothing: three distinct ids fit the budget of three exactly.
    const fits = await limitedBulk({ action: 'DELETE', customerIds: [a, b, a, c, b] });
    expect(fits.data.customerBulkAction.processed).toBe(3);

    const refused = await limitedBulk({ action: 'DELETE', customerIds: [d] });
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(await limited.db.prisma.customer.count({ where: { id: BigInt(d as string) } })).toBe(1);

    // Other classes keep their own budgets: an export counts against reads.
    const exported = await limitedBulk({ action: 'EXPORT', customerIds: [d] });
    expect(exported.data.customerBulkAction.processed).toBe(1);
  });
});

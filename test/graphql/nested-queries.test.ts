/**
 * Nested fields (Customer.addresses/orders/stats/user, CustomerAddress.customer,
 * Order.customer) and what they cost in SQL: a constant number of statements per request
 * whatever the page size, nested orders limited in SQL, only requested columns selected.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import {
  insertAddress,
  insertCustomer,
  insertManyOrders,
  insertOrders,
  insertUser,
  topError,
} from './queries-fixtures.js';

let gw: TestGateway;
const CUSTOMERS = 120;
const BIG_ORDERS = 10_000;
let bigId: string;
let smallId: string;
let linkedId: string;
let userId: string;

beforeAll(async () => {
  gw = await startTestGateway({ RATE_LIMIT_ENABLED: 'false', AUTH_CACHE_TTL_MS: '60000' });
  const prisma = gw.db.prisma;
  const user = await insertUser(gw, 'linked-user', 'linked@example.com', 'Linked');
  userId = user.id.toString();
  // Customers 1..120, ids in creation order; every third gets a user, every one two addresses
  // and three orders (one statement each, the stats triggers fill the customer rows).
  await prisma.user.createMany({
    data: Array.from({ length: CUSTOMERS }, (_, i) => ({
      login: `u${i + 1}`,
      email: `u${i + 1}@example.com`,
    })),
  });
  const users = await prisma.user.findMany({ where: { login: { startsWith: 'u' } }, orderBy: { id: 'asc' } });
  await prisma.customer.createMany({
    data: Array.from({ length: CUSTOMERS }, (_, i) => ({
      email: `customer${i + 1}@example.com`,
      firstName: `First${i + 1}`,
      lastName: 'Bulk',
      userId: i % 3 === 0 ? (users[i]?.id ?? null) : null,
      createdAt: new Date(Date.UTC(2024, 0, 1, 0, i)),
      updatedAt: new Date(Date.UTC(2024, 0, 1, 0, i)),
    })),
  });
  await prisma.$executeRaw(Prisma.sql`
    INSERT INTO customer_addresses (customer_id, type, address_1, city, country, is_primary)
    SELECT c.id, t.type::address_type, '1 Main St', 'Berlin', 'DE', true
      FROM customers AS c CROSS JOIN (VALUES ('shipping'), ('billing')) AS t(type)`);
  await prisma.$executeRaw(Prisma.sql`
    INSERT INTO orders (customer_id, status, payment_status, total_amount, currency, created_at, updated_at)
    SELECT c.id, 'completed', 'paid', 1000 * g, 'EUR', c.created_at + g * interval '1 day', c.created_at
      FROM customers AS c CROSS JOIN generate_series(1, 3) AS g`);

  const big = await insertCustomer(gw, {
    email: 'big@example.com',
    firstName: 'Big',
    createdAt: '2024-06-01T00:00:00Z',
  });
  bigId = big.id.toString();
  await insertManyOrders(gw, big.id, BIG_ORDERS, '2024-07-01T00:00:00Z');

  const small = await insertCustomer(gw, {
    email: 'small@example.com',
    firstName: 'Small',
    createdAt: '2024-06-02T00:00:00Z',
    userId: user.id,
  });
  smallId = small.id.toString();
  linkedId = smallId;
  await insertOrders(gw, small.id, [
    { total: 500, createdAt: '2024-06-03T00:00:00Z' },
    { total: 700, createdAt: '2024-06-05T00:00:00Z' },
    { total: 900, createdAt: '2024-06-05T00:00:00Z' },
    { paymentStatus: 'failed', total: 100, createdAt: '2024-06-06T00:00:00Z' },
    { total: 100, createdAt: '2024-06-04T00:00:00Z' },
  ]);
  await insertAddress(gw, small.id, { type: 'SHIPPING', isPrimary: true, city: 'S1' });
  await insertAddress(gw, small.id, { type: 'BILLING', isPrimary: false, city: 'B2' });
  await insertAddress(gw, small.id, { type: 'BILLING', isPrimary: true, city: 'B1' });
  await insertAddress(gw, small.id, { type: 'SHIPPING', isPrimary: false, city: 'S2' });
  // Authenticates once, so the statement counts below see only the operation's own statements.
  await gw.graphql('{ viewer { id } }');
});

afterAll(async () => {
  await gw?.close();
});

/** Statements of the operation: authentication (cached, but filtered for safety) left out. */
function operationStatements(): string[] {
  return gw.statements.filter((sql) => !/application_passwords|"user_login" = \$1/.test(sql));
}

async function run(query: string, variables?: Record<string, unknown>) {
  gw.resetStatements();
  const res = await gw.graphql(query, variables);
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return { data: res.body.data, statements: operationStatements() };
}

const PAGE = /* GraphQL */ `
  query Page($perPage: Int!) {
    customers(perPage: $perPage) {
      pagination { total perPage }
      customers {
        id email
        addresses { id type isPrimary city }
        orders(perPage: 5) { orders { id status totalAmount createdAt } pagination { total totalPages } }
        user { id login }
        stats { totalSpent orderCount averageOrderValue firstOrderDate lastOrderDate }
      }
    }
  }
`;

describe('statement counts', () => {
  it('customers with addresses, orders, user and stats: the same few statements for perPage 10 and 100', async () => {
    const ten = await run(PAGE, { perPage: 10 });
    const hundred = await run(PAGE, { perPage: 100 });
    expect(ten.data.customers.customers).toHaveLength(10);
    expect(hundred.data.customers.customers).toHaveLength(100);
    expect(ten.statements).toHaveLength(hundred.statements.length);
    // 1 page of ids + total, 2 customers with their user and addresses (Prisma's join
    // strategy), 3 orders (limited per customer in SQL, with their counts).
    expect(hundred.statements).toHaveLength(3);
    const kinds = hundred.statements.map(kindOf).sort();
    expect(kinds).toEqual(['customers', 'orders', 'page']);
  });

  it('without user: still 3 statements (ids+count, customers with addresses, orders) for perPage 10 and 100', async () => {
    const query = PAGE.replace('user { id login }', '');
    const ten = await run(query, { perPage: 10 });
    const hundred = await run(query, { perPage: 100 });
    expect(ten.statements).toHaveLength(3);
    expect(hundred.statements).toHaveLength(3);
  });

  it('customersConnection with the same nested fields: constant too (first 10 and 100)', async () => {
    const query = /* GraphQL */ `
      query Conn($first: Int!) {
        customersConnection(first: $first) {
          totalCount
          edges { cursor node { id addresses { id } orders(perPage: 3) { orders { id } } user { login } stats { totalSpent } } }
          nodes { id email }
        }
      }
    `;
    const ten = await run(query, { first: 10 });
    const hundred = await run(query, { first: 100 });
    expect(hundred.data.customersConnection.edges).toHaveLength(100);
    expect(ten.statements).toHaveLength(hundred.statements.length);
    // page of ids (+ total), customers with users and addresses, orders.
    expect(hundred.statements).toHaveLength(3);
  });

  it('stats come from the customer row: one statement for a customer with its stats', async () => {
    const { data, statements } = await run(
      `{ customer(id: "${smallId}") { id stats { totalSpent orderCount averageOrderValue } } }`,
    );
    expect(data.customer.stats).toEqual({ totalSpent: 2200, orderCount: 4, averageOrderValue: 550 });
    expect(statements).toHaveLength(1);
  });

  it('orders with their customer (Order.customer): a constant number of statements', async () => {
    const query = /* GraphQL */ `
      query($perPage: Int!) {
        customerOrders(customerId: "${bigId}", perPage: $perPage) { orders { id customer { id email } } }
      }
    `;
    const few = await run(query, { perPage: 5 });
    const many = await run(query, { perPage: 100 });
    expect(many.data.customerOrders.orders).toHaveLength(100);
    for (const order of many.data.customerOrders.orders) {
      expect(order.customer).toEqual({ id: bigId, email: 'big@example.com' });
    }
    expect(few.statements.length).toBe(many.statements.length);
    // The orders (raw, limited in SQL), then their customers in one batched findMany.
    expect(many.statements.map(kindOf)).toEqual(['orders', 'customers']);
  });

  it('only the requested columns are selected (select mode)', async () => {
    const narrow = await run(`{ customers(perPage: 5) { customers { id email } } }`);
    const hydrate = narrow.statements.find((sql) => kindOf(sql) === 'customers') ?? '';
    expect(hydrate).toContain('"email"');
    expect(hydrate).not.toContain('additional_info');
    expect(hydrate).not.toContain('first_name');
    const wide = await run(`{ customers(perPage: 5) { customers { id additionalInfo } } }`);
    expect(wide.statements.find((sql) => kindOf(sql) === 'customers')).toContain('additional_info');
  });

  it('when only the pagination is asked, then no customer rows are loaded', async () => {
    const { data, statements } = await run('{ customers { pagination { total } } }');
    expect(data.customers.pagination.total).toBe(CUSTOMERS + 2);
    expect(statements.map(kindOf)).toEqual(['page']);
  });
});

describe('nested orders are limited in SQL', () => {
  async function rowsFetchedBy(query: string, variables?: Record<string, unknown>) {
    const spy = vi.spyOn(gw.db.prisma, '$queryRaw');
    try {
      const { data, statements } = await run(query, variables);
      const ordersCall = spy.mock.calls.findIndex((call) => kindOf(sqlText(call[0])) === 'orders');
      expect(ordersCall).toBeGreaterThanOrEqual(0);
      const rows = (await spy.mock.results[ordersCall]?.value) as unknown[];
      return { data, statements, rows: rows.length };
    } finally {
      spy.mockRestore();
    }
  }

  it(`a customer with ${BIG_ORDERS} orders fetches no more rows than one with five`, async () => {
    const query = `query($id: ID!) { customer(id: $id) { orders(perPage: 5) { orders { id } pagination { total } } } }`;
    const big = await rowsFetchedBy(query, { id: bigId });
    const small = await rowsFetchedBy(query, { id: smallId });
    expect(big.data.customer.orders.pagination.total).toBe(BIG_ORDERS);
    expect(big.data.customer.orders.orders).toHaveLength(5);
    expect(big.rows).toBe(5);
    expect(small.rows).toBe(5);
  });

  it('a page of 100 customers fetches at most perPage orders per customer, the limit inside the statement', async () => {
    const query = `{ customers(perPage: 100, orderBy: ORDER_COUNT, orderType: DESC) { customers { id orders(perPage: 5) { orders { id } } } } }`;
    const { data, statements, rows } = await rowsFetchedBy(query);
    expect(data.customers.customers[0].id).toBe(bigId);
    expect(data.customers.customers[0].orders.orders).toHaveLength(5);
    // 100 customers × at most 5 orders, though the first alone has 10,000.
    expect(rows).toBeLessThanOrEqual(500);
    const ordersSql = statements.find((sql) => kindOf(sql) === 'orders') ?? '';
    expect(ordersSql).toMatch(
      /LEFT JOIN LATERAL \(\s*SELECT \* FROM orders AS x[\s\S]*LIMIT \$1 OFFSET \$2\s*\) AS o/,
    );
  });
});

describe('Customer.orders', () => {
  const ORDERS = /* GraphQL */ `
    query($id: ID!, $page: Int, $perPage: Int) {
      customer(id: $id) {
        orders(page: $page, perPage: $perPage) {
          pagination { currentPage perPage total totalPages }
          orders { id totalAmount createdAt paymentStatus }
        }
      }
    }
  `;

  it('defaults to 10 per page, newest first, ties by id descending', async () => {
    const { data } = await run(ORDERS, { id: bigId });
    expect(data.customer.orders.pagination).toEqual({
      currentPage: 1,
      perPage: 10,
      total: BIG_ORDERS,
      totalPages: 1000,
    });
    expect(data.customer.orders.orders).toHaveLength(10);
    const small = (await run(ORDERS, { id: smallId })).data.customer.orders.orders;
    expect(small.map((o: { totalAmount: number }) => o.totalAmount)).toEqual([100, 900, 700, 100, 500]);
    expect(small[0].paymentStatus).toBe('FAILED');
    expect(small.map((o: { createdAt: string }) => o.createdAt)).toEqual([
      '2024-06-06T00:00:00Z',
      '2024-06-05T00:00:00Z',
      '2024-06-05T00:00:00Z',
      '2024-06-04T00:00:00Z',
      '2024-06-03T00:00:00Z',
    ]);
  });

  it('pages (page 2 continues page 1) and clamps perPage to 100', async () => {
    const first = (await run(ORDERS, { id: smallId, perPage: 2 })).data.customer.orders;
    const second = (await run(ORDERS, { id: smallId, page: 2, perPage: 2 })).data.customer.orders;
    const all = (await run(ORDERS, { id: smallId })).data.customer.orders.orders;
    expect([...first.orders, ...second.orders]).toEqual(all.slice(0, 4));
    expect(second.pagination).toEqual({ currentPage: 2, perPage: 2, total: 5, totalPages: 3 });
    const clamped = (await run(ORDERS, { id: bigId, perPage: 1000 })).data.customer.orders;
    expect(clamped.pagination).toMatchObject({ perPage: 100, totalPages: 100 });
    expect(clamped.orders).toHaveLength(100);
  });

  it('aliases with different page sizes each get their own page', async () => {
    const { data, statements } = await run(`{
      customer(id: "${smallId}") {
        a: orders(perPage: 1) { orders { id } }
        b: orders(perPage: 3) { orders { id } }
      }
    }`);
    expect(data.customer.a.orders).toHaveLength(1);
    expect(data.customer.b.orders).toHaveLength(3);
    expect(data.customer.b.orders[0]).toEqual(data.customer.a.orders[0]);
    expect(statements).toHaveLength(3);
  });

  it('when perPage or page is below 1, then a top-level VALIDATION_ERROR naming it', async () => {
    for (const [variables, field] of [
      [{ perPage: 0 }, 'perPage'],
      [{ page: 0 }, 'page'],
    ] as const) {
      const res = await gw.graphql(ORDERS, { id: smallId, ...variables });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ customer: null });
      const error = topError(res.body);
      expect(error.extensions).toEqual({
        code: 'VALIDATION_ERROR',
        details: [{ field, message: expect.any(String) }],
      });
      expect((error as { path?: unknown }).path).toEqual(['customer', 'orders']);
    }
  });
});

describe('Customer.addresses, Customer.user, Customer.stats', () => {
  it('addresses: billing before shipping, primary first, then id; filtered by type', async () => {
    const { data } = await run(`{
      customer(id: "${smallId}") {
        all: addresses { city type isPrimary }
        shipping: addresses(type: SHIPPING) { city }
      }
    }`);
    expect(data.customer.all.map((a: { city: string }) => a.city)).toEqual(['B1', 'B2', 'S1', 'S2']);
    expect(data.customer.shipping.map((a: { city: string }) => a.city)).toEqual(['S1', 'S2']);
  });

  it('addresses in a list: each customer gets its own, in order', async () => {
    const { data } = await run(
      `{ customers(perPage: 3, search: "Bulk") { customers { id addresses { type customer { id } } } } }`,
    );
    expect(data.customers.customers).toHaveLength(3);
    for (const customer of data.customers.customers) {
      expect(customer.addresses.map((a: { type: string }) => a.type)).toEqual(['BILLING', 'SHIPPING']);
      for (const address of customer.addresses) expect(address.customer.id).toBe(customer.id);
    }
  });

  it('user: the linked user, or null', async () => {
    const { data } = await run(`{
      linked: customer(id: "${linkedId}") { userId user { id login email displayName role } }
      alone: customer(id: "${bigId}") { userId user { id } }
    }`);
    expect(data.linked).toEqual({
      userId,
      user: {
        id: userId,
        login: 'linked-user',
        email: 'linked@example.com',
        displayName: 'Linked',
        role: 'CUSTOMER',
      },
    });
    expect(data.alone).toEqual({ userId: null, user: null });
  });

  it('stats equal customerStats, and the list columns', async () => {
    const { data } = await run(`{
      customer(id: "${bigId}") { totalSpent orderCount stats { totalSpent orderCount averageOrderValue firstOrderDate lastOrderDate } }
      customerStats(customerId: "${bigId}") { totalSpent orderCount averageOrderValue firstOrderDate lastOrderDate }
    }`);
    expect(data.customer.stats).toEqual(data.customerStats);
    expect(data.customer.stats).toEqual({
      totalSpent: BIG_ORDERS * 100,
      orderCount: BIG_ORDERS,
      averageOrderValue: 100,
      firstOrderDate: new Date(Date.parse('2024-07-01T00:00:00Z') - (BIG_ORDERS - 1) * 60_000)
        .toISOString()
        .replace('.000Z', 'Z'),
      lastOrderDate: '2024-07-01T00:00:00Z',
    });
    expect(data.customer.totalSpent).toBe(BIG_ORDERS * 100);
  });
});

describe('CustomerAddress.customer and Order.customer', () => {
  it('customerAddresses → customer', async () => {
    const { data } = await run(
      `{ customerAddresses(customerId: "${smallId}") { city customer { id email } } }`,
    );
    expect(data.customerAddresses).toHaveLength(4);
    for (const address of data.customerAddresses) {
      expect(address.customer).toEqual({ id: smallId, email: 'small@example.com' });
    }
  });

  it('Customer.orders → Order.customer leads back to the customer', async () => {
    const { data } = await run(
      `{ customer(id: "${smallId}") { orders(perPage: 2) { orders { customerId customer { id firstName } } } } }`,
    );
    for (const order of data.customer.orders.orders) {
      expect(order).toEqual({ customerId: smallId, customer: { id: smallId, firstName: 'Small' } });
    }
  });

  it('an order whose customer was deleted has customerId and customer null', async () => {
    const gone = await insertCustomer(gw, { email: 'gone@example.com', createdAt: '2024-08-01T00:00:00Z' });
    const [orderId] = await insertOrders(gw, gone.id, [{ total: 1, createdAt: '2024-08-02T00:00:00Z' }]);
    const before = await run(
      `{ customerOrders(customerId: "${gone.id}") { orders { id customerId customer { id } } } }`,
    );
    expect(before.data.customerOrders.orders).toEqual([
      { id: String(orderId), customerId: String(gone.id), customer: { id: String(gone.id) } },
    ]);
    await gw.db.prisma.customer.delete({ where: { id: gone.id } });
    const order = await gw.db.prisma.order.findUniqueOrThrow({ where: { id: orderId as bigint } });
    expect(order.customerId).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

function sqlText(value: unknown): string {
  if (value instanceof Prisma.Sql) return value.sql;
  if (Array.isArray(value)) return value.join('?');
  return String(value);
}

/** What a statement reads, for readable assertions on the statement log. */
function kindOf(sql: string): string {
  if (sql.includes('LEFT JOIN LATERAL') && sql.includes('FROM orders AS x')) return 'orders';
  if (sql.includes('FROM customers AS c') && sql.includes('AS has_before')) return 'page';
  if (sql.includes('FROM "public"."customers"')) return 'customers';
  if (sql.includes('FROM "public"."customer_addresses"')) return 'addresses';
  if (sql.includes('FROM "public"."users"')) return 'users';
  if (sql.includes('FROM "public"."orders"')) return 'orders (prisma)';
  return sql;
}

/**
 * One engine, two surfaces: the REST answer for a customer, a list page and stats is the
 * GraphQL answer for the same request, field by field (snake_case names, numeric ids,
 * lower-case enums). The GraphQL side is mapped here independently of the router's code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { resetFixture } from './fixture.js';

const V2 = '/wp-json/fluent-cart/v2';

const CUSTOMER_FIELDS =
  'id email firstName lastName phone status userId additionalInfo totalSpent orderCount createdAt updatedAt';
const ADDRESS_FIELDS =
  'id customerId type firstName lastName company address1 address2 city state postcode country phone isPrimary createdAt updatedAt';

const snake = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([a-z])([0-9])/g, '$1_$2')
    .toLowerCase();

/** GraphQL JSON as REST shows it: snake_case keys, ids as numbers, enums in lower case. */
function asRest(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => asRest(v, key));
  if (value && typeof value === 'object') {
    if (key === 'additionalInfo') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), asRest(v, k)]));
  }
  if ((key === 'id' || key.endsWith('Id')) && typeof value === 'string') return Number(value);
  if ((key === 'status' || key === 'type') && typeof value === 'string') return value.toLowerCase();
  return value;
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await resetFixture(gw.db);
});
afterAll(async () => {
  await gw?.close();
});

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const res = await gw.graphql(query, variables);
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

describe('REST and GraphQL give the same answers', () => {
  it('for a customer with its addresses', async () => {
    const rest = await gw.request('GET', `${V2}/customers/1`);
    const data = await graphql(
      `query ($id: ID!) { customer(id: $id) { ${CUSTOMER_FIELDS} addresses { ${ADDRESS_FIELDS} } } }`,
      { id: '1' },
    );
    expect(rest.status).toBe(200);
    expect(rest.body.data.customer).toEqual(asRest(data.customer));
  });

  it('for a page of a searched, filtered, sorted list', async () => {
    const rest = await gw.request(
      'GET',
      `${V2}/customers?page=1&per_page=2&search=example&filters[status]=active&order_by=first_name&order_type=asc`,
    );
    const data = await graphql(
      `query { customers(page: 1, perPage: 2, search: "example", filters: {status: ACTIVE},
                         orderBy: FIRST_NAME, orderType: ASC) {
        customers { ${CUSTOMER_FIELDS} }
        pagination { currentPage perPage total totalPages }
      } }`,
    );
    expect(rest.status).toBe(200);
    expect(rest.body.data).toEqual(asRest(data.customers));
    expect(rest.body.data.customers.map((c: { id: number }) => c.id)).toEqual([2, 1]);
  });

  it('for stats', async () => {
    const rest = await gw.request('GET', `${V2}/customers/get-stats/1`);
    const data = await graphql(
      'query { customerStats(customerId: "1") { totalSpent orderCount averageOrderValue lastOrderDate firstOrderDate } }',
    );
    expect(rest.status).toBe(200);
    expect(rest.body.data.stats).toEqual(asRest(data.customerStats));
    expect(rest.body.data.stats.total_spent).toBe(5000);
  });

  it('for a missing customer: the same code and message', async () => {
    const rest = await gw.request('GET', `${V2}/customers/42`);
    const res = await gw.graphql('query { customer(id: "42") { id } }');
    expect(rest.status).toBe(404);
    expect(rest.body.error).toEqual({
      code: res.body.errors?.[0]?.extensions?.code.toLowerCase(),
      message: res.body.errors?.[0]?.message,
    });
  });
});

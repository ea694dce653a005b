/**
 * Root query fields of the read side, through HTTP: customers, customersConnection, customer,
 * customerStats, customerOrders, customerAddresses, attachableUsers — results, list semantics
 * (paging, search, filters, sorting) and every error path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import {
  type CustomerSeed,
  insertAddress,
  insertCustomer,
  insertOrders,
  insertUser,
  topError,
} from './queries-fixtures.js';

let gw: TestGateway;

const seeds = {
  c1: {
    email: 'alice@example.com',
    firstName: 'Alice',
    lastName: 'Zephyr',
    phone: '+1 555 0101',
    createdAt: '2024-01-01T10:00:00Z',
    updatedAt: '2024-06-01T00:00:00Z',
  },
  c2: {
    email: 'BOB@example.com',
    firstName: 'bob',
    lastName: 'Young',
    createdAt: '2024-01-02T00:00:00Z',
    updatedAt: '2024-06-01T00:00:00Z',
  },
  c3: {
    email: 'carol@Example.org',
    firstName: 'Carol',
    lastName: 'Xavier',
    phone: '+44 20 7946 0000',
    status: 'INACTIVE',
    createdAt: '2024-01-02T23:59:59Z',
    updatedAt: '2024-05-01T00:00:00Z',
  },
  c4: {
    email: 'dave@example.com',
    firstName: 'Dave',
    createdAt: '2024-01-03T00:00:00Z',
    updatedAt: '2024-05-01T00:00:00Z',
  },
  c5: {
    email: '100%_off@deals.com',
    firstName: 'Percent',
    lastName: 'Under_score',
    createdAt: '2024-02-01T12:00:00Z',
  },
  c6: {
    email: "o'brien@example.ie",
    firstName: 'Conan',
    lastName: "O'Brien",
    status: 'INACTIVE',
    createdAt: '2024-02-01T12:00:00Z',
  },
  c7: {
    email: 'eve@example.com',
    firstName: 'Eve',
    lastName: 'Back\\Slash',
    createdAt: '2024-03-01T00:00:00Z',
  },
  c8: {
    email: 'frank@example.com',
    firstName: 'frank',
    lastName: 'Zephyr',
    createdAt: '2024-03-02T00:00:00Z',
  },
  c9: {
    email: 'grace@example.com',
    firstName: 'Grace',
    lastName: 'zephyr',
    status: 'INACTIVE',
    createdAt: '2024-03-03T00:00:00Z',
  },
  c10: {
    email: 'heidi@example.com',
    firstName: 'Heidi',
    lastName: 'Anders',
    phone: '555-0199',
    createdAt: '2024-12-31T23:59:59Z',
  },
  c11: {
    email: 'ALICE.B@example.com',
    firstName: 'alice',
    lastName: 'Brown',
    createdAt: '2025-01-01T00:00:00Z',
  },
} satisfies Record<string, CustomerSeed>;
type Key = keyof typeof seeds;

/** Stats the orders below produce (checked against customerStats). */
const totals: Partial<Record<Key, { spent: number; count: number }>> = {
  c1: { spent: 5001, count: 3 },
  c2: { spent: 3, count: 2 },
  c3: { spent: 5, count: 2 },
  c5: { spent: 5001, count: 1 },
  c6: { spent: 3, count: 3 },
};

const ids = {} as Record<Key, string>;
const keyOf = new Map<string, Key>();
const orderIds: string[] = [];
const addressIds: string[] = [];
let linkedUserId: bigint;

beforeAll(async () => {
  gw = await startTestGateway({ RATE_LIMIT_ENABLED: 'false' });
  linkedUserId = (await insertUser(gw, 'linked', 'linked@example.com', 'Linked User')).id;
  for (const [key, seed] of Object.entries(seeds) as [Key, CustomerSeed][]) {
    const customer = await insertCustomer(gw, { ...seed, userId: key === 'c1' ? linkedUserId : null });
    ids[key] = customer.id.toString();
    keyOf.set(ids[key], key);
  }
  const id = (key: Key) => BigInt(ids[key]);
  orderIds.push(
    ...(
      await insertOrders(gw, id('c1'), [
        { paymentStatus: 'paid', total: 1000, createdAt: '2024-02-01T10:00:00Z' },
        { paymentStatus: 'paid', total: 2001, createdAt: '2024-03-01T10:00:00Z' },
        { paymentStatus: 'pending', status: 'pending', total: 5000, createdAt: '2024-04-01T10:00:00Z' },
        {
          paymentStatus: 'partially_refunded',
          status: 'on-hold',
          total: 3000,
          refunded: 1000,
          currency: 'USD',
          createdAt: '2024-03-01T10:00:00Z',
        },
      ])
    ).map(String),
  );
  await insertOrders(gw, id('c2'), [
    { total: 1, createdAt: '2024-02-01T00:00:00Z' },
    { total: 2, createdAt: '2024-02-02T00:00:00Z' },
  ]);
  await insertOrders(gw, id('c3'), [
    { total: 2, createdAt: '2024-02-01T00:00:00Z' },
    { paymentStatus: 'partially_paid', total: 3, createdAt: '2024-02-02T00:00:00Z' },
  ]);
  await insertOrders(gw, id('c4'), [
    { paymentStatus: 'refunded', total: 100, createdAt: '2024-02-01T00:00:00Z' },
  ]);
  await insertOrders(gw, id('c5'), [{ total: 5001, createdAt: '2024-02-05T00:00:00Z' }]);
  await insertOrders(gw, id('c6'), [
    { total: 1, createdAt: '2024-02-01T00:00:00Z' },
    { total: 1, createdAt: '2024-02-01T00:00:00Z' },
    { total: 1, createdAt: '2024-02-01T00:00:00Z' },
  ]);
  for (const [type, isPrimary] of [
    ['SHIPPING', true],
    ['BILLING', false],
    ['BILLING', true],
    ['SHIPPING', false],
    ['BILLING', false],
  ] as const) {
    addressIds.push((await insertAddress(gw, id('c1'), { type, isPrimary })).id.toString());
  }
});

afterAll(async () => {
  await gw?.close();
});

// ---------------------------------------------------------------------------------------------
// Expected orders, computed from the seeds as the contract defines them
// ---------------------------------------------------------------------------------------------

type SortKey =
  | 'ID'
  | 'EMAIL'
  | 'FIRST_NAME'
  | 'LAST_NAME'
  | 'STATUS'
  | 'CREATED_AT'
  | 'UPDATED_AT'
  | 'TOTAL_SPENT'
  | 'ORDER_COUNT';
const sortKeys: SortKey[] = [
  'ID',
  'EMAIL',
  'FIRST_NAME',
  'LAST_NAME',
  'STATUS',
  'CREATED_AT',
  'UPDATED_AT',
  'TOTAL_SPENT',
  'ORDER_COUNT',
];

function sortValue(key: Key, by: SortKey): string | number {
  const s = seeds[key] as CustomerSeed;
  switch (by) {
    case 'ID':
      return Number(ids[key]);
    case 'EMAIL':
      return s.email.toLowerCase();
    case 'FIRST_NAME':
      return (s.firstName ?? '').toLowerCase();
    case 'LAST_NAME':
      return (s.lastName ?? '').toLowerCase();
    case 'STATUS':
      return s.status === 'INACTIVE' ? 1 : 0;
    case 'CREATED_AT':
      return Date.parse(s.createdAt);
    case 'UPDATED_AT':
      return Date.parse(s.updatedAt ?? s.createdAt);
    case 'TOTAL_SPENT':
      return totals[key]?.spent ?? 0;
    case 'ORDER_COUNT':
      return totals[key]?.count ?? 0;
  }
}

/** Text compares by code unit (the data is ASCII: the "C" collation); ties by id, same direction. */
function expectedOrder(by: SortKey, direction: 'ASC' | 'DESC', keys = Object.keys(seeds) as Key[]): string[] {
  const sign = direction === 'ASC' ? 1 : -1;
  return [...keys]
    .sort((a, b) => {
      const va = sortValue(a, by);
      const vb = sortValue(b, by);
      const c = va < vb ? -1 : va > vb ? 1 : Number(ids[a]) - Number(ids[b]);
      return sign * c;
    })
    .map((k) => ids[k]);
}

const idsOf = (list: { id: string }[]) => list.map((c) => c.id);
const keysOf = (list: { id: string }[]) => list.map((c) => keyOf.get(c.id));

const LIST = /* GraphQL */ `
  query List(
    $page: Int
    $perPage: Int
    $search: String
    $filters: CustomerFilters
    $orderBy: CustomerOrderBy
    $orderType: SortOrder
  ) {
    customers(
      page: $page
      perPage: $perPage
      search: $search
      filters: $filters
      orderBy: $orderBy
      orderType: $orderType
    ) {
      pagination { currentPage perPage total totalPages }
      customers { id email }
    }
  }
`;

async function list(variables: Record<string, unknown>) {
  const res = await gw.graphql(LIST, variables);
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.customers as {
    pagination: { currentPage: number; perPage: number; total: number; totalPages: number };
    customers: { id: string; email: string }[];
  };
}

async function listError(variables: Record<string, unknown>) {
  const res = await gw.graphql(LIST, variables);
  expect(res.status).toBe(200);
  expect(res.body.data).toBeNull();
  return topError(res.body);
}

// ---------------------------------------------------------------------------------------------

describe('customers', () => {
  it('when called without arguments, then 10 per page, newest id first, with the pagination', async () => {
    const res = await gw.graphql(
      '{ customers { pagination { currentPage perPage total totalPages } customers { id } } }',
    );
    expect(res.status).toBe(200);
    const data = res.body.data.customers;
    expect(data.pagination).toEqual({ currentPage: 1, perPage: 10, total: 11, totalPages: 2 });
    expect(idsOf(data.customers)).toEqual(expectedOrder('ID', 'DESC').slice(0, 10));
  });

  it('when asking page 2 and a page past the end, then the rest and then nothing, with the total', async () => {
    const second = await list({ page: 2 });
    expect(second.pagination).toEqual({ currentPage: 2, perPage: 10, total: 11, totalPages: 2 });
    expect(idsOf(second.customers)).toEqual([ids.c1]);
    const beyond = await list({ page: 3 });
    expect(beyond.pagination).toEqual({ currentPage: 3, perPage: 10, total: 11, totalPages: 2 });
    expect(beyond.customers).toEqual([]);
  });

  it('when perPage is 3, then totalPages is ceil(total / perPage)', async () => {
    const last = await list({ page: 4, perPage: 3 });
    expect(last.pagination).toEqual({ currentPage: 4, perPage: 3, total: 11, totalPages: 4 });
    expect(idsOf(last.customers)).toEqual(expectedOrder('ID', 'DESC').slice(9));
  });

  it('when perPage is above 100, then it is clamped to 100 and the pagination shows 100', async () => {
    const all = await list({ perPage: 500 });
    expect(all.pagination).toEqual({ currentPage: 1, perPage: 100, total: 11, totalPages: 1 });
    expect(all.customers).toHaveLength(11);
  });

  it('when nothing matches, then total 0 and totalPages 0', async () => {
    const none = await list({ search: 'no such customer' });
    expect(none.pagination).toEqual({ currentPage: 1, perPage: 10, total: 0, totalPages: 0 });
    expect(none.customers).toEqual([]);
  });

  describe('paging errors', () => {
    it('when perPage is 0, then a top-level VALIDATION_ERROR on perPage, HTTP 200, data null', async () => {
      const error = await listError({ perPage: 0 });
      expect(error.extensions).toEqual({
        code: 'VALIDATION_ERROR',
        details: [{ field: 'perPage', message: expect.any(String) }],
      });
      expect(error.message).toMatch(/perPage/);
    });

    it('when page is 0 or negative, then VALIDATION_ERROR on page', async () => {
      for (const page of [0, -1]) {
        const error = await listError({ page });
        expect(error.extensions?.code).toBe('VALIDATION_ERROR');
        expect(error.extensions?.details).toEqual([{ field: 'page', message: expect.any(String) }]);
      }
    });

    it('when several parameters are bad, then one error lists every field', async () => {
      const error = await listError({
        page: 0,
        perPage: -5,
        filters: { dateFrom: 'soon', dateTo: '2024-13-01' },
      });
      expect(error.extensions?.code).toBe('VALIDATION_ERROR');
      expect(error.extensions?.details.map((d: { field: string }) => d.field)).toEqual([
        'page',
        'perPage',
        'filters.dateFrom',
        'filters.dateTo',
      ]);
    });

    it('when page is not an integer, then GraphQL rejects the variable (400 BAD_USER_INPUT)', async () => {
      const res = await gw.graphql(LIST, { page: 1.5 });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('when orderBy is unknown, then a GraphQL validation error, HTTP 400', async () => {
      const res = await gw.graphql('{ customers(orderBy: NAME) { customers { id } } }');
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('when a filter key is unknown, then a GraphQL validation error, HTTP 400', async () => {
      const res = await gw.graphql('{ customers(filters: { country: "DE" }) { customers { id } } }');
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });

  describe('search', () => {
    const cases: [string, string, Key[]][] = [
      ['is case-insensitive over email and names', 'ALICE', ['c11', 'c1']],
      ['matches "first last"', 'alice zephyr', ['c1']],
      ['matches across the space of "first last"', 'e zeph', ['c9', 'c1']],
      ['matches phone', '555', ['c10', 'c1']],
      ['matches the email domain, case-insensitively (citext)', 'EXAMPLE.ORG', ['c3']],
      ['treats % literally', '%', ['c5']],
      ['treats _ literally', '_', ['c5']],
      ["treats ' literally", "'", ['c6']],
      ['treats \\ literally', '\\', ['c7']],
      ['treats %_ literally as a sequence', '%_off', ['c5']],
    ];
    for (const [title, search, expected] of cases) {
      it(`${title} (${JSON.stringify(search)})`, async () => {
        const result = await list({ search, perPage: 100 });
        expect(keysOf(result.customers)).toEqual(expected);
        expect(result.pagination.total).toBe(expected.length);
      });
    }

    it('when the search is blank, then it is ignored', async () => {
      expect((await list({ search: '   ' })).pagination.total).toBe(11);
    });
  });

  describe('filters', () => {
    it('status', async () => {
      const result = await list({ filters: { status: 'INACTIVE' }, perPage: 100 });
      expect(keysOf(result.customers)).toEqual(['c9', 'c6', 'c3']);
    });

    it('bare dates cover the whole UTC day, both bounds inclusive', async () => {
      const result = await list({ filters: { dateFrom: '2024-01-02', dateTo: '2024-01-02' } });
      expect(keysOf(result.customers)).toEqual(['c3', 'c2']);
    });

    it('date-times are instants: with an offset, and UTC without one', async () => {
      expect(
        keysOf(
          (await list({ filters: { dateFrom: '2024-01-02T00:00:01Z', dateTo: '2024-01-03' } })).customers,
        ),
      ).toEqual(['c4', 'c3']);
      // 01:00+02:00 is 2024-01-01T23:00Z: only c1 (10:00Z) is before it.
      expect(keysOf((await list({ filters: { dateTo: '2024-01-02T01:00:00+02:00' } })).customers)).toEqual([
        'c1',
      ]);
      expect(keysOf((await list({ filters: { dateTo: '2024-01-01T10:00:00' } })).customers)).toEqual(['c1']);
      expect(keysOf((await list({ filters: { dateTo: '2024-01-01T09:59:59Z' } })).customers)).toEqual([]);
    });

    it('totalSpentMin and totalSpentMax are inclusive cents', async () => {
      const both = await list({ filters: { totalSpentMin: 5, totalSpentMax: 5001 }, perPage: 100 });
      expect(keysOf(both.customers)).toEqual(['c5', 'c3', 'c1']);
      const narrow = await list({ filters: { totalSpentMin: 4, totalSpentMax: 5000 } });
      expect(keysOf(narrow.customers)).toEqual(['c3']);
    });

    it('filters, search and paging combine', async () => {
      const result = await list({
        search: 'example.com',
        filters: { status: 'ACTIVE', dateFrom: '2024-01-01', totalSpentMax: 0 },
        perPage: 2,
        page: 2,
        orderBy: 'EMAIL',
        orderType: 'ASC',
      });
      // ACTIVE, example.com, nothing spent: c4 dave, c7 eve, c8 frank, c10 heidi, c11 alice.b
      expect(result.pagination).toEqual({ currentPage: 2, perPage: 2, total: 5, totalPages: 3 });
      expect(keysOf(result.customers)).toEqual(['c7', 'c8']);
    });

    it('when a date is invalid, then VALIDATION_ERROR on filters.dateFrom / filters.dateTo', async () => {
      for (const [filters, field] of [
        [{ dateFrom: '2024-02-30' }, 'filters.dateFrom'],
        [{ dateFrom: 'yesterday' }, 'filters.dateFrom'],
        [{ dateTo: '2024-01-01T25:00:00Z' }, 'filters.dateTo'],
        [{ dateTo: '' }, 'filters.dateTo'],
      ] as const) {
        const error = await listError({ filters });
        expect(error.extensions).toEqual({
          code: 'VALIDATION_ERROR',
          details: [{ field, message: expect.any(String) }],
        });
      }
    });
  });

  describe('sorting', () => {
    for (const orderBy of sortKeys) {
      for (const orderType of ['ASC', 'DESC'] as const) {
        it(`by ${orderBy} ${orderType}, ties by id in the same direction`, async () => {
          const result = await list({ orderBy, orderType, perPage: 100 });
          expect(idsOf(result.customers)).toEqual(expectedOrder(orderBy, orderType));
        });
      }
    }

    it('text sorts compare lower(value) in the "C" collation ("." before "@", case ignored)', async () => {
      const byEmail = await list({ orderBy: 'EMAIL', orderType: 'ASC', perPage: 3 });
      expect(byEmail.customers.map((c) => c.email)).toEqual([
        '100%_off@deals.com',
        'ALICE.B@example.com',
        'alice@example.com',
      ]);
    });

    it('the fixture really has ties on every non-unique key', () => {
      for (const by of sortKeys.filter((k) => k !== 'ID' && k !== 'EMAIL')) {
        const values = (Object.keys(seeds) as Key[]).map((k) => sortValue(k, by));
        expect(new Set(values).size, by).toBeLessThan(values.length);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------

const CONNECTION = /* GraphQL */ `
  query Connection(
    $first: Int
    $after: String
    $last: Int
    $before: String
    $search: String
    $filters: CustomerFilters
    $orderBy: CustomerOrderBy
    $orderType: SortOrder
  ) {
    customersConnection(
      first: $first
      after: $after
      last: $last
      before: $before
      search: $search
      filters: $filters
      orderBy: $orderBy
      orderType: $orderType
    ) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id } }
      nodes { id }
    }
  }
`;

interface ConnectionPage {
  totalCount: number;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  edges: { cursor: string; node: { id: string } }[];
  nodes: { id: string }[];
}

async function connection(variables: Record<string, unknown>): Promise<ConnectionPage> {
  const res = await gw.graphql(CONNECTION, variables);
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  const page = res.body.data.customersConnection as ConnectionPage;
  expect(page.nodes).toEqual(page.edges.map((e) => e.node));
  expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
  expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
  return page;
}

async function connectionError(variables: Record<string, unknown>) {
  const res = await gw.graphql(CONNECTION, variables);
  expect(res.status).toBe(200);
  expect(res.body.data).toBeNull();
  return topError(res.body);
}

/** Walks forwards with `first`, checking pageInfo on every page; returns the ids in order. */
async function walkForwards(variables: Record<string, unknown>, size: number): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 20; i++) {
    const page = await connection({ ...variables, first: size, after });
    seen.push(...idsOf(page.nodes));
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    if (!page.pageInfo.hasNextPage) return seen;
    expect(page.edges).toHaveLength(size);
    after = page.pageInfo.endCursor;
  }
  throw new Error('did not reach the end');
}

/** Walks backwards with `last` from the end; returns the ids in list order. */
async function walkBackwards(variables: Record<string, unknown>, size: number): Promise<string[]> {
  const pages: string[][] = [];
  let before: string | null = null;
  for (let i = 0; i < 20; i++) {
    const page = await connection({ ...variables, last: size, before });
    pages.unshift(idsOf(page.nodes));
    expect(page.pageInfo.hasNextPage).toBe(before !== null);
    if (!page.pageInfo.hasPreviousPage) return pages.flat();
    expect(page.edges).toHaveLength(size);
    before = page.pageInfo.startCursor;
  }
  throw new Error('did not reach the start');
}

describe('customersConnection', () => {
  it('when called without arguments, then the first 10 by id desc, totalCount and pageInfo', async () => {
    const page = await connection({});
    expect(idsOf(page.nodes)).toEqual(expectedOrder('ID', 'DESC').slice(0, 10));
    expect(page.totalCount).toBe(11);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.pageInfo.hasPreviousPage).toBe(false);
    expect(page.edges.every((e) => typeof e.cursor === 'string' && e.cursor.length > 0)).toBe(true);
  });

  for (const orderBy of sortKeys) {
    for (const orderType of ['ASC', 'DESC'] as const) {
      it(`pages forwards and backwards by ${orderBy} ${orderType} without gaps or repeats`, async () => {
        const expected = expectedOrder(orderBy, orderType);
        expect(await walkForwards({ orderBy, orderType }, 3)).toEqual(expected);
        expect(await walkBackwards({ orderBy, orderType }, 4)).toEqual(expected);
      });
    }
  }

  it('when after and before are both given, then the items strictly between them', async () => {
    const all = await connection({ first: 100, orderBy: 'LAST_NAME', orderType: 'ASC' });
    const after = all.edges[1]?.cursor;
    const before = all.edges[6]?.cursor;
    const page = await connection({ first: 10, after, before, orderBy: 'LAST_NAME', orderType: 'ASC' });
    expect(idsOf(page.nodes)).toEqual(idsOf(all.nodes).slice(2, 6));
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const backwards = await connection({ last: 2, after, before, orderBy: 'LAST_NAME', orderType: 'ASC' });
    expect(idsOf(backwards.nodes)).toEqual(idsOf(all.nodes).slice(4, 6));
    expect(backwards.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it('search and filters apply, and totalCount counts the filtered list', async () => {
    const first = await connection({ first: 2, filters: { status: 'INACTIVE' } });
    expect(keysOf(first.nodes)).toEqual(['c9', 'c6']);
    expect(first.totalCount).toBe(3);
    const rest = await connection({
      first: 2,
      after: first.pageInfo.endCursor,
      filters: { status: 'INACTIVE' },
    });
    expect(keysOf(rest.nodes)).toEqual(['c3']);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const searched = await connection({ search: '_', first: 5 });
    expect(keysOf(searched.nodes)).toEqual(['c5']);
  });

  it('when nothing follows the cursor, then an empty page with null cursors', async () => {
    const all = await connection({ first: 100 });
    const page = await connection({ after: all.pageInfo.endCursor });
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
    expect(page.totalCount).toBe(11);
  });

  it('when first is above 100, then at most 100 are returned', async () => {
    expect((await connection({ first: 500 })).edges).toHaveLength(11);
  });

  it('when only totalCount is asked, then it is still counted', async () => {
    const res = await gw.graphql('{ customersConnection(filters: { status: ACTIVE }) { totalCount } }');
    expect(res.body).toEqual({ data: { customersConnection: { totalCount: 8 } } });
  });

  it('when first and last are both given, then VALIDATION_ERROR', async () => {
    const error = await connectionError({ first: 2, last: 2 });
    expect(error.extensions).toEqual({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'last', message: expect.any(String) }],
    });
  });

  it('when first or last is below 1, then VALIDATION_ERROR naming it', async () => {
    expect((await connectionError({ first: 0 })).extensions?.details).toEqual([
      { field: 'first', message: expect.any(String) },
    ]);
    expect((await connectionError({ last: -1 })).extensions?.details).toEqual([
      { field: 'last', message: expect.any(String) },
    ]);
  });

  it('when a cursor is malformed, then VALIDATION_ERROR naming after / before', async () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      'garbage!',
      'Zm9v',
      forged(['ID', null, 'abc']),
      forged(['ID', null, '0']),
      forged({}),
    ]) {
      const error = await connectionError({ after: cursor });
      expect(error.extensions).toEqual({
        code: 'VALIDATION_ERROR',
        details: [{ field: 'after', message: expect.any(String) }],
      });
    }
    expect(
      (
        await connectionError({
          last: 1,
          before: forged(['CREATED_AT', 'not a date', '1']),
          orderBy: 'CREATED_AT',
        })
      ).extensions?.details,
    ).toEqual([{ field: 'before', message: expect.any(String) }]);
  });

  it('when a cursor of another ordering is used, then VALIDATION_ERROR', async () => {
    const byEmail = await connection({ first: 1, orderBy: 'EMAIL' });
    const error = await connectionError({ after: byEmail.pageInfo.endCursor, orderBy: 'ID' });
    expect(error.extensions?.code).toBe('VALIDATION_ERROR');
    expect(error.extensions?.details[0].field).toBe('after');
  });
});

// ---------------------------------------------------------------------------------------------

describe('customer', () => {
  const CUSTOMER = /* GraphQL */ `
    query One($id: ID!) {
      customer(id: $id) {
        id email firstName lastName phone status userId additionalInfo totalSpent orderCount createdAt updatedAt
      }
    }
  `;

  it('when the id exists, then the customer', async () => {
    const res = await gw.graphql(CUSTOMER, { id: ids.c1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        customer: {
          id: ids.c1,
          email: 'alice@example.com',
          firstName: 'Alice',
          lastName: 'Zephyr',
          phone: '+1 555 0101',
          status: 'ACTIVE',
          userId: linkedUserId.toString(),
          additionalInfo: {},
          totalSpent: 5001,
          orderCount: 3,
          createdAt: '2024-01-01T10:00:00Z',
          updatedAt: '2024-06-01T00:00:00Z',
        },
      },
    });
  });

  it('when the id is unknown or beyond BIGINT, then null and a CUSTOMER_NOT_FOUND error, HTTP 200', async () => {
    for (const id of ['999999', '99999999999999999999']) {
      const res = await gw.graphql(CUSTOMER, { id });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ customer: null });
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          message: `Customer with ID ${id} not found`,
          path: ['customer'],
          extensions: { code: 'CUSTOMER_NOT_FOUND' },
        }),
      ]);
    }
  });

  it('when the id is malformed, then VALIDATION_ERROR on id', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '']) {
      const res = await gw.graphql(CUSTOMER, { id });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ customer: null });
      expect(topError(res.body).extensions).toEqual({
        code: 'VALIDATION_ERROR',
        details: [{ field: 'id', message: expect.any(String) }],
      });
    }
  });

  it('when the id is an integer literal, then it is read as its decimal string', async () => {
    const res = await gw.graphql(`{ customer(id: ${ids.c2}) { id } }`);
    expect(res.body).toEqual({ data: { customer: { id: ids.c2 } } });
  });
});

describe('customerStats', () => {
  const STATS = /* GraphQL */ `
    query Stats($id: ID!) {
      customerStats(customerId: $id) { totalSpent orderCount averageOrderValue firstOrderDate lastOrderDate }
    }
  `;

  it('reads counted orders only (paid, partially paid, partially refunded net of refunds)', async () => {
    const res = await gw.graphql(STATS, { id: ids.c1 });
    expect(res.body).toEqual({
      data: {
        customerStats: {
          totalSpent: 5001,
          orderCount: 3,
          averageOrderValue: 1667,
          firstOrderDate: '2024-02-01T10:00:00Z',
          lastOrderDate: '2024-03-01T10:00:00Z',
        },
      },
    });
  });

  it('rounds the average half away from zero (1.5 → 2, 2.5 → 3), like round(numeric)', async () => {
    const a = await gw.graphql(STATS, { id: ids.c2 });
    const b = await gw.graphql(STATS, { id: ids.c3 });
    expect(a.body.data.customerStats).toMatchObject({ totalSpent: 3, orderCount: 2, averageOrderValue: 2 });
    expect(b.body.data.customerStats).toMatchObject({ totalSpent: 5, orderCount: 2, averageOrderValue: 3 });
  });

  it('when the customer has no counted order, then zeros and null dates', async () => {
    const res = await gw.graphql(STATS, { id: ids.c4 });
    expect(res.body.data.customerStats).toEqual({
      totalSpent: 0,
      orderCount: 0,
      averageOrderValue: 0,
      firstOrderDate: null,
      lastOrderDate: null,
    });
  });

  it('when the customer is unknown, then CUSTOMER_NOT_FOUND (data null); malformed → VALIDATION_ERROR', async () => {
    const missing = await gw.graphql(STATS, { id: '424242' });
    expect(missing.status).toBe(200);
    expect(missing.body.data).toBeNull();
    expect(topError(missing.body).extensions).toEqual({ code: 'CUSTOMER_NOT_FOUND' });
    const malformed = await gw.graphql(STATS, { id: 'x1' });
    expect(topError(malformed.body).extensions).toEqual({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'customerId', message: expect.any(String) }],
    });
  });
});

describe('customerOrders', () => {
  const ORDERS = /* GraphQL */ `
    query Orders($id: ID!, $page: Int, $perPage: Int) {
      customerOrders(customerId: $id, page: $page, perPage: $perPage) {
        pagination { currentPage perPage total totalPages }
        orders { id customerId status paymentStatus totalAmount refundedAmount currency createdAt updatedAt }
      }
    }
  `;

  it('lists newest first, ties by id descending, 100 per page by default, every order field', async () => {
    const res = await gw.graphql(ORDERS, { id: ids.c1 });
    expect(res.status).toBe(200);
    const { orders, pagination } = res.body.data.customerOrders;
    const [o1, o2, o3, o4] = orderIds;
    expect(idsOf(orders)).toEqual([o3, o4, o2, o1]);
    expect(pagination).toEqual({ currentPage: 1, perPage: 100, total: 4, totalPages: 1 });
    expect(orders[1]).toEqual({
      id: o4,
      customerId: ids.c1,
      status: 'ON_HOLD',
      paymentStatus: 'PARTIALLY_REFUNDED',
      totalAmount: 3000,
      refundedAmount: 1000,
      currency: 'USD',
      createdAt: '2024-03-01T10:00:00Z',
      updatedAt: '2024-03-01T10:00:00Z',
    });
  });

  it('pages and clamps', async () => {
    const second = (await gw.graphql(ORDERS, { id: ids.c1, page: 2, perPage: 3 })).body.data.customerOrders;
    expect(second.pagination).toEqual({ currentPage: 2, perPage: 3, total: 4, totalPages: 2 });
    expect(idsOf(second.orders)).toEqual([orderIds[0]]);
    const clamped = (await gw.graphql(ORDERS, { id: ids.c1, perPage: 1000 })).body.data.customerOrders;
    expect(clamped.pagination.perPage).toBe(100);
  });

  it('when the customer has no orders, then an empty list with total 0', async () => {
    const res = await gw.graphql(ORDERS, { id: ids.c7 });
    expect(res.body.data.customerOrders).toEqual({
      pagination: { currentPage: 1, perPage: 100, total: 0, totalPages: 0 },
      orders: [],
    });
  });

  it('errors: unknown customer, bad paging, malformed id (all bad fields listed)', async () => {
    const missing = await gw.graphql(ORDERS, { id: '77777' });
    expect(missing.body.data).toBeNull();
    expect(topError(missing.body).extensions).toEqual({ code: 'CUSTOMER_NOT_FOUND' });
    const bad = await gw.graphql(ORDERS, { id: 'abc', perPage: 0 });
    expect(topError(bad.body).extensions).toEqual({
      code: 'VALIDATION_ERROR',
      details: [
        { field: 'customerId', message: expect.any(String) },
        { field: 'perPage', message: expect.any(String) },
      ],
    });
  });
});

describe('customerAddresses', () => {
  const ADDRESSES = /* GraphQL */ `
    query Addresses($id: ID!, $type: AddressType) {
      customerAddresses(customerId: $id, type: $type) { id customerId type isPrimary city country }
    }
  `;

  it('lists billing before shipping, primary first, then by id', async () => {
    const res = await gw.graphql(ADDRESSES, { id: ids.c1 });
    expect(res.status).toBe(200);
    const [a1, a2, a3, a4, a5] = addressIds;
    const list = res.body.data.customerAddresses;
    expect(idsOf(list)).toEqual([a3, a2, a5, a1, a4]);
    expect(list[0]).toEqual({
      id: a3,
      customerId: ids.c1,
      type: 'BILLING',
      isPrimary: true,
      city: 'Berlin',
      country: 'DE',
    });
  });

  it('filters by type', async () => {
    const res = await gw.graphql(ADDRESSES, { id: ids.c1, type: 'SHIPPING' });
    expect(idsOf(res.body.data.customerAddresses)).toEqual([addressIds[0], addressIds[3]]);
  });

  it('when the customer has none, then []; unknown → CUSTOMER_NOT_FOUND; malformed → VALIDATION_ERROR', async () => {
    expect((await gw.graphql(ADDRESSES, { id: ids.c2 })).body).toEqual({ data: { customerAddresses: [] } });
    const missing = await gw.graphql(ADDRESSES, { id: '55555' });
    expect(missing.body.data).toBeNull();
    expect(topError(missing.body).extensions).toEqual({ code: 'CUSTOMER_NOT_FOUND' });
    const malformed = await gw.graphql(ADDRESSES, { id: '0' });
    expect(topError(malformed.body).extensions).toEqual({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'customerId', message: expect.any(String) }],
    });
  });
});

describe('attachableUsers', () => {
  const USERS = /* GraphQL */ `
    query Users($search: String, $page: Int, $perPage: Int) {
      attachableUsers(search: $search, page: $page, perPage: $perPage) {
        pagination { currentPage perPage total totalPages }
        users { id login email displayName role }
      }
    }
  `;

  let userIds: string[] = [];

  beforeAll(async () => {
    const zed = await insertUser(gw, 'zed_smith', 'zed@example.net', 'Zed Smith');
    const anna = await insertUser(gw, 'anna', 'ANNA@Example.net', 'Anna 100%');
    userIds = [zed.id.toString(), anna.id.toString()];
    for (let i = 1; i <= 25; i++) {
      userIds.push((await insertUser(gw, `bulk-${i}`, `bulk${i}@users.test`, `Bulk ${i}`)).id.toString());
    }
  });

  async function users(variables: Record<string, unknown>) {
    const res = await gw.graphql(USERS, variables);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    return res.body.data.attachableUsers as {
      pagination: { currentPage: number; perPage: number; total: number; totalPages: number };
      users: { id: string; login: string; email: string; displayName: string; role: string }[];
    };
  }

  it('lists users linked to no customer, by id, 20 per page by default', async () => {
    const first = await users({});
    // admin + zed + anna + 25 bulk users; `linked` belongs to a customer.
    expect(first.pagination).toEqual({ currentPage: 1, perPage: 20, total: 28, totalPages: 2 });
    expect(first.users.map((u) => u.login)).not.toContain('linked');
    expect(first.users[0]).toMatchObject({ login: 'admin', role: 'ADMINISTRATOR' });
    const ordered = first.users.map((u) => Number(u.id));
    expect(ordered).toEqual([...ordered].sort((a, b) => a - b));
    const second = await users({ page: 2 });
    expect(second.users).toHaveLength(8);
    expect(second.users.at(-1)?.id).toBe(userIds.at(-1));
  });

  it('searches login, email and display name, case-insensitively, with metacharacters literal', async () => {
    expect((await users({ search: 'ZED' })).users.map((u) => u.login)).toEqual(['zed_smith']);
    expect((await users({ search: 'anna@example' })).users.map((u) => u.login)).toEqual(['anna']);
    expect((await users({ search: 'anna 1' })).users.map((u) => u.login)).toEqual(['anna']);
    expect((await users({ search: '%' })).users.map((u) => u.login)).toEqual(['anna']);
    expect((await users({ search: '_' })).users.map((u) => u.login)).toEqual(['zed_smith']);
    expect((await users({ search: 'linked' })).pagination.total).toBe(0);
    const bulk = await users({ search: 'bulk', perPage: 10, page: 3 });
    expect(bulk.pagination).toEqual({ currentPage: 3, perPage: 10, total: 25, totalPages: 3 });
    expect(bulk.users).toHaveLength(5);
  });

  it('clamps perPage to 100 and rejects bad paging', async () => {
    expect((await users({ perPage: 101 })).pagination.perPage).toBe(100);
    const res = await gw.graphql(USERS, { perPage: 0, page: 0 });
    expect(res.body.data).toBeNull();
    expect(topError(res.body).extensions).toEqual({
      code: 'VALIDATION_ERROR',
      details: [
        { field: 'page', message: expect.any(String) },
        { field: 'perPage', message: expect.any(String) },
      ],
    });
  });
});

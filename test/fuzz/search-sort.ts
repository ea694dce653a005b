/**
 * Properties of search and sorting over data full of SQL metacharacters and unicode:
 * - for any search term (substrings of the data in any case, `%`, `_`, `\`, quotes, …), any
 *   valid sort and page size, the REST list, GraphQL `customers` and GraphQL
 *   `customersConnection` (forwards and backwards) return exactly the customers a JS reference
 *   finds — a case-insensitive substring of "first last", email or phone — in the reference's
 *   order: text keys by lower(value) compared bytewise (the "C" collation), ties by id in the
 *   same direction;
 * - an invalid order_by / order_type is 422 validation_error on REST and 400 BAD_USER_INPUT
 *   on GraphQL, never a 5xx.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetFixture } from '../rest/fixture.js';
import type { GraphQLBody, HttpResult, TestGateway } from '../support/gateway.js';
import {
  brief,
  encodeComponent,
  fuzzAssert,
  fuzzRuns,
  fuzzTimeout,
  hostileString,
  tally,
} from './arbitraries.js';

const V2 = '/wp-json/fluent-cart/v2';

// ---------------------------------------------------------------------------------------------
// Data: 40 customers whose names, emails and phones hold metacharacters and unicode
// ---------------------------------------------------------------------------------------------

const FIRST = [
  'Ann',
  'ann',
  'ANN',
  "O'Brien",
  '100%',
  '50% off',
  'a_b',
  'a\\b',
  '\\',
  '"Quoted"',
  "It's",
  'Zoë',
  'ZOË',
  'Émile',
  'émile',
  'Łukasz',
  'Ölaf',
  'Ωmega',
  '日本',
  '😀 Smile',
  '%_%',
  '\\%',
  "D'Arcy",
  '',
  'Mc_Donald',
  'x%y',
  'Renée',
  'JOSÉ',
  'josé',
  'Ñandú',
  '--',
  '/*c*/',
  ';',
  "''",
  'Back\\\\slash',
  'under_score',
  'per%cent',
  'Ab',
  'aB',
  'ß',
];
const LAST = [
  'Smith',
  "O'Neil",
  '_',
  '%',
  'Ü',
  'ü',
  'Doe',
  '',
  'de la Cruz',
  'Über',
  'x_y',
  '\\d',
  'Q\'"',
  'ÅSE',
  'åse',
  'Ng',
  '100_%',
  'Ω',
  'ω',
  'Ärger',
];
const LOCALS = [
  "o'brien",
  'a_b',
  'x%y',
  'back\\slash',
  '"q"',
  'zoë',
  'ÉMILE',
  'plain',
  'Mixed.Case',
  'under_score%',
];
const DOMAINS = ['example.com', 'ex_ample.org', 'EXAMPLE.net', 'exämple.de'];
const PHONES = [
  '+1 (555) 010-0001',
  '555.0101',
  null,
  '0049 30 1234',
  '(0)20-7946',
  '+44 20 7946 0958',
  null,
  '12 34',
];

interface Row {
  id: bigint;
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: Date;
  updatedAt: Date;
  totalSpent: bigint;
  orderCount: number;
}

let gw: TestGateway;
let rows: Row[] = [];

/** The data this suite needs, on the shared gateway's database. */
async function setup(): Promise<void> {
  await resetFixture(gw.db);
  const { prisma } = gw.db;
  const hour = 3_600_000;
  await prisma.customer.createMany({
    data: FIRST.map((first, i) => ({
      id: BigInt(101 + i),
      firstName: first,
      lastName: LAST[(i * 7) % LAST.length]!,
      email: `${LOCALS[i % LOCALS.length]}${i}@${DOMAINS[i % DOMAINS.length]}`,
      phone: PHONES[i % PHONES.length] ?? null,
      status: i % 3 === 0 ? ('INACTIVE' as const) : ('ACTIVE' as const),
      createdAt: new Date(Date.UTC(2024, 0, 1 + (i % 4), 10)),
      updatedAt: new Date(Date.UTC(2024, 1, 1) + (i % 7) * hour),
    })),
  });
  // Orders give total_spent and order_count ties (the triggers keep the stats).
  let orderId = 100;
  const orders = FIRST.flatMap((_, i) =>
    Array.from({ length: i % 4 }, (_unused, k) => ({
      id: BigInt(++orderId),
      customerId: BigInt(101 + i),
      status: 'COMPLETED' as const,
      paymentStatus: 'PAID' as const,
      totalAmount: BigInt(1000 * (1 + ((i + k) % 3))),
      currency: 'USD',
      createdAt: new Date(Date.UTC(2024, 2, 1 + k)),
    })),
  );
  await prisma.order.createMany({ data: orders });
  rows = (await prisma.customer.findMany({ orderBy: { id: 'asc' } })) as Row[];

  // The reference lower-cases in JS; it is only valid where PostgreSQL's lower() agrees.
  const lowered = await prisma.$queryRawUnsafe<
    { id: bigint; f: string; l: string; e: string; p: string | null }[]
  >(
    'SELECT id, lower(first_name) AS f, lower(last_name) AS l, lower(email::text) AS e, lower(phone) AS p FROM customers',
  );
  for (const r of lowered) {
    const row = rows.find((x) => x.id === r.id)!;
    expect([r.f, r.l, r.e, r.p], `lower() of customer ${r.id}`).toEqual([
      lower(row.firstName),
      lower(row.lastName),
      lower(row.email),
      row.phone === null ? null : lower(row.phone),
    ]);
  }
}

// ---------------------------------------------------------------------------------------------
// The reference
// ---------------------------------------------------------------------------------------------

/** Lower case per code point, as PostgreSQL's lower() (checked against it in beforeAll). */
const lower = (text: string) =>
  [...text].map((c) => (c.toLowerCase().length === c.length ? c.toLowerCase() : c)).join('');

const SORT_KEYS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'status',
  'created_at',
  'updated_at',
  'total_spent',
  'order_count',
] as const;
type SortKey = (typeof SORT_KEYS)[number];

const cmp = <T extends number | bigint>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);
const bytes = (text: string) => Buffer.from(lower(text), 'utf8');

function compareBy(key: SortKey, a: Row, b: Row): number {
  switch (key) {
    case 'id':
      return 0;
    case 'email':
      return Buffer.compare(bytes(a.email), bytes(b.email));
    case 'first_name':
      return Buffer.compare(bytes(a.firstName), bytes(b.firstName));
    case 'last_name':
      return Buffer.compare(bytes(a.lastName), bytes(b.lastName));
    case 'status':
      return cmp(a.status === 'ACTIVE' ? 0 : 1, b.status === 'ACTIVE' ? 0 : 1); // enum order
    case 'created_at':
      return cmp(a.createdAt.getTime(), b.createdAt.getTime());
    case 'updated_at':
      return cmp(a.updatedAt.getTime(), b.updatedAt.getTime());
    case 'total_spent':
      return cmp(a.totalSpent, b.totalSpent);
    case 'order_count':
      return cmp(a.orderCount, b.orderCount);
  }
}

interface ListQuery {
  search: string | null;
  status: 'active' | 'inactive' | null;
  orderBy: SortKey | null;
  orderType: 'ASC' | 'DESC' | null;
}

function reference(q: ListQuery): string[] {
  const term = q.search?.trim() ?? '';
  const needle = lower(term);
  const found = rows.filter(
    (r) =>
      (term === '' ||
        lower(`${r.firstName} ${r.lastName}`).includes(needle) ||
        lower(r.email).includes(needle) ||
        (r.phone !== null && lower(r.phone).includes(needle))) &&
      (q.status === null || r.status === q.status.toUpperCase()),
  );
  const key = q.orderBy ?? 'id';
  const sign = (q.orderType ?? 'DESC') === 'ASC' ? 1 : -1;
  found.sort((a, b) => sign * (compareBy(key, a, b) || cmp(a.id, b.id)));
  return found.map((r) => r.id.toString());
}

// ---------------------------------------------------------------------------------------------
// Search terms
// ---------------------------------------------------------------------------------------------

/** Upper-cases the characters whose case round-trips (so the term still names the same text). */
const flipCase = (text: string, mask: number) =>
  [...text]
    .map((c, i) => {
      const upper = c.toUpperCase();
      return (mask >> (i % 30)) & 1 && upper.length === c.length && upper.toLowerCase() === c ? upper : c;
    })
    .join('');

/** A piece of the stored data: "first last", email or phone of some customer. */
const dataSubstring = fc
  .tuple(
    fc.nat({ max: FIRST.length - 1 }),
    fc.constantFrom<'name' | 'email' | 'phone'>('name', 'email', 'phone'),
    fc.nat({ max: 40 }),
    fc.integer({ min: 1, max: 6 }),
    fc.nat(),
  )
  .map(([i, field, start, length, mask]) => {
    const row = rows.find((r) => r.id === BigInt(101 + i));
    const text =
      field === 'name'
        ? `${row?.firstName} ${row?.lastName}`
        : field === 'email'
          ? row?.email
          : (row?.phone ?? '');
    const chars = [...(text ?? '')];
    const from = chars.length === 0 ? 0 : start % chars.length;
    return flipCase(chars.slice(from, from + length).join(''), mask);
  });

const META_TERMS = [
  '%',
  '_',
  '\\',
  "'",
  '"',
  '%_',
  '_%',
  '\\%',
  '\\_',
  '\\\\',
  '%%',
  '--',
  '/*',
  ';',
  "''",
  "' OR '1'='1",
  '*',
  '.',
  '?',
  '[a]',
  '$',
  '^',
];

const searchTerm: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 6, arbitrary: dataSubstring },
  { weight: 3, arbitrary: fc.constantFrom(...META_TERMS) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...META_TERMS), dataSubstring, fc.boolean())
      .map(([m, d, before]) => (before ? m + d : d + m)),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ unit: 'binary-ascii', minLength: 1, maxLength: 3 })
      .filter((s) => !s.includes('\u0000')),
  },
  { weight: 1, arbitrary: dataSubstring.map((d) => `  ${d}\t`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(null, '', '   ', 'ë', 'Ë', 'ω', 'Ω', '日', '😀', 'ñ', 'ẞ', 'zzz-no-match'),
  },
);

const listQuery: fc.Arbitrary<ListQuery> = fc.record({
  search: searchTerm,
  status: fc.constantFrom(null, null, 'active', 'inactive'),
  orderBy: fc.option(fc.constantFrom(...SORT_KEYS), { nil: null, freq: 5 }),
  orderType: fc.option(fc.constantFrom('ASC' as const, 'DESC' as const), { nil: null, freq: 5 }),
});

// ---------------------------------------------------------------------------------------------
// The three ways to read the list
// ---------------------------------------------------------------------------------------------

interface Style {
  perPage: number;
  /** REST spelling: aliases and case of the values. */
  byAlias: boolean;
  typeCase: 'lower' | 'upper' | 'mixed';
  /** JSON filters (`filters={"status":…}`) or bracket syntax. */
  jsonFilters: boolean;
  backwards: boolean;
}

const style: fc.Arbitrary<Style> = fc.record({
  perPage: fc.integer({ min: 4, max: 60 }),
  byAlias: fc.boolean(),
  typeCase: fc.constantFrom<'lower' | 'upper' | 'mixed'>('lower', 'upper', 'mixed'),
  jsonFilters: fc.boolean(),
  backwards: fc.boolean(),
});

async function viaRest(q: ListQuery, s: Style): Promise<string[]> {
  const params: string[] = [`per_page=${s.perPage}`];
  if (q.search !== null) params.push(`search=${encodeComponent(q.search)}`);
  if (q.status !== null) {
    params.push(
      s.jsonFilters
        ? `filters=${encodeComponent(JSON.stringify({ status: q.status }))}`
        : `filters%5Bstatus%5D=${q.status}`,
    );
  }
  if (q.orderBy !== null) params.push(`${s.byAlias ? 'sort_by' : 'order_by'}=${q.orderBy}`);
  if (q.orderType !== null) {
    const t =
      s.typeCase === 'lower'
        ? q.orderType.toLowerCase()
        : s.typeCase === 'upper'
          ? q.orderType
          : `${q.orderType[0]}${q.orderType.slice(1).toLowerCase()}`;
    params.push(`${s.byAlias ? 'sort_type' : 'order_type'}=${t}`);
  }
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const path = `${V2}/customers?${[...params, `page=${page}`].join('&')}`;
    const res = await gw.request('GET', path);
    expect(res.status, `${path} → ${brief(res.text)}`).toBe(200);
    const { customers, pagination } = res.body.data;
    ids.push(...customers.map((c: { id: number }) => String(c.id)));
    expect(pagination.per_page).toBe(s.perPage);
    expect(pagination.total_pages).toBe(Math.ceil(pagination.total / s.perPage));
    if (page >= pagination.total_pages) {
      expect(ids.length, `REST total for ${path}`).toBe(pagination.total);
      return ids;
    }
  }
}

const LIST = /* GraphQL */ `
  query ($search: String, $filters: CustomerFilters, $orderBy: CustomerOrderBy, $orderType: SortOrder,
         $page: Int, $perPage: Int) {
    customers(search: $search, filters: $filters, orderBy: $orderBy, orderType: $orderType,
              page: $page, perPage: $perPage) {
      customers { id }
      pagination { currentPage perPage total totalPages }
    }
  }
`;

const CONNECTION = /* GraphQL */ `
  query ($search: String, $filters: CustomerFilters, $orderBy: CustomerOrderBy, $orderType: SortOrder,
         $first: Int, $after: String, $last: Int, $before: String) {
    customersConnection(search: $search, filters: $filters, orderBy: $orderBy, orderType: $orderType,
                        first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      totalCount
    }
  }
`;

function gqlArgs(q: ListQuery): Record<string, unknown> {
  return {
    search: q.search,
    filters: q.status === null ? null : { status: q.status.toUpperCase() },
    ...(q.orderBy === null ? {} : { orderBy: q.orderBy.toUpperCase() }),
    ...(q.orderType === null ? {} : { orderType: q.orderType }),
  };
}

async function viaGraphQLPages(q: ListQuery, s: Style): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const res = await gw.graphql(LIST, { ...gqlArgs(q), page, perPage: s.perPage });
    expect(res.status, brief(res.text)).toBe(200);
    expect(res.body.errors, brief(res.text)).toBeUndefined();
    const { customers, pagination } = res.body.data.customers;
    ids.push(...customers.map((c: { id: string }) => c.id));
    if (page >= pagination.totalPages) {
      expect(ids.length).toBe(pagination.total);
      return ids;
    }
  }
}

async function viaConnection(q: ListQuery, s: Style): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const variables: Record<string, unknown> = s.backwards
      ? { ...gqlArgs(q), last: s.perPage, before: cursor }
      : { ...gqlArgs(q), first: s.perPage, after: cursor };
    const res: HttpResult<GraphQLBody> = await gw.graphql(CONNECTION, variables);
    expect(res.status, brief(res.text)).toBe(200);
    expect(res.body.errors, brief(res.text)).toBeUndefined();
    const { edges, pageInfo, totalCount } = res.body.data.customersConnection as {
      edges: { node: { id: string } }[];
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
      totalCount: number;
    };
    const page = edges.map((e) => e.node.id);
    if (s.backwards) ids.unshift(...page);
    else ids.push(...page);
    const more = s.backwards ? pageInfo.hasPreviousPage : pageInfo.hasNextPage;
    if (!more) {
      expect(ids.length).toBe(totalCount);
      return ids;
    }
    cursor = s.backwards ? pageInfo.startCursor : pageInfo.endCursor;
  }
  throw new Error('the connection never ended');
}

// ---------------------------------------------------------------------------------------------
// Invalid sort parameters
// ---------------------------------------------------------------------------------------------

const VALID_ORDER_BY = new Set(SORT_KEYS.map((k) => k.toUpperCase()));
const VALID_ORDER_TYPE = new Set(['ASC', 'DESC']);
/** How the router reads an enum value: trimmed, any case, `-` for `_`. */
const restNormal = (value: string) => value.trim().toUpperCase().replace(/-/g, '_');

const invalidSort = fc
  .oneof(
    fc.record({
      param: fc.constantFrom('order_by', 'sort_by'),
      value: fc.oneof(
        hostileString,
        fc.constantFrom(
          'name',
          'id;',
          "email'",
          'email DESC',
          'email--',
          'random()',
          '1',
          'first name',
          'total',
          '',
        ),
      ),
    }),
    fc.record({
      param: fc.constantFrom('order_type', 'sort_type'),
      value: fc.oneof(
        hostileString,
        fc.constantFrom('ascending', 'up', '1', 'DESC;', "asc'", 'asc nulls first', ''),
      ),
    }),
  )
  .filter(
    ({ param, value }) => !(param.includes('by') ? VALID_ORDER_BY : VALID_ORDER_TYPE).has(restNormal(value)),
  );

/** Registers the suite; `gateway` is the file's shared test gateway. */
export function searchSortSuite(gateway: () => TestGateway): void {
  describe('search and sorting with metacharacters', () => {
    beforeAll(async () => {
      gw = gateway();
      await setup();
    });
    const runs = fuzzRuns(60);
    it(
      'search-sort: REST and GraphQL (pages and connection) return exactly the reference results in the reference order',
      async () => {
        await fuzzAssert(
          'search-sort',
          fc.tuple(listQuery, style),
          async ([q, s]) => {
            const expected = reference(q);
            tally(
              'search-sort',
              expected.length === 0 ? 'no match' : expected.length === rows.length ? 'all' : 'some',
            );
            const context = `${brief(q)} ${brief(s)}`;
            expect(await viaRest(q, s), `REST ${context}`).toEqual(expected);
            expect(await viaGraphQLPages(q, s), `GraphQL customers ${context}`).toEqual(expected);
            expect(await viaConnection(q, s), `GraphQL customersConnection ${context}`).toEqual(expected);
          },
          runs,
          400,
        );
      },
      fuzzTimeout(runs, 400),
    );

    it(
      'invalid-sort: an invalid order_by or order_type is 422 validation_error (REST) and 400 BAD_USER_INPUT (GraphQL)',
      async () => {
        await fuzzAssert(
          'invalid-sort',
          fc.tuple(invalidSort, searchTerm),
          async ([{ param, value }, search]) => {
            const path = `${V2}/customers?${param}=${encodeComponent(value)}${search === null ? '' : `&search=${encodeComponent(search)}`}`;
            const res = await gw.request('GET', path);
            const context = `${path} → ${res.status} ${brief(res.text)}`;
            expect(res.status, context).toBe(422);
            expect(res.body.error.code, context).toBe('validation_error');
            expect(
              res.body.error.details.map((d: { field: string }) => d.field),
              context,
            ).toContain(param);

            const variable = param.includes('by') ? 'orderBy' : 'orderType';
            const gql = await gw.graphql(LIST, { search, [variable]: value });
            const gqlContext = `${variable}=${JSON.stringify(value)} → ${gql.status} ${brief(gql.text)}`;
            expect(gql.status, gqlContext).toBe(400);
            expect(
              gql.body.errors.map((e) => e.extensions.code),
              gqlContext,
            ).toEqual(['BAD_USER_INPUT']);
          },
          fuzzRuns(60),
          60,
        );
      },
      fuzzTimeout(runs, 60),
    );

    it(
      'search-nul: a search term with a NUL character is a validation error, not a database error',
      async () => {
        await fuzzAssert(
          'search-nul',
          fc.tuple(searchTerm, fc.nat({ max: 8 })).map(([t, at]) => {
            const chars = [...(t ?? '')];
            chars.splice(Math.min(at, chars.length), 0, '\u0000');
            return chars.join('');
          }),
          async (term) => {
            const res = await gw.request('GET', `${V2}/customers?search=${encodeComponent(term)}`);
            expect(res.status, brief(res.text)).toBe(422);
            expect(res.body.error.details, brief(res.text)).toEqual([
              { field: 'search', message: 'must not contain NUL characters' },
            ]);
            const gql = await gw.graphql(LIST, { search: term });
            expect(gql.status, brief(gql.text)).toBe(200);
            expect(gql.body.errors?.[0]?.extensions?.code, brief(gql.text)).toBe('VALIDATION_ERROR');
          },
          Math.max(5, Math.round(fuzzRuns(60) / 6)),
          60,
        );
      },
      fuzzTimeout(Math.max(5, Math.round(fuzzRuns(60) / 6)), 60),
    );
  });
}

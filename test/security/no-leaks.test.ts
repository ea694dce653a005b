/**
 * What the gateway must not give away:
 * - whether a customer (or address, or user) exists, to a caller without the permission of
 *   the operation: the response is byte-for-byte the same for existing and missing ids;
 * - internals in error bodies (stack traces, SQL, file paths, Prisma messages), whatever the
 *   input, on every route of both surfaces, and when the database itself fails;
 * - application passwords, in any response body or log line;
 * - whether a login exists: an unknown login and a wrong password get the same 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createGateway } from '../../src/gateway.js';
import type { Permission } from '../../src/graphql/context.js';
import { createLogger } from '../../src/logger.js';
import { routes } from '../../src/rest/routes.js';
import { resetFixture } from '../rest/fixture.js';
import { createTestDatabase } from '../support/database.js';
import { basicAuth, type HttpResult, startTestGateway, type TestGateway } from '../support/gateway.js';
import {
  type Account,
  type Caller,
  createCallers,
  restPath,
  routeNamed,
  stableHeaders,
  V2,
} from './support.js';

/** What an error body must never contain. GraphQL's own "Syntax Error:" prefix is no leak. */
const INTERNALS =
  /\bat\s+\S+\s+\(|\.[cm]?[jt]s:\d|node_modules|file:\/\/|\/work\/|\/src\/|prisma|\bSELECT\s|\bINSERT\s+INTO|\bUPDATE\s+"|\bDELETE\s+FROM|\brelation\s+"|violates|duplicate key|driver ?adapter|(?<!Syntax )\bError:|\bstack\b/i;

function expectNoInternals(res: HttpResult, what: string) {
  expect.soft(res.text, `${what} → ${res.status}`).not.toMatch(INTERNALS);
}

/** Rate limiting on (its headers are part of what is compared), with budgets no test spends. */
const ROOMY_BUDGETS = {
  RATE_LIMIT_READS: '100000',
  RATE_LIMIT_CREATES: '100000',
  RATE_LIMIT_UPDATES: '100000',
  RATE_LIMIT_DELETES: '100000',
};

let gw: TestGateway;
let accounts: Record<Caller, Account>;

beforeAll(async () => {
  gw = await startTestGateway({ ...ROOMY_BUDGETS, AUTH_CACHE_TTL_MS: '60000' });
  // Customer 1 (addresses 1 and 2), customers 2 and 3, user 2 linked to nobody.
  await resetFixture(gw.db);
  accounts = await createCallers(gw.db, 'leaks');
});
afterAll(async () => {
  await gw?.close();
});

describe('a caller without the permission learns nothing about existence', () => {
  /** Ids of the fixture: every combination of existing, missing and foreign records. */
  interface Ids {
    customerId: number;
    addressId: number;
    userId: number;
  }
  const idSets: Record<string, Ids> = {
    existing: { customerId: 1, addressId: 1, userId: 2 },
    'missing customer': { customerId: 999_999, addressId: 1, userId: 2 },
    'missing address': { customerId: 1, addressId: 999_999, userId: 2 },
    "another customer's address": { customerId: 2, addressId: 1, userId: 2 },
    'missing user': { customerId: 1, addressId: 1, userId: 999_999 },
  };

  interface Probe {
    name: string;
    needs: Permission;
    rest?: { route: string; body?: (ids: Ids) => unknown };
    graphql?: { query: string; variables: (ids: Ids) => Record<string, unknown> };
  }
  const id = (n: number) => String(n);
  const probes: Probe[] = [
    {
      name: 'customer',
      needs: 'customers/view',
      rest: { route: 'getCustomer' },
      graphql: {
        query: 'query($c: ID!) { customer(id: $c) { id email } }',
        variables: (i) => ({ c: id(i.customerId) }),
      },
    },
    {
      name: 'customerStats',
      needs: 'customers/view',
      rest: { route: 'getCustomerStats' },
      graphql: {
        query: 'query($c: ID!) { customerStats(customerId: $c) { orderCount } }',
        variables: (i) => ({ c: id(i.customerId) }),
      },
    },
    {
      name: 'customerOrders',
      needs: 'customers/view',
      rest: { route: 'listCustomerOrders' },
      graphql: {
        query: 'query($c: ID!) { customerOrders(customerId: $c) { orders { id } } }',
        variables: (i) => ({ c: id(i.customerId) }),
      },
    },
    {
      name: 'customerAddresses',
      needs: 'customers/view',
      rest: { route: 'listCustomerAddresses' },
      graphql: {
        query: 'query($c: ID!) { customerAddresses(customerId: $c) { id } }',
        variables: (i) => ({ c: id(i.customerId) }),
      },
    },
    {
      name: 'updateCustomer',
      needs: 'customers/manage',
      rest: { route: 'updateCustomer', body: () => ({ first_name: 'Probe' }) },
      graphql: {
        query:
          'mutation($c: ID!) { updateCustomer(id: $c, input: { firstName: "Probe" }) { userErrors { code } } }',
        variables: (i) => ({ c: id(i.customerId) }),
      },
    },
    {
      name: 'updateCustomerAdditionalInfo',
      needs: 'customers/manage',
      rest: { route: 'updateCustomerAdditionalInfo', body: () => ({ probe: 1 }) },
      graphql: {
        query:
          'mutation($c: ID!) { updateCustomerAdditionalInfo(id: $c, additionalInfo: { probe: 1 }) { userErrors { code } } }',
        variables: (i) => ({ c: id(i.customerId) }),
      },
    },
    {
      name: 'createCustomerAddress',
      needs: 'customers/manage',
      rest: {
        route: 'createCustomerAddress',
        body: () => ({ type: 'billing', address_1: '1 Probe St', city: 'Paris', country: 'FR' }),
      },
      graphql: {
        query:
          'mutation($c: ID!) { createCustomerAddress(customerId: $c, input: { type: BILLING, address1: "1 Probe St", city: "Paris", country: "FR" }) { userErrors { code } } }',
        variables: (i) => ({ c: id(i.customerId) }),
      },
    },
    {
      name: 'updateCustomerAddress',
      needs: 'customers/manage',
      rest: { route: 'updateCustomerAddress', body: (i) => ({ address_id: i.addressId, city: 'Probe' }) },
      graphql: {
        query:
          'mutation($c: ID!, $a: ID!) { updateCustomerAddress(customerId: $c, addressId: $a, input: { city: "Probe" }) { userErrors { code } } }',
        variables: (i) => ({ c: id(i.customerId), a: id(i.addressId) }),
      },
    },
    {
      name: 'deleteCustomerAddress',
      needs: 'customers/delete',
      rest: { route: 'deleteCustomerAddress', body: (i) => ({ address_id: i.addressId }) },
      graphql: {
        query:
          'mutation($c: ID!, $a: ID!) { deleteCustomerAddress(customerId: $c, addressId: $a) { userErrors { code } } }',
        variables: (i) => ({ c: id(i.customerId), a: id(i.addressId) }),
      },
    },
    {
      name: 'setPrimaryCustomerAddress',
      needs: 'customers/manage',
      rest: { route: 'setPrimaryCustomerAddress', body: (i) => ({ address_id: i.addressId }) },
      graphql: {
        query:
          'mutation($c: ID!, $a: ID!) { setPrimaryCustomerAddress(customerId: $c, addressId: $a) { userErrors { code } } }',
        variables: (i) => ({ c: id(i.customerId), a: id(i.addressId) }),
      },
    },
    {
      name: 'attachUserToCustomer',
      needs: 'customers/manage',
      rest: { route: 'attachUserToCustomer', body: (i) => ({ user_id: i.userId }) },
      graphql: {
        query:
          'mutation($c: ID!, $u: ID!) { attachUserToCustomer(customerId: $c, userId: $u) { userErrors { code } } }',
        variables: (i) => ({ c: id(i.customerId), u: id(i.userId) }),
      },
    },
    {
      name: 'detachUserFromCustomer',
      needs: 'customers/manage',
      rest: { route: 'detachUserFromCustomer' },
      graphql: {
        query: 'mutation($c: ID!) { detachUserFromCustomer(customerId: $c) { userErrors { code } } }',
        variables: (i) => ({ c: id(i.customerId) }),
      },
    },
    ...(
      [
        ['export', 'EXPORT', 'customers/view'],
        ['update_status', 'UPDATE_STATUS', 'customers/manage'],
        ['delete', 'DELETE', 'customers/delete'],
      ] as const
    ).map(
      ([rest, action, needs]): Probe => ({
        name: `customerBulkAction(${action})`,
        needs,
        rest: {
          route: 'customerBulkAction',
          body: (i) => ({ action: rest, customer_ids: [i.customerId], data: { status: 'inactive' } }),
        },
        graphql: {
          query: `mutation($c: ID!) { customerBulkAction(input: { action: ${action}, customerIds: [$c], status: INACTIVE }) { processed results { success } } }`,
          variables: (i) => ({ c: id(i.customerId) }),
        },
      }),
    ),
  ];

  const holds: Record<'customer' | 'viewer' | 'shop_manager', Permission[]> = {
    customer: [],
    viewer: ['customers/view'],
    shop_manager: ['customers/view', 'customers/manage'],
  };

  it('the probes cover every REST route that takes a customer id', () => {
    const takingIds = routes.filter((r) => r.path.includes('{') || r.name === 'customerBulkAction');
    expect(probes.flatMap((p) => (p.rest ? [p.rest.route] : [])).sort()).toEqual(
      expect.arrayContaining(takingIds.map((r) => r.name).sort()),
    );
  });

  for (const probe of probes) {
    for (const caller of ['customer', 'viewer', 'shop_manager'] as const) {
      if (holds[caller].includes(probe.needs)) continue;

      if (probe.rest) {
        const route = routeNamed(probe.rest.route);
        it(`REST ${route.method} ${route.path} (${probe.name}) as ${caller}: one answer for every id`, async () => {
          const answers = [];
          for (const [label, ids] of Object.entries(idSets)) {
            const res = await gw.request(route.method, restPath(route, ids.customerId), {
              auth: accounts[caller].auth,
              body: probe.rest!.body?.(ids),
            });
            answers.push({ label, status: res.status, text: res.text, headers: stableHeaders(res.headers) });
          }
          expect(answers[0]!.status, answers[0]!.text).toBe(403);
          for (const answer of answers)
            expect({ ...answer, label: 'any' }).toEqual({ ...answers[0], label: 'any' });
        });
      }

      if (probe.graphql) {
        const { query, variables } = probe.graphql;
        it(`GraphQL ${probe.name} as ${caller}: one answer for every id`, async () => {
          const answers = [];
          for (const [label, ids] of Object.entries(idSets)) {
            const res = await gw.graphql(query, variables(ids), { auth: accounts[caller].auth });
            answers.push({ label, status: res.status, text: res.text, headers: stableHeaders(res.headers) });
          }
          expect(answers[0]!.text).toContain('INSUFFICIENT_PERMISSIONS');
          for (const answer of answers)
            expect({ ...answer, label: 'any' }).toEqual({ ...answers[0], label: 'any' });
        });
      }
    }
  }

  it('a caller with the permission does see the difference (the probes are not vacuous)', async () => {
    const viewer = accounts.viewer.auth;
    expect((await gw.request('GET', `${V2}/customers/1`, { auth: viewer })).status).toBe(200);
    expect((await gw.request('GET', `${V2}/customers/999999`, { auth: viewer })).status).toBe(404);
  });
});

/** Values that are wrong, hostile or extreme for any parameter. */
const EVIL_VALUES: unknown[] = [
  'abc',
  -1,
  0,
  1.5,
  '99999999999999999999999',
  2 ** 63, // just beyond BIGINT
  "' OR 1=1; --",
  '"; DROP TABLE customers; --',
  '%_\\',
  'a\u0000b',
  '\ud800',
  'x'.repeat(5000),
  '2024-13-45',
  { $ne: null },
  [1, [2]],
  true,
  null,
];

describe('error bodies never show internals', () => {
  let sweep = 0;
  /** A valid, harmless request of each route, so that one hostile value reaches the deepest code. */
  const baseBodies: Record<string, () => Record<string, unknown>> = {
    createCustomer: () => ({ email: `sweep${++sweep}@example.com` }),
    updateCustomerAddress: () => ({ address_id: 1 }),
    createCustomerAddress: () => ({ type: 'billing', address_1: '1 Sweep St', city: 'Paris', country: 'FR' }),
    deleteCustomerAddress: () => ({ address_id: 999_999 }),
    setPrimaryCustomerAddress: () => ({ address_id: 1 }),
    attachUserToCustomer: () => ({ user_id: 2 }),
    customerBulkAction: () => ({ action: 'export', customer_ids: [1] }),
  };

  for (const route of routes) {
    it(`REST ${route.method} ${route.path}: malformed bodies, hostile values in each parameter, extreme ids`, async () => {
      const names = route.params
        .filter((p) => !p.in.includes('path') && !p.wholeBody)
        .map((p) => p.names[0]!);
      const base = baseBodies[route.name] ?? (() => ({}));
      const path = restPath(route, 1);
      const requests: { path: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }[] =
        [
          { path, rawBody: '{"unterminated": ', headers: { 'content-type': 'application/json' } },
          { path, rawBody: '[1, 2]' },
          { path, rawBody: '<x/>', headers: { 'content-type': 'application/xml' } },
          {
            path,
            rawBody: 'address[id][=1&&=',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          },
          { path, rawBody: '\xff\xfe', headers: { 'content-type': 'application/json' } },
          { path: restPath(route, '99999999999999999999999') },
          { path: restPath(route, '9223372036854775808') },
        ];
      for (const value of EVIL_VALUES) {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        if (route.params.some((p) => p.wholeBody)) {
          requests.push({ path, body: { k: value } }, { path, body: { [text]: 1 } });
        }
        // Every parameter at once, in the body and in the query string.
        if (route.method !== 'GET')
          requests.push({ path, body: Object.fromEntries(names.map((n) => [n, value])) });
        requests.push({ path: restPath(route, 1, `?${new URLSearchParams(names.map((n) => [n, text]))}`) });
        // One parameter at a time, the others valid.
        for (const name of names) {
          requests.push(
            route.method === 'GET'
              ? { path: restPath(route, 1, `?${new URLSearchParams([[name, text]])}`) }
              : { path, body: { ...base(), [name]: value } },
          );
        }
      }
      for (const request of requests) {
        const res = await gw.request(route.method, request.path, request);
        const what = `${route.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.body ?? request.rawBody)?.slice(0, 200)}`;
        expect.soft(res.status, `${what}: ${res.text}`).toBeLessThan(500);
        expectNoInternals(res, what);
        if (res.status >= 400)
          expect.soft(Object.keys(res.body ?? {}).sort(), what).toEqual(['error', 'success']);
      }
    });
  }

  it('text PostgreSQL cannot hold (NUL, unpaired surrogates) is a validation error, never a failed statement', async () => {
    for (const path of [`${V2}/customers?search=a%00b`, `${V2}/customers/attachable-user?search=a%00b`]) {
      const res = await gw.request('GET', path);
      expect(res.status, res.text).toBe(422);
      expect(res.body.error.details).toEqual([{ field: 'search', message: expect.any(String) }]);
    }
    const connection = await gw.graphql(
      'query($s: String) { customersConnection(search: $s) { totalCount } }',
      {
        s: 'a\u0000b',
      },
    );
    expect(connection.body.errors[0]?.extensions.code).toBe('VALIDATION_ERROR');
    for (const body of [{ k: 'a\ud800' }, { '\udc00': 1 }, { k: ['ok', { deep: '\ud800x' }] }]) {
      const res = await gw.request('PUT', `${V2}/customers/1/additional-info`, { body });
      expect(res.status, res.text).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
    }
    const created = await gw.request('POST', `${V2}/customers`, {
      body: { email: 'surrogate@example.com', additional_info: { k: '\ud800' } },
    });
    expect(created.status, created.text).toBe(422);
    // A well-formed pair (an emoji) is stored as sent.
    const emoji = await gw.request('PUT', `${V2}/customers/1/additional-info`, {
      body: { mood: '\u{1F600}' },
    });
    expect(emoji.status, emoji.text).toBe(200);
    expect(emoji.body.data.customer.additional_info.mood).toBe('\u{1F600}');
  });

  it('GraphQL: malformed documents, bad variables and hostile arguments', async () => {
    const documents: [string, Record<string, unknown>?][] = [
      ['{ customers { customers { id } '],
      ['{ nope }'],
      ['query($id: ID!) { customer(id: $id) { id } }', { id: { a: 1 } }],
      ['query($id: ID!) { customer(id: $id) { id } }', {}],
      ['{ customers(perPage: "ten") { pagination { total } } }'],
      ['{ customersConnection(after: "not-a-cursor") { nodes { id } } }'],
      ['{ customersConnection(before: "eyJ2IjpbMSwyXX0=", last: 2) { nodes { id } } }'],
      ['{ customersConnection(after: "eyJzIjoiJyBPUiAxPTEgLS0iLCJpZCI6IngifQ") { nodes { id } } }'],
      ['{ customersConnection(first: 1, last: 1) { nodes { id } } }'],
      [
        'mutation { customerBulkAction(input: { action: DELETE, customerIds: [] }) { userErrors { code message } } }',
      ],
      [
        'mutation($ids: [ID!]!) { customerBulkAction(input: { action: EXPORT, customerIds: $ids }) { processed } }',
        { ids: Array.from({ length: 1001 }, (_, i) => String(i + 1)) },
      ],
      [
        'mutation($info: JSONObject!) { updateCustomerAdditionalInfo(id: "1", additionalInfo: $info) { userErrors { code message } } }',
        { info: { big: 'x'.repeat(20_000) } },
      ],
    ];
    for (const value of EVIL_VALUES) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      documents.push(
        [
          'query($v: ID!) { customer(id: $v) { id } customerStats(customerId: $v) { orderCount } }',
          { v: text },
        ],
        [
          'query($v: String) { customers(search: $v) { pagination { total } } attachableUsers(search: $v) { pagination { total } } }',
          { v: text },
        ],
        [
          'query($v: String) { customers(filters: { dateFrom: $v, dateTo: $v }) { pagination { total } } }',
          { v: text },
        ],
        ['query($v: String) { customersConnection(after: $v) { nodes { id } } }', { v: text }],
        [
          'query($v: Int) { customerOrders(customerId: "1", page: $v, perPage: $v) { pagination { total } } }',
          { v: value },
        ],
        [
          'query($v: SafeInt) { customers(filters: { totalSpentMin: $v }) { pagination { total } } }',
          { v: value },
        ],
        [
          'mutation($v: String) { createCustomer(input: { email: $v, firstName: $v, phone: $v }) { userErrors { code message } } }',
          { v: text },
        ],
        [
          'mutation($v: String, $id: ID!) { updateCustomerAddress(customerId: "1", addressId: $id, input: { country: $v, postcode: $v }) { userErrors { code message } } }',
          { v: text, id: text },
        ],
        [
          'mutation($id: ID!) { attachUserToCustomer(customerId: "1", userId: $id) { userErrors { code message } } }',
          { id: text },
        ],
        [
          'mutation($ids: [ID!]!) { customerBulkAction(input: { action: UPDATE_STATUS, customerIds: $ids }) { userErrors { code message } } }',
          { ids: [text] },
        ],
      );
    }
    for (const [query, variables] of documents) {
      const res = await gw.graphql(query, variables);
      const what = `${query.slice(0, 120)} ${JSON.stringify(variables)?.slice(0, 120)}`;
      expect.soft(res.status, `${what}: ${res.text}`).toBeLessThan(500);
      expect.soft(res.text, what).not.toContain('INTERNAL_ERROR');
      expectNoInternals(res, what);
    }
  });

  describe('when the database fails underneath', () => {
    let broken: TestGateway;
    beforeAll(async () => {
      broken = await startTestGateway({ RATE_LIMIT_ENABLED: 'false' });
      await resetFixture(broken.db);
      await broken.db.prisma.$executeRawUnsafe('ALTER TABLE customers RENAME TO customers_gone');
    });
    afterAll(async () => {
      await broken?.close();
    });

    it('every REST route and GraphQL field answers a masked error', async () => {
      for (const route of routes) {
        const res = await broken.request(route.method, restPath(route, 1), {
          body: {
            address_id: 1,
            user_id: 2,
            email: 'new@example.com',
            type: 'billing',
            address_1: 'x',
            city: 'x',
            country: 'FR',
            action: 'export',
            customer_ids: [1],
          },
        });
        expect(res.status, `${route.name}: ${res.text}`).toBeGreaterThanOrEqual(500);
        expectNoInternals(res, route.name);
      }
      for (const field of [
        'customers { customers { id } }',
        'customer(id: "1") { id }',
        'attachableUsers { users { id } }',
      ]) {
        const res = await broken.graphql(`{ ${field} }`);
        expect(res.body.errors?.[0]?.extensions?.code, res.text).toMatch(
          /INTERNAL_ERROR|SERVICE_UNAVAILABLE/,
        );
        expectNoInternals(res, field);
      }
    });
  });
});

describe('application passwords never leave the gateway', () => {
  it('in no response body and no log line: logins, failed logins, sessions, failures', async () => {
    const db = await createTestDatabase();
    const lines: string[] = [];
    const config = loadConfig({ LOG_LEVEL: 'trace', RATE_LIMIT_ENABLED: 'false' });
    const gateway = createGateway({
      config,
      db,
      logger: createLogger('trace', { write: (line: string) => void lines.push(line) }),
    });
    try {
      const { administrator, customer } = await createCallers(db, 'logs');
      const { login, password } = administrator!;
      const compact = password.replace(/\s+/g, '');
      const secrets = [
        password,
        compact,
        encodeURIComponent(password),
        Buffer.from(`${login}:${password}`).toString('base64'),
        Buffer.from(`${login}:${compact}`).toString('base64'),
        Buffer.from(`${customer!.login}:${customer!.password}`).toString('base64'),
        customer!.password,
      ];
      const seen: string[] = [];
      const call = async (path: string, init: RequestInit = {}) => {
        const res = await gateway.fetch(`http://gateway.test${path}`, init);
        const text = await res.text();
        seen.push(`${res.status} ${JSON.stringify([...res.headers])} ${text}`);
        return { res, text };
      };
      const json = (auth: string | null, body: unknown, extra: Record<string, string> = {}): RequestInit => ({
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}), ...extra },
        body: JSON.stringify(body),
      });
      const good = basicAuth(login, password);

      await call('/graphql', json(good, { query: '{ viewer { login } customers { customers { id } } }' }));
      await call(`${V2}/customers`, { headers: { authorization: basicAuth(login, compact) } });
      await call('/graphql', json(basicAuth(login, `${password}x`), { query: '{ viewer { login } }' }));
      await call(`${V2}/customers`, { headers: { authorization: basicAuth('nobody', password) } });
      await call(`${V2}/customers`, {
        headers: { authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}!!` },
      });
      await call('/metrics', { headers: { authorization: `Bearer ${password}` } });
      await call(
        '/graphql',
        json(basicAuth(customer!.login, customer!.password), { query: '{ customers { customers { id } } }' }),
      );
      const session = await call('/auth/session', { method: 'POST', headers: { authorization: good } });
      expect(session.res.status).toBe(200);
      const cookie = (session.res.headers.get('set-cookie') ?? '').split(';')[0]!;
      const nonce = JSON.parse(session.text).data.nonce as string;
      await call('/auth/session', {
        method: 'POST',
        headers: { authorization: basicAuth(login, 'wrong-password') },
      });
      await call(
        '/graphql',
        json(
          null,
          { query: 'mutation { detachUserFromCustomer(customerId: "1") { userErrors { code } } }' },
          { cookie },
        ),
      );
      await call(
        `${V2}/customers`,
        json(null, { email: 'logs@example.com' }, { cookie, 'x-wp-nonce': nonce }),
      );
      await call('/auth/session', { method: 'DELETE', headers: { cookie } });
      // An unexpected failure: its error log line must not carry the request's credentials.
      await db.prisma.$executeRawUnsafe('ALTER TABLE customers RENAME TO customers_gone');
      await call(`${V2}/customers/1`, { headers: { authorization: good } });
      await call('/graphql', json(good, { query: '{ customers { customers { id } } }' }));

      const log = lines.join('');
      // The log is not empty: every request above has its line, the failures theirs.
      expect(lines.filter((l) => l.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(14);
      expect(log).toMatch(/"status":401/);
      expect(log).toMatch(/"level":50/);
      for (const secret of secrets) {
        expect(log).not.toContain(secret);
        for (const response of seen) expect(response).not.toContain(secret);
      }
    } finally {
      await gateway.dispose();
      await db.close();
    }
  });
});

describe('a failed login tells nothing about the login', () => {
  it('an unknown login, a wrong password and a user without passwords get the same 401 on both surfaces', async () => {
    await gw.db.prisma.user.create({
      data: { login: 'nopasswords', email: 'nopasswords@example.com', role: 'ADMINISTRATOR' },
    });
    const { login, password } = accounts.administrator;
    const attempts = {
      'unknown login': basicAuth('no-such-login', password),
      'wrong password': basicAuth(login, `${password.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'))}`),
      'user without passwords': basicAuth('nopasswords', password),
      'malformed credentials': `Basic ${Buffer.from(login).toString('base64')}`,
    };
    for (const [surface, send] of [
      ['graphql', (auth: string) => gw.graphql('{ viewer { login } }', undefined, { auth })],
      ['rest', (auth: string) => gw.request('GET', `${V2}/customers/1`, { auth })],
      ['session', (auth: string) => gw.request('POST', '/auth/session', { auth })],
    ] as const) {
      const answers = [];
      for (const [label, auth] of Object.entries(attempts)) {
        const res = await send(auth);
        answers.push({ label, status: res.status, text: res.text, headers: stableHeaders(res.headers) });
      }
      expect(answers[0]!.status, surface).toBe(401);
      expect(answers[0]!.headers['www-authenticate']).toMatch(/^Basic realm="/);
      for (const answer of answers) {
        expect({ ...answer, label: surface }, `${surface}: ${answer.label}`).toEqual({
          ...answers[0],
          label: surface,
        });
      }
    }
  });
});

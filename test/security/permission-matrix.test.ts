/**
 * The permission matrix of the contract, on both surfaces: every GraphQL root field (the bulk
 * action once per action) and every REST route (the bulk route once per action name) for
 * each caller — anonymous, customer, viewer, shop_manager, administrator.
 *
 * - anonymous → HTTP 401 `unauthenticated` with a Basic challenge;
 * - refused → GraphQL top-level INSUFFICIENT_PERMISSIONS (HTTP 200, no data for the field) /
 *   REST 403 `insufficient_permissions`, and a write is not applied;
 * - allowed → success (HTTP 200/201 as documented, no errors, no userErrors), and a write is
 *   applied.
 *
 * Each case prepares its own records (fresh customers, addresses, users), so cases are
 * independent and every allowed call can succeed.
 */
import type { GraphQLEnumType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/auth/user-admin.js';
import type { Permission } from '../../src/graphql/context.js';
import { schema } from '../../src/graphql/schema.js';
import { routes } from '../../src/rest/routes.js';
import { type HttpResult, startTestGateway, type TestGateway } from '../support/gateway.js';
import {
  type Account,
  type Caller,
  callers,
  createCallers,
  expectGraphQLForbidden,
  expectRestForbidden,
  expectUnauthenticated,
  restPath,
  routeNamed,
} from './support.js';

/** What each role may do (the contract's "Roles" line), written out rather than imported. */
const grants: Record<Exclude<Caller, 'anonymous'>, readonly Permission[]> = {
  customer: [],
  viewer: ['customers/view'],
  shop_manager: ['customers/view', 'customers/manage'],
  administrator: ['customers/view', 'customers/manage', 'customers/delete'],
};

type Expectation = 'unauthenticated' | 'refused' | 'allowed';

function expectationFor(caller: Caller, needs: Permission | 'authenticated'): Expectation {
  if (caller === 'anonymous') return 'unauthenticated';
  return needs === 'authenticated' || grants[caller].includes(needs) ? 'allowed' : 'refused';
}

/** The records one case works on. */
interface Target {
  token: string;
  customerId: bigint;
  addressId?: bigint;
  userId?: bigint;
  email?: string;
}

interface RestCall {
  route: string;
  /** Distinguishes several calls of one route (the bulk action names). */
  label?: string;
  query?: string;
  body?: (t: Target) => unknown;
}

interface Operation {
  /** The GraphQL root field. */
  field: string;
  label: string;
  needs: Permission | 'authenticated';
  /** Records of its own; default: the shared customer with its addresses. */
  prepare?: (token: string) => Promise<Omit<Target, 'token'>>;
  graphql: (t: Target) => { query: string; variables?: Record<string, unknown> };
  rest: RestCall[];
  /** Writes: whether the call took effect. */
  applied?: (t: Target) => Promise<boolean>;
}

let gw: TestGateway;
let accounts: Record<Caller, Account>;
/** The shared customer: billing address `billingId` (primary) and a primary shipping address. */
let shared: { customerId: bigint; billingId: bigint };
let sequence = 0;

const prisma = () => gw.db.prisma;

async function freshCustomer(token: string, userId?: bigint): Promise<bigint> {
  const customer = await prisma().customer.create({
    data: { email: `${token}@example.com`, firstName: 'Fresh', lastName: token, userId },
    select: { id: true },
  });
  return customer.id;
}

async function freshUser(token: string): Promise<bigint> {
  return (
    await createUser(gw.db, { login: `user-${token}`, email: `user-${token}@example.com`, role: 'CUSTOMER' })
  ).id;
}

/** A second, non-primary shipping address of the shared customer. */
async function freshAddress(token: string): Promise<bigint> {
  const address = await prisma().customerAddress.create({
    data: {
      customerId: shared.customerId,
      type: 'SHIPPING',
      address1: `${token} Street`,
      city: 'Lyon',
      country: 'FR',
      isPrimary: false,
    },
    select: { id: true },
  });
  return address.id;
}

const sharedCustomer = async () => ({ customerId: shared.customerId });
const exists = async (where: Parameters<ReturnType<typeof prisma>['customer']['count']>[0]) =>
  (await prisma().customer.count(where)) > 0;

const USER_ERRORS = 'userErrors { code message field }';
const BULK = /* GraphQL */ `mutation($input: CustomerBulkActionInput!) {
  customerBulkAction(input: $input) { processed failed export { format } ${USER_ERRORS} }
}`;

const operations: Operation[] = [
  // ── reads: customers/view ──
  {
    field: 'customers',
    label: 'customers',
    needs: 'customers/view',
    graphql: () => ({ query: '{ customers(perPage: 5) { customers { id } pagination { total } } }' }),
    rest: [{ route: 'listCustomers', query: '?per_page=5' }],
  },
  {
    field: 'customersConnection',
    label: 'customersConnection',
    needs: 'customers/view',
    graphql: () => ({ query: '{ customersConnection(first: 5) { totalCount nodes { id } } }' }),
    rest: [],
  },
  {
    field: 'customer',
    label: 'customer',
    needs: 'customers/view',
    graphql: (t) => ({
      query: 'query($id: ID!) { customer(id: $id) { id email addresses { id } } }',
      variables: { id: String(t.customerId) },
    }),
    rest: [{ route: 'getCustomer' }],
  },
  {
    field: 'customerStats',
    label: 'customerStats',
    needs: 'customers/view',
    graphql: (t) => ({
      query: 'query($id: ID!) { customerStats(customerId: $id) { orderCount totalSpent } }',
      variables: { id: String(t.customerId) },
    }),
    rest: [{ route: 'getCustomerStats' }],
  },
  {
    field: 'customerOrders',
    label: 'customerOrders',
    needs: 'customers/view',
    graphql: (t) => ({
      query: 'query($id: ID!) { customerOrders(customerId: $id) { orders { id } pagination { total } } }',
      variables: { id: String(t.customerId) },
    }),
    rest: [{ route: 'listCustomerOrders' }],
  },
  {
    field: 'customerAddresses',
    label: 'customerAddresses',
    needs: 'customers/view',
    graphql: (t) => ({
      query: 'query($id: ID!) { customerAddresses(customerId: $id) { id type isPrimary } }',
      variables: { id: String(t.customerId) },
    }),
    rest: [{ route: 'listCustomerAddresses' }],
  },
  {
    field: 'attachableUsers',
    label: 'attachableUsers',
    needs: 'customers/view',
    graphql: () => ({ query: '{ attachableUsers(perPage: 5) { users { id login } pagination { total } } }' }),
    rest: [{ route: 'listAttachableUsers', query: '?per_page=5' }],
  },
  // The caller's own account: any authenticated caller (GraphQL only).
  {
    field: 'viewer',
    label: 'viewer',
    needs: 'authenticated',
    graphql: () => ({ query: '{ viewer { login role } }' }),
    rest: [],
  },
  // ── writes: customers/manage ──
  {
    field: 'createCustomer',
    label: 'createCustomer',
    needs: 'customers/manage',
    prepare: async (token) => ({ customerId: 0n, email: `${token}@example.com` }),
    graphql: (t) => ({
      query: `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } ${USER_ERRORS} } }`,
      variables: { input: { email: t.email, firstName: 'New' } },
    }),
    rest: [{ route: 'createCustomer', body: (t) => ({ email: t.email, first_name: 'New' }) }],
    applied: (t) => exists({ where: { email: t.email } }),
  },
  {
    field: 'updateCustomer',
    label: 'updateCustomer',
    needs: 'customers/manage',
    prepare: sharedCustomer,
    graphql: (t) => ({
      query: `mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { customer { id } ${USER_ERRORS} } }`,
      variables: { id: String(t.customerId), input: { firstName: t.token } },
    }),
    rest: [{ route: 'updateCustomer', body: (t) => ({ first_name: t.token }) }],
    applied: (t) => exists({ where: { id: t.customerId, firstName: t.token } }),
  },
  {
    field: 'updateCustomerAdditionalInfo',
    label: 'updateCustomerAdditionalInfo',
    needs: 'customers/manage',
    prepare: sharedCustomer,
    graphql: (t) => ({
      query: `mutation($id: ID!, $info: JSONObject!) { updateCustomerAdditionalInfo(id: $id, additionalInfo: $info) { customer { id } ${USER_ERRORS} } }`,
      variables: { id: String(t.customerId), info: { [t.token]: 1 } },
    }),
    rest: [{ route: 'updateCustomerAdditionalInfo', body: (t) => ({ [t.token]: 1 }) }],
    applied: async (t) => {
      const customer = await prisma().customer.findUniqueOrThrow({ where: { id: t.customerId } });
      return t.token in (customer.additionalInfo as Record<string, unknown>);
    },
  },
  {
    field: 'createCustomerAddress',
    label: 'createCustomerAddress',
    needs: 'customers/manage',
    prepare: sharedCustomer,
    graphql: (t) => ({
      query: `mutation($id: ID!, $input: CustomerAddressInput!) { createCustomerAddress(customerId: $id, input: $input) { address { id } ${USER_ERRORS} } }`,
      variables: {
        id: String(t.customerId),
        input: { type: 'SHIPPING', address1: t.token, city: 'Paris', country: 'FR' },
      },
    }),
    rest: [
      {
        route: 'createCustomerAddress',
        body: (t) => ({ type: 'shipping', address_1: t.token, city: 'Paris', country: 'fr' }),
      },
    ],
    applied: async (t) => (await prisma().customerAddress.count({ where: { address1: t.token } })) === 1,
  },
  {
    field: 'updateCustomerAddress',
    label: 'updateCustomerAddress',
    needs: 'customers/manage',
    prepare: async () => ({ customerId: shared.customerId, addressId: shared.billingId }),
    graphql: (t) => ({
      query: `mutation($id: ID!, $addressId: ID!, $input: CustomerAddressUpdateInput!) { updateCustomerAddress(customerId: $id, addressId: $addressId, input: $input) { address { id } ${USER_ERRORS} } }`,
      variables: { id: String(t.customerId), addressId: String(t.addressId), input: { city: t.token } },
    }),
    rest: [
      { route: 'updateCustomerAddress', body: (t) => ({ address_id: Number(t.addressId), city: t.token }) },
    ],
    applied: async (t) =>
      (await prisma().customerAddress.count({ where: { id: t.addressId!, city: t.token } })) === 1,
  },
  {
    field: 'setPrimaryCustomerAddress',
    label: 'setPrimaryCustomerAddress',
    needs: 'customers/manage',
    prepare: async (token) => ({ customerId: shared.customerId, addressId: await freshAddress(token) }),
    graphql: (t) => ({
      query: `mutation($id: ID!, $addressId: ID!) { setPrimaryCustomerAddress(customerId: $id, addressId: $addressId) { address { id isPrimary } ${USER_ERRORS} } }`,
      variables: { id: String(t.customerId), addressId: String(t.addressId) },
    }),
    rest: [{ route: 'setPrimaryCustomerAddress', body: (t) => ({ address_id: Number(t.addressId) }) }],
    applied: async (t) =>
      (await prisma().customerAddress.findUniqueOrThrow({ where: { id: t.addressId! } })).isPrimary,
  },
  {
    field: 'attachUserToCustomer',
    label: 'attachUserToCustomer',
    needs: 'customers/manage',
    prepare: async (token) => ({ customerId: await freshCustomer(token), userId: await freshUser(token) }),
    graphql: (t) => ({
      query: `mutation($id: ID!, $userId: ID!) { attachUserToCustomer(customerId: $id, userId: $userId) { customer { id } ${USER_ERRORS} } }`,
      variables: { id: String(t.customerId), userId: String(t.userId) },
    }),
    rest: [{ route: 'attachUserToCustomer', body: (t) => ({ user_id: Number(t.userId) }) }],
    applied: (t) => exists({ where: { id: t.customerId, userId: t.userId! } }),
  },
  {
    field: 'detachUserFromCustomer',
    label: 'detachUserFromCustomer',
    needs: 'customers/manage',
    prepare: async (token) => {
      const userId = await freshUser(token);
      return { customerId: await freshCustomer(token, userId), userId };
    },
    graphql: (t) => ({
      query: `mutation($id: ID!) { detachUserFromCustomer(customerId: $id) { customer { id } ${USER_ERRORS} } }`,
      variables: { id: String(t.customerId) },
    }),
    rest: [{ route: 'detachUserFromCustomer' }],
    applied: (t) => exists({ where: { id: t.customerId, userId: null } }),
  },
  {
    field: 'customerBulkAction',
    label: 'customerBulkAction(UPDATE_STATUS)',
    needs: 'customers/manage',
    prepare: async (token) => ({ customerId: await freshCustomer(token) }),
    graphql: (t) => ({
      query: BULK,
      variables: {
        input: { action: 'UPDATE_STATUS', customerIds: [String(t.customerId)], status: 'INACTIVE' },
      },
    }),
    rest: [
      {
        route: 'customerBulkAction',
        label: 'update_status',
        body: (t) => ({
          action: 'update_status',
          customer_ids: [Number(t.customerId)],
          data: { status: 'inactive' },
        }),
      },
      {
        route: 'customerBulkAction',
        label: 'change_customer_status',
        body: (t) => ({
          action: 'change_customer_status',
          customer_ids: [String(t.customerId)],
          new_status: 'inactive',
        }),
      },
    ],
    applied: (t) => exists({ where: { id: t.customerId, status: 'INACTIVE' } }),
  },
  // ── writes: customers/delete ──
  {
    field: 'deleteCustomerAddress',
    label: 'deleteCustomerAddress',
    needs: 'customers/delete',
    prepare: async (token) => ({ customerId: shared.customerId, addressId: await freshAddress(token) }),
    graphql: (t) => ({
      query: `mutation($id: ID!, $addressId: ID!) { deleteCustomerAddress(customerId: $id, addressId: $addressId) { deletedAddressId ${USER_ERRORS} } }`,
      variables: { id: String(t.customerId), addressId: String(t.addressId) },
    }),
    rest: [{ route: 'deleteCustomerAddress', body: (t) => ({ address_id: Number(t.addressId) }) }],
    applied: async (t) => (await prisma().customerAddress.count({ where: { id: t.addressId! } })) === 0,
  },
  {
    field: 'customerBulkAction',
    label: 'customerBulkAction(DELETE)',
    needs: 'customers/delete',
    prepare: async (token) => ({ customerId: await freshCustomer(token) }),
    graphql: (t) => ({
      query: BULK,
      variables: { input: { action: 'DELETE', customerIds: [String(t.customerId)] } },
    }),
    rest: [
      {
        route: 'customerBulkAction',
        label: 'delete',
        body: (t) => ({ action: 'delete', customer_ids: [Number(t.customerId)] }),
      },
      {
        route: 'customerBulkAction',
        label: 'delete_customers',
        body: (t) => ({ action: 'delete_customers', customer_ids: [Number(t.customerId)] }),
      },
    ],
    applied: async (t) => !(await exists({ where: { id: t.customerId } })),
  },
  // ── export: customers/view ──
  {
    field: 'customerBulkAction',
    label: 'customerBulkAction(EXPORT)',
    needs: 'customers/view',
    prepare: sharedCustomer,
    graphql: (t) => ({
      query: BULK,
      variables: { input: { action: 'EXPORT', customerIds: [String(t.customerId)], format: 'CSV' } },
    }),
    rest: [
      {
        route: 'customerBulkAction',
        label: 'export',
        body: (t) => ({ action: 'export', customer_ids: [Number(t.customerId)], data: { format: 'csv' } }),
      },
    ],
  },
];

const restCalls = operations.flatMap((operation) => operation.rest.map((call) => ({ operation, call })));

beforeAll(async () => {
  gw = await startTestGateway({ RATE_LIMIT_ENABLED: 'false', AUTH_CACHE_TTL_MS: '60000' });
  accounts = await createCallers(gw.db, 'matrix');
  const customer = await prisma().customer.create({
    data: {
      email: 'shared@example.com',
      firstName: 'Shared',
      addresses: {
        create: [
          { type: 'BILLING', address1: '1 Main St', city: 'Paris', country: 'FR', isPrimary: true },
          { type: 'SHIPPING', address1: '2 Side St', city: 'Paris', country: 'FR', isPrimary: true },
        ],
      },
    },
    select: { id: true, addresses: { where: { type: 'BILLING' }, select: { id: true } } },
  });
  shared = { customerId: customer.id, billingId: customer.addresses[0]!.id };
});
afterAll(async () => {
  await gw?.close();
});

async function prepare(operation: Operation): Promise<Target> {
  const token = `sec${++sequence}`;
  return { token, ...(await (operation.prepare ?? sharedCustomer)(token)) };
}

async function expectApplied(operation: Operation, target: Target, expected: Expectation) {
  if (operation.applied) expect(await operation.applied(target)).toBe(expected === 'allowed');
}

describe('the matrix covers every operation', () => {
  it('every GraphQL root field, the bulk action once per action', () => {
    const rootFields = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) =>
      Object.keys(type.getFields()),
    );
    expect([...new Set(operations.map((o) => o.field))].sort()).toEqual(rootFields.sort());
    const actions = (schema.getType('CustomerBulkActionType') as GraphQLEnumType)
      .getValues()
      .map((v) => `customerBulkAction(${v.name})`);
    expect(operations.filter((o) => o.field === 'customerBulkAction').map((o) => o.label)).toEqual(
      expect.arrayContaining(actions),
    );
  });

  it('every REST route, the bulk route once per action name (FluentCart aliases included)', () => {
    expect([...new Set(restCalls.map((c) => c.call.route))].sort()).toEqual(routes.map((r) => r.name).sort());
    expect(restCalls.filter((c) => c.call.label).map((c) => c.call.label)).toEqual(
      expect.arrayContaining([
        'update_status',
        'change_customer_status',
        'delete',
        'delete_customers',
        'export',
      ]),
    );
  });
});

describe('GraphQL (/graphql)', () => {
  for (const operation of operations) {
    for (const caller of callers) {
      const expected = expectationFor(caller, operation.needs);
      it(`${operation.label} as ${caller} → ${expected}`, async () => {
        const target = await prepare(operation);
        const { query, variables } = operation.graphql(target);
        const res = await gw.graphql(query, variables, { auth: accounts[caller].auth });
        if (expected === 'unauthenticated') expectUnauthenticated(res, 'graphql');
        else if (expected === 'refused') expectGraphQLForbidden(res, operation.field);
        else expectGraphQLSuccess(res, operation.field, caller);
        await expectApplied(operation, target, expected);
      });
    }
  }
});

describe('REST (/wp-json/fluent-cart/v2)', () => {
  for (const { operation, call } of restCalls) {
    const route = routeNamed(call.route);
    const name = `${route.method} ${route.path}${call.label ? ` (${call.label})` : ''}`;
    for (const caller of callers) {
      const expected = expectationFor(caller, operation.needs);
      it(`${name} as ${caller} → ${expected}`, async () => {
        const target = await prepare(operation);
        const res = await gw.request(route.method, restPath(route, target.customerId, call.query), {
          auth: accounts[caller].auth,
          body: call.body?.(target),
        });
        if (expected === 'unauthenticated') expectUnauthenticated(res, 'rest');
        else if (expected === 'refused') expectRestForbidden(res);
        else {
          expect(res.status, res.text).toBe(route.status);
          expect(res.body.success, res.text).toBe(true);
          if (call.route === 'customerBulkAction')
            expect(res.body.data).toMatchObject({ processed: 1, failed: 0 });
        }
        await expectApplied(operation, target, expected);
      });
    }
  }
});

function expectGraphQLSuccess(res: HttpResult, field: string, caller: Caller) {
  expect(res.status, res.text).toBe(200);
  expect(res.body.errors, res.text).toBeUndefined();
  const value = res.body.data?.[field];
  expect(value, res.text).not.toBeNull();
  if (value && typeof value === 'object' && 'userErrors' in value) expect(value.userErrors).toEqual([]);
  if (field === 'customerBulkAction') expect(value).toMatchObject({ processed: 1, failed: 0 });
  if (field === 'viewer')
    expect(value).toEqual({ login: accounts[caller].login, role: caller.toUpperCase() });
}

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

const ATTACH = /* GraphQL */ `
  mutation Attach($customerId: ID!, $userId: ID!) {
    attachUserToCustomer(customerId: $customerId, userId: $userId) {
      customer { id userId updatedAt }
      userErrors { code message field }
    }
  }
`;
const DETACH = /* GraphQL */ `
  mutation Detach($customerId: ID!) {
    detachUserFromCustomer(customerId: $customerId) {
      customer { id userId updatedAt }
      userErrors { code message field }
    }
  }
`;

async function attach(customerId: string, userId: string | number) {
  const res = await gw.graphql(ATTACH, { customerId, userId });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.attachUserToCustomer;
}

async function detach(customerId: string) {
  const res = await gw.graphql(DETACH, { customerId });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.detachUserFromCustomer;
}

let counter = 0;
const past = new Date('2024-01-01T10:00:00Z');

async function customer(userId?: string): Promise<string> {
  const row = await gw.db.prisma.customer.create({
    data: {
      email: `att${++counter}-${Date.now()}@example.com`,
      userId: userId === undefined ? null : BigInt(userId),
      createdAt: past,
      updatedAt: past,
    },
  });
  return String(row.id);
}

async function user(): Promise<string> {
  const row = await gw.db.prisma.user.create({
    data: { login: `user${++counter}-${Date.now()}`, email: `u${counter}@example.com`, displayName: 'U' },
  });
  return String(row.id);
}

const linkOf = async (customerId: string) =>
  (await gw.db.prisma.customer.findUniqueOrThrow({ where: { id: BigInt(customerId) } })).userId;

describe('attachUserToCustomer', () => {
  it('links a free user to a customer without one and sets updatedAt', async () => {
    const c = await customer();
    const u = await user();
    const { customer: attached, userErrors } = await attach(c, u);
    expect(userErrors).toEqual([]);
    expect(attached).toMatchObject({ id: c, userId: u });
    expect(attached.updatedAt).not.toBe('2024-01-01T10:00:00Z');
  });

  it('accepts the user id as a JSON number too', async () => {
    const c = await customer();
    const u = await user();
    expect((await attach(c, Number(u))).customer.userId).toBe(u);
  });

  it('the same pair again succeeds without a change', async () => {
    const u = await user();
    const c = await customer(u);
    const { customer: again, userErrors } = await attach(c, u);
    expect(userErrors).toEqual([]);
    expect(again).toEqual({ id: c, userId: u, updatedAt: '2024-01-01T10:00:00Z' });
  });

  it('an unknown user is INVALID_USER on userId', async () => {
    const c = await customer();
    for (const u of ['987654321', '99999999999999999999']) {
      const { customer: none, userErrors } = await attach(c, u);
      expect(none).toBeNull();
      expect(userErrors).toEqual([{ code: 'INVALID_USER', message: expect.any(String), field: 'userId' }]);
    }
  });

  it('a user linked to another customer is INVALID_USER', async () => {
    const u = await user();
    await customer(u);
    const c = await customer();
    expect((await attach(c, u)).userErrors).toEqual([
      { code: 'INVALID_USER', message: expect.any(String), field: 'userId' },
    ]);
    expect(await linkOf(c)).toBeNull();
  });

  it('a customer linked to a different user is VALIDATION_ERROR', async () => {
    const linked = await user();
    const c = await customer(linked);
    const other = await user();
    expect((await attach(c, other)).userErrors).toEqual([
      { code: 'VALIDATION_ERROR', message: expect.any(String), field: 'userId' },
    ]);
    expect(String(await linkOf(c))).toBe(linked);
  });

  it('an unknown customer is CUSTOMER_NOT_FOUND', async () => {
    const u = await user();
    expect((await attach('987654321', u)).userErrors).toEqual([
      { code: 'CUSTOMER_NOT_FOUND', message: 'Customer with ID 987654321 not found', field: null },
    ]);
  });

  it('malformed ids are VALIDATION_ERROR naming each', async () => {
    const { userErrors } = await attach('-1', '1.5');
    expect(userErrors).toEqual([
      { code: 'VALIDATION_ERROR', message: expect.any(String), field: 'customerId' },
      { code: 'VALIDATION_ERROR', message: expect.any(String), field: 'userId' },
    ]);
  });

  it('when one user is attached to ten customers at once, then exactly one link is made', async () => {
    const u = await user();
    const customers = await Promise.all(Array.from({ length: 10 }, () => customer()));
    const results = await Promise.all(customers.map((c) => attach(c, u)));
    const winners = results.filter((r) => r.customer !== null);
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => x.customer === null)) {
      expect(r.userErrors).toEqual([{ code: 'INVALID_USER', message: expect.any(String), field: 'userId' }]);
    }
    expect(await gw.db.prisma.customer.count({ where: { userId: BigInt(u) } })).toBe(1);
  });
});

describe('detachUserFromCustomer', () => {
  it('clears the link and sets updatedAt; the user becomes attachable again', async () => {
    const u = await user();
    const c = await customer(u);
    const { customer: detached, userErrors } = await detach(c);
    expect(userErrors).toEqual([]);
    expect(detached.userId).toBeNull();
    expect(detached.updatedAt).not.toBe('2024-01-01T10:00:00Z');
    expect((await attach(await customer(), u)).userErrors).toEqual([]);
  });

  it('is idempotent: a customer without a link succeeds unchanged', async () => {
    const c = await customer();
    const { customer: same, userErrors } = await detach(c);
    expect(userErrors).toEqual([]);
    expect(same).toEqual({ id: c, userId: null, updatedAt: '2024-01-01T10:00:00Z' });
  });

  it('an unknown customer is CUSTOMER_NOT_FOUND; a malformed id VALIDATION_ERROR', async () => {
    expect((await detach('987654321')).userErrors[0]).toMatchObject({
      code: 'CUSTOMER_NOT_FOUND',
      field: null,
    });
    expect((await detach('abc')).userErrors[0]).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'customerId',
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressType } from '../../src/generated/prisma/enums.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  // Budgets have their own tests (bulk-mutations, test/rest); these files write far more.
  gw = await startTestGateway({ RATE_LIMIT_ENABLED: 'false' });
});
afterAll(async () => {
  await gw?.close();
});

const ADDRESS =
  'id customerId type firstName lastName company address1 address2 city state postcode country phone isPrimary createdAt updatedAt';

const CREATE = /* GraphQL */ `
  mutation Create($customerId: ID!, $input: CustomerAddressInput!) {
    createCustomerAddress(customerId: $customerId, input: $input) {
      address { ${ADDRESS} }
      userErrors { code message field }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($customerId: ID!, $addressId: ID!, $input: CustomerAddressUpdateInput!) {
    updateCustomerAddress(customerId: $customerId, addressId: $addressId, input: $input) {
      address { ${ADDRESS} }
      userErrors { code message field }
    }
  }
`;
const DELETE = /* GraphQL */ `
  mutation Delete($customerId: ID!, $addressId: ID!) {
    deleteCustomerAddress(customerId: $customerId, addressId: $addressId) {
      deletedAddressId
      userErrors { code message field }
    }
  }
`;
const SET_PRIMARY = /* GraphQL */ `
  mutation SetPrimary($customerId: ID!, $addressId: ID!) {
    setPrimaryCustomerAddress(customerId: $customerId, addressId: $addressId) {
      address { ${ADDRESS} }
      userErrors { code message field }
    }
  }
`;

async function run(query: string, variables: Record<string, unknown>, field: string) {
  const res = await gw.graphql(query, variables);
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data[field];
}

const create = (customerId: string, input: Record<string, unknown>) =>
  run(CREATE, { customerId, input }, 'createCustomerAddress');
const update = (customerId: string, addressId: string, input: Record<string, unknown>) =>
  run(UPDATE, { customerId, addressId, input }, 'updateCustomerAddress');
const remove = (customerId: string, addressId: string) =>
  run(DELETE, { customerId, addressId }, 'deleteCustomerAddress');
const setPrimary = (customerId: string, addressId: string) =>
  run(SET_PRIMARY, { customerId, addressId }, 'setPrimaryCustomerAddress');

const minimal = (type: AddressType = 'BILLING', extra: Record<string, unknown> = {}) => ({
  type,
  address1: '1 Main St',
  city: 'Springfield',
  country: 'US',
  ...extra,
});

let counter = 0;
async function customer(): Promise<string> {
  const row = await gw.db.prisma.customer.create({
    data: { email: `addr${++counter}-${Date.now()}@example.com` },
  });
  return String(row.id);
}

const past = (minutes: number) => new Date(Date.UTC(2024, 0, 1, 10, minutes));

/** An address inserted directly (the rules are not applied), at a chosen time. */
async function fixture(customerId: string, type: AddressType, isPrimary: boolean, updatedAt = past(0)) {
  const row = await gw.db.prisma.customerAddress.create({
    data: {
      customerId: BigInt(customerId),
      type,
      isPrimary,
      address1: 'x',
      city: 'y',
      country: 'FR',
      createdAt: past(0),
      updatedAt,
    },
  });
  return String(row.id);
}

async function book(customerId: string) {
  const rows = await gw.db.prisma.customerAddress.findMany({
    where: { customerId: BigInt(customerId) },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => ({
    id: String(r.id),
    type: r.type,
    isPrimary: r.isPrimary,
    updatedAt: r.updatedAt,
  }));
}

async function primaryIds(customerId: string) {
  const rows = await book(customerId);
  return {
    BILLING: rows.filter((r) => r.type === 'BILLING' && r.isPrimary).map((r) => r.id),
    SHIPPING: rows.filter((r) => r.type === 'SHIPPING' && r.isPrimary).map((r) => r.id),
  };
}

/** Per type with addresses, exactly one primary; none for a type without addresses. */
async function expectInvariant(customerId: string) {
  const rows = await book(customerId);
  for (const type of ['BILLING', 'SHIPPING'] as const) {
    const ofType = rows.filter((r) => r.type === type);
    expect(
      ofType.filter((r) => r.isPrimary),
      `${type} primaries`,
    ).toHaveLength(ofType.length > 0 ? 1 : 0);
  }
}

describe('createCustomerAddress', () => {
  it('stores every field trimmed, lower-case country upper case, and blank optional fields as null', async () => {
    const c = await customer();
    const { address, userErrors } = await create(c, {
      type: 'SHIPPING',
      firstName: ' John ',
      lastName: 'Doe',
      company: '',
      address1: ' 789 New St ',
      address2: '   ',
      city: 'Queens',
      state: 'NY',
      postcode: '11301',
      country: 'us',
      phone: '+1 555 0100',
    });
    expect(userErrors).toEqual([]);
    expect(address).toMatchObject({
      customerId: c,
      type: 'SHIPPING',
      firstName: 'John',
      lastName: 'Doe',
      company: null,
      address1: '789 New St',
      address2: null,
      city: 'Queens',
      state: 'NY',
      postcode: '11301',
      country: 'US',
      phone: '+1 555 0100',
      isPrimary: true,
    });
    const row = await gw.db.prisma.customerAddress.findUniqueOrThrow({ where: { id: BigInt(address.id) } });
    expect(row.country).toBe('US');
  });

  it('makes the first address of a type primary, even when isPrimary false is sent, and later ones not', async () => {
    const c = await customer();
    const first = await create(c, minimal('BILLING', { isPrimary: false }));
    const second = await create(c, minimal('BILLING'));
    const shipping = await create(c, minimal('SHIPPING', { isPrimary: null }));
    expect(first.address.isPrimary).toBe(true);
    expect(second.address.isPrimary).toBe(false);
    expect(shipping.address.isPrimary).toBe(true);
    await expectInvariant(c);
  });

  it('with isPrimary true, demotes the previous primary of that type only (and touches its updatedAt)', async () => {
    const c = await customer();
    const oldBilling = await fixture(c, 'BILLING', true);
    const shipping = await fixture(c, 'SHIPPING', true);
    const { address } = await create(c, minimal('BILLING', { isPrimary: true }));
    expect(address.isPrimary).toBe(true);
    expect(await primaryIds(c)).toEqual({ BILLING: [address.id], SHIPPING: [shipping] });
    const rows = await book(c);
    expect(rows.find((r) => r.id === oldBilling)?.updatedAt).not.toEqual(past(0));
    expect(rows.find((r) => r.id === shipping)?.updatedAt).toEqual(past(0));
  });

  it('when several fields fail, then VALIDATION_ERROR names each', async () => {
    const c = await customer();
    const { address, userErrors } = await create(c, {
      type: 'BILLING',
      address1: '  ',
      city: 'c'.repeat(101),
      country: 'UK',
      postcode: '1'.repeat(21),
      address2: 'a'.repeat(256),
      company: 'b'.repeat(101),
      phone: 'x1',
    });
    expect(address).toBeNull();
    expect(userErrors.map((e: { code: string; field: string }) => `${e.code}:${e.field}`).sort()).toEqual(
      ['address1', 'address2', 'city', 'company', 'country', 'phone', 'postcode'].map(
        (f) => `VALIDATION_ERROR:${f}`,
      ),
    );
    expect(await book(c)).toEqual([]);
  });

  it.each(['XX', 'EU', 'XK', 'USA', 'u', ''])('rejects the country code %j', async (country) => {
    const c = await customer();
    const { userErrors } = await create(c, minimal('BILLING', { country }));
    expect(userErrors).toEqual([{ code: 'VALIDATION_ERROR', message: expect.any(String), field: 'country' }]);
  });

  it.each(['de', 'Gb', 'AX', 'ss', 'CW'])('accepts the assigned country code %j', async (country) => {
    const c = await customer();
    const { address } = await create(c, minimal('BILLING', { country }));
    expect(address.country).toBe(country.toUpperCase());
  });

  it('accepts the maximum lengths', async () => {
    const c = await customer();
    const { userErrors } = await create(c, {
      ...minimal(),
      address1: 'a'.repeat(255),
      address2: 'b'.repeat(255),
      city: 'c'.repeat(100),
      state: 'd'.repeat(100),
      postcode: 'e'.repeat(20),
      firstName: 'f'.repeat(100),
      phone: '1'.repeat(32),
    });
    expect(userErrors).toEqual([]);
  });

  it('when the customer is unknown, then CUSTOMER_NOT_FOUND; malformed, then VALIDATION_ERROR on customerId', async () => {
    expect((await create('987654321', minimal())).userErrors).toEqual([
      { code: 'CUSTOMER_NOT_FOUND', message: 'Customer with ID 987654321 not found', field: null },
    ]);
    expect((await create('abc', minimal())).userErrors).toEqual([
      { code: 'VALIDATION_ERROR', message: expect.any(String), field: 'customerId' },
    ]);
  });
});

describe('updateCustomerAddress', () => {
  it('changes only the fields sent; null clears optional fields', async () => {
    const c = await customer();
    const { address: created } = await create(
      c,
      minimal('BILLING', { company: 'ACME', state: 'CA', phone: '123' }),
    );
    const { address, userErrors } = await update(c, created.id, {
      city: ' Shelbyville ',
      company: null,
      phone: null,
    });
    expect(userErrors).toEqual([]);
    expect(address).toMatchObject({
      city: 'Shelbyville',
      company: null,
      phone: null,
      state: 'CA',
      address1: '1 Main St',
      isPrimary: true,
    });
  });

  it.each(['type', 'address1', 'city', 'country', 'isPrimary'])(
    'when %s is null, then VALIDATION_ERROR on it',
    async (field) => {
      const c = await customer();
      const id = await fixture(c, 'BILLING', true);
      const { address, userErrors } = await update(c, id, { [field]: null });
      expect(address).toBeNull();
      expect(userErrors).toEqual([{ code: 'VALIDATION_ERROR', message: expect.any(String), field }]);
    },
  );

  it('when isPrimary false is sent for the current primary, then VALIDATION_ERROR on isPrimary', async () => {
    const c = await customer();
    const primary = await fixture(c, 'BILLING', true);
    await fixture(c, 'BILLING', false);
    const { userErrors } = await update(c, primary, { isPrimary: false, city: 'Elsewhere' });
    expect(userErrors).toEqual([
      { code: 'VALIDATION_ERROR', message: expect.any(String), field: 'isPrimary' },
    ]);
    const row = await gw.db.prisma.customerAddress.findUniqueOrThrow({ where: { id: BigInt(primary) } });
    expect(row).toMatchObject({ isPrimary: true, city: 'y' });
  });

  it('isPrimary false for a non-primary address and true for the primary are no-ops', async () => {
    const c = await customer();
    const primary = await fixture(c, 'BILLING', true);
    const other = await fixture(c, 'BILLING', false);
    expect((await update(c, other, { isPrimary: false })).address.isPrimary).toBe(false);
    expect((await update(c, primary, { isPrimary: true })).address.isPrimary).toBe(true);
    expect(await primaryIds(c)).toEqual({ BILLING: [primary], SHIPPING: [] });
  });

  it('isPrimary true promotes the address and demotes the previous primary (touching its updatedAt)', async () => {
    const c = await customer();
    const primary = await fixture(c, 'SHIPPING', true);
    const other = await fixture(c, 'SHIPPING', false);
    const { address } = await update(c, other, { isPrimary: true });
    expect(address.isPrimary).toBe(true);
    expect(await primaryIds(c)).toEqual({ BILLING: [], SHIPPING: [other] });
    const demoted = (await book(c)).find((r) => r.id === primary);
    expect(demoted?.updatedAt).not.toEqual(past(0));
  });

  it('moving the primary to the other type promotes the latest remaining address of the old type', async () => {
    const c = await customer();
    const moving = await fixture(c, 'BILLING', true, past(1));
    const older = await fixture(c, 'BILLING', false, past(2));
    const latest = await fixture(c, 'BILLING', false, past(5));
    const shippingPrimary = await fixture(c, 'SHIPPING', true);
    const { address } = await update(c, moving, { type: 'SHIPPING' });
    expect(address).toMatchObject({ type: 'SHIPPING', isPrimary: false });
    expect(await primaryIds(c)).toEqual({ BILLING: [latest], SHIPPING: [shippingPrimary] });
    expect(older).not.toBe(latest);
    await expectInvariant(c);
  });

  it('moving an address into a type without addresses makes it primary there', async () => {
    const c = await customer();
    const billingPrimary = await fixture(c, 'BILLING', true);
    const moving = await fixture(c, 'BILLING', false);
    const { address } = await update(c, moving, { type: 'SHIPPING', isPrimary: false });
    expect(address).toMatchObject({ type: 'SHIPPING', isPrimary: true });
    expect(await primaryIds(c)).toEqual({ BILLING: [billingPrimary], SHIPPING: [moving] });
  });

  it('moving the only primary of a type with isPrimary true demotes the primary of the new type', async () => {
    const c = await customer();
    const moving = await fixture(c, 'BILLING', true);
    const shippingPrimary = await fixture(c, 'SHIPPING', true);
    const { address } = await update(c, moving, { type: 'SHIPPING', isPrimary: true });
    expect(address).toMatchObject({ type: 'SHIPPING', isPrimary: true });
    expect(await primaryIds(c)).toEqual({ BILLING: [], SHIPPING: [moving] });
    expect((await book(c)).find((r) => r.id === shippingPrimary)?.isPrimary).toBe(false);
    await expectInvariant(c);
  });

  it('sending the same type is not a move', async () => {
    const c = await customer();
    const primary = await fixture(c, 'BILLING', true);
    const { address } = await update(c, primary, { type: 'BILLING', city: 'Z' });
    expect(address).toMatchObject({ type: 'BILLING', isPrimary: true, city: 'Z' });
  });

  it('an address of another customer, or an unknown one, is ADDRESS_NOT_FOUND', async () => {
    const c = await customer();
    const other = await customer();
    const foreign = await fixture(other, 'BILLING', true);
    for (const id of [foreign, '987654321', '99999999999999999999']) {
      expect((await update(c, id, { city: 'x' })).userErrors).toEqual([
        { code: 'ADDRESS_NOT_FOUND', message: `Address with ID ${id} not found`, field: 'addressId' },
      ]);
    }
    expect((await book(other))[0]).toMatchObject({ id: foreign });
  });

  it('an unknown customer is CUSTOMER_NOT_FOUND; invalid input wins over it', async () => {
    expect((await update('987654321', '1', { city: 'x' })).userErrors[0].code).toBe('CUSTOMER_NOT_FOUND');
    expect((await update('987654321', '1', { city: null })).userErrors[0].code).toBe('VALIDATION_ERROR');
  });

  it('malformed ids and bad fields are all reported', async () => {
    const { userErrors } = await update('0', 'x', { country: 'ZZ' });
    expect(userErrors.map((e: { field: string }) => e.field)).toEqual(['customerId', 'addressId', 'country']);
  });
});

describe('deleteCustomerAddress', () => {
  it('deleting the primary promotes the remaining address of that type updated last', async () => {
    const c = await customer();
    const primary = await fixture(c, 'BILLING', true, past(9));
    await fixture(c, 'BILLING', false, past(1));
    const latest = await fixture(c, 'BILLING', false, past(7));
    await fixture(c, 'BILLING', false, past(3));
    const shipping = await fixture(c, 'SHIPPING', true);
    const { deletedAddressId, userErrors } = await remove(c, primary);
    expect(userErrors).toEqual([]);
    expect(deletedAddressId).toBe(primary);
    expect(await primaryIds(c)).toEqual({ BILLING: [latest], SHIPPING: [shipping] });
    const promoted = (await book(c)).find((r) => r.id === latest);
    expect(promoted?.updatedAt).not.toEqual(past(7));
  });

  it('ties on updatedAt go to the highest id', async () => {
    const c = await customer();
    const primary = await fixture(c, 'SHIPPING', true, past(1));
    await fixture(c, 'SHIPPING', false, past(5));
    const highest = await fixture(c, 'SHIPPING', false, past(5));
    await remove(c, primary);
    expect(await primaryIds(c)).toEqual({ BILLING: [], SHIPPING: [highest] });
  });

  it('deleting a non-primary changes no primary; deleting the last of a type leaves none', async () => {
    const c = await customer();
    const primary = await fixture(c, 'BILLING', true);
    const other = await fixture(c, 'BILLING', false);
    await remove(c, other);
    expect(await primaryIds(c)).toEqual({ BILLING: [primary], SHIPPING: [] });
    await remove(c, primary);
    expect(await book(c)).toEqual([]);
  });

  it('an address of another customer is ADDRESS_NOT_FOUND and stays', async () => {
    const c = await customer();
    const other = await customer();
    const foreign = await fixture(other, 'BILLING', true);
    const { deletedAddressId, userErrors } = await remove(c, foreign);
    expect(deletedAddressId).toBeNull();
    expect(userErrors).toEqual([
      { code: 'ADDRESS_NOT_FOUND', message: expect.any(String), field: 'addressId' },
    ]);
    expect(await book(other)).toHaveLength(1);
  });

  it('an unknown customer is CUSTOMER_NOT_FOUND', async () => {
    expect((await remove('987654321', '1')).userErrors).toEqual([
      { code: 'CUSTOMER_NOT_FOUND', message: expect.any(String), field: null },
    ]);
  });

  it('deleting twice: the second time ADDRESS_NOT_FOUND', async () => {
    const c = await customer();
    const id = await fixture(c, 'BILLING', true);
    expect((await remove(c, id)).deletedAddressId).toBe(id);
    expect((await remove(c, id)).userErrors[0].code).toBe('ADDRESS_NOT_FOUND');
  });
});

describe('setPrimaryCustomerAddress', () => {
  it('demotes the previous primary and promotes the address, both with a new updatedAt', async () => {
    const c = await customer();
    const previous = await fixture(c, 'BILLING', true);
    const next = await fixture(c, 'BILLING', false);
    const shipping = await fixture(c, 'SHIPPING', true);
    const { address, userErrors } = await setPrimary(c, next);
    expect(userErrors).toEqual([]);
    expect(address).toMatchObject({ id: next, isPrimary: true });
    expect(address.updatedAt).not.toBe('2024-01-01T10:00:00Z');
    expect(await primaryIds(c)).toEqual({ BILLING: [next], SHIPPING: [shipping] });
    expect((await book(c)).find((r) => r.id === previous)?.updatedAt).not.toEqual(past(0));
  });

  it('on the current primary it succeeds and changes nothing', async () => {
    const c = await customer();
    const primary = await fixture(c, 'SHIPPING', true);
    const { address } = await setPrimary(c, primary);
    expect(address).toMatchObject({ id: primary, isPrimary: true, updatedAt: '2024-01-01T10:00:00Z' });
  });

  it('an address of another customer is ADDRESS_NOT_FOUND; an unknown customer CUSTOMER_NOT_FOUND', async () => {
    const c = await customer();
    const foreign = await fixture(await customer(), 'BILLING', false);
    expect((await setPrimary(c, foreign)).userErrors[0]).toMatchObject({
      code: 'ADDRESS_NOT_FOUND',
      field: 'addressId',
    });
    expect((await setPrimary('987654321', foreign)).userErrors[0]).toMatchObject({
      code: 'CUSTOMER_NOT_FOUND',
    });
  });
});

describe('the address book under concurrency', () => {
  it('30 concurrent creates, updates, make-primaries and deletes leave exactly one primary per type', async () => {
    const c = await customer();
    const seeded: string[] = [];
    for (let i = 0; i < 6; i++) {
      seeded.push((await create(c, minimal(i % 2 ? 'SHIPPING' : 'BILLING'))).address.id);
    }
    const operations = Array.from({ length: 30 }, (_, i) => {
      const target = seeded[i % seeded.length] as string;
      switch (i % 5) {
        case 0:
          return create(c, minimal(i % 2 ? 'SHIPPING' : 'BILLING', { isPrimary: i % 3 === 0 }));
        case 1:
          return setPrimary(c, target);
        case 2:
          return update(c, target, { type: i % 2 ? 'BILLING' : 'SHIPPING', isPrimary: i % 4 === 1 });
        case 3:
          return remove(c, target);
        default:
          return update(c, target, { isPrimary: true });
      }
    });
    const results = await Promise.all(operations);
    for (const result of results) {
      for (const error of result.userErrors) expect(error.code).toBe('ADDRESS_NOT_FOUND'); // deleted meanwhile
    }
    await expectInvariant(c);
  });

  it('concurrent make-primary calls on one type end with exactly one primary', async () => {
    const c = await customer();
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push((await create(c, minimal('SHIPPING'))).address.id);
    await Promise.all(ids.map((id) => setPrimary(c, id)));
    await expectInvariant(c);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Role } from '../../src/graphql/context.js';
import { basicAuth, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  // Budgets have their own tests (bulk-mutations, test/rest); these files write far more.
  gw = await startTestGateway({ RATE_LIMIT_ENABLED: 'false' });
});
afterAll(async () => {
  await gw?.close();
});

const CUSTOMER =
  'id email firstName lastName phone status userId additionalInfo totalSpent orderCount createdAt updatedAt';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      customer { ${CUSTOMER} }
      userErrors { code message field }
    }
  }
`;

const UPDATE = /* GraphQL */ `
  mutation Update($id: ID!, $input: UpdateCustomerInput!) {
    updateCustomer(id: $id, input: $input) {
      customer { ${CUSTOMER} }
      userErrors { code message field }
    }
  }
`;

const MERGE = /* GraphQL */ `
  mutation Merge($id: ID!, $info: JSONObject!) {
    updateCustomerAdditionalInfo(id: $id, additionalInfo: $info) {
      customer { id additionalInfo updatedAt }
      userErrors { code message field }
    }
  }
`;

let emailCounter = 0;
const uniqueEmail = (prefix = 'c') => `${prefix}${++emailCounter}-${Date.now()}@example.com`;

async function create(input: Record<string, unknown>) {
  const res = await gw.graphql(CREATE, { input });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.createCustomer;
}

async function update(id: string, input: Record<string, unknown>) {
  const res = await gw.graphql(UPDATE, { id, input });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.updateCustomer;
}

async function merge(id: string, info: Record<string, unknown>) {
  const res = await gw.graphql(MERGE, { id, info });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.updateCustomerAdditionalInfo;
}

/** A customer row inserted directly, with timestamps in the past so updates are visible. */
async function fixture(data: Record<string, unknown> = {}) {
  const past = new Date('2024-01-01T10:00:00Z');
  const row = await gw.db.prisma.customer.create({
    data: { email: uniqueEmail('fx'), createdAt: past, updatedAt: past, ...data },
  });
  return String(row.id);
}

describe('createCustomer', () => {
  it('when only the email is given, then defaults fill the rest', async () => {
    const email = uniqueEmail();
    const { customer, userErrors } = await create({ email });
    expect(userErrors).toEqual([]);
    expect(customer).toMatchObject({
      email,
      firstName: '',
      lastName: '',
      phone: null,
      status: 'ACTIVE',
      userId: null,
      additionalInfo: {},
      totalSpent: 0,
      orderCount: 0,
    });
    expect(customer.id).toMatch(/^[1-9][0-9]*$/);
    expect(customer.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('when every field is given, then all are stored, trimmed, and the email case is kept', async () => {
    const email = uniqueEmail('MiXeD');
    const { customer, userErrors } = await create({
      email: `  ${email}  `,
      firstName: '  Jane ',
      lastName: ' Smith',
      phone: ' +1 (555) 123-4567 ',
      status: 'INACTIVE',
      additionalInfo: { company: 'Example Corp', tags: ['vip'], nested: { a: 1 } },
    });
    expect(userErrors).toEqual([]);
    expect(customer).toMatchObject({
      email,
      firstName: 'Jane',
      lastName: 'Smith',
      phone: '+1 (555) 123-4567',
      status: 'INACTIVE',
      additionalInfo: { company: 'Example Corp', tags: ['vip'], nested: { a: 1 } },
    });
    const row = await gw.db.prisma.customer.findUniqueOrThrow({ where: { id: BigInt(customer.id) } });
    expect(row.email).toBe(email);
  });

  it('when optional fields are explicitly null, then they count as absent', async () => {
    const { customer, userErrors } = await create({
      email: uniqueEmail(),
      firstName: null,
      lastName: null,
      phone: null,
      status: null,
      additionalInfo: null,
    });
    expect(userErrors).toEqual([]);
    expect(customer).toMatchObject({
      firstName: '',
      lastName: '',
      phone: null,
      status: 'ACTIVE',
      additionalInfo: {},
    });
  });

  it.each([
    ['no at sign', 'jane.example.com'],
    ['no dot in the domain', 'jane@localhost'],
    ['empty domain label', 'jane@example..com'],
    ['a space inside', 'ja ne@example.com'],
    ['blank', '   '],
    ['longer than 254 characters', `${'a'.repeat(64)}@${'b'.repeat(186)}.com`],
  ])('when the email has %s, then INVALID_EMAIL on email', async (_case, email) => {
    const { customer, userErrors } = await create({ email });
    expect(customer).toBeNull();
    expect(userErrors).toEqual([{ code: 'INVALID_EMAIL', message: expect.any(String), field: 'email' }]);
  });

  it('accepts an email of exactly 254 characters', async () => {
    const email = `${'a'.repeat(64)}${++emailCounter}@${'b'.repeat(185 - String(emailCounter).length)}.com`;
    expect(email).toHaveLength(254);
    const { userErrors } = await create({ email });
    expect(userErrors).toEqual([]);
  });

  it('when the email is used by another customer in another case, then INVALID_EMAIL', async () => {
    const email = uniqueEmail('dup');
    expect((await create({ email })).userErrors).toEqual([]);
    const { customer, userErrors } = await create({ email: email.toUpperCase() });
    expect(customer).toBeNull();
    expect(userErrors).toEqual([
      { code: 'INVALID_EMAIL', message: expect.stringMatching(/exists/), field: 'email' },
    ]);
  });

  it('when several fields fail, the email included, then VALIDATION_ERROR lists every one', async () => {
    const { customer, userErrors } = await create({
      email: 'nope',
      firstName: 'x'.repeat(101),
      lastName: 'y'.repeat(101),
      phone: 'call me',
      additionalInfo: { big: 'z'.repeat(16 * 1024) },
    });
    expect(customer).toBeNull();
    expect(userErrors.map((e: { code: string }) => e.code)).toEqual(Array(5).fill('VALIDATION_ERROR'));
    expect(userErrors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['additionalInfo', 'email', 'firstName', 'lastName', 'phone'].sort(),
    );
  });

  it('when only a non-email field fails, then VALIDATION_ERROR on that field', async () => {
    const { userErrors } = await create({ email: uniqueEmail(), phone: '+1-555-CALL' });
    expect(userErrors).toEqual([{ code: 'VALIDATION_ERROR', message: expect.any(String), field: 'phone' }]);
  });

  it.each([
    ['a 101-character first name', { firstName: 'x'.repeat(101) }, 'firstName'],
    ['a 33-character phone', { phone: '1'.repeat(33) }, 'phone'],
    ['a phone without digits', { phone: '+()' }, 'phone'],
    ['a NUL character in a name', { lastName: 'a\u0000b' }, 'lastName'],
  ])('rejects %s', async (_case, fields, field) => {
    const { userErrors } = await create({ email: uniqueEmail(), ...fields });
    expect(userErrors).toEqual([{ code: 'VALIDATION_ERROR', message: expect.any(String), field }]);
  });

  it('accepts names of exactly 100 characters (counted in characters, not bytes) and a 32-character phone', async () => {
    const { customer, userErrors } = await create({
      email: uniqueEmail(),
      firstName: 'é'.repeat(100),
      lastName: '😀'.repeat(100),
      phone: '1'.repeat(32),
    });
    expect(userErrors).toEqual([]);
    expect(customer.lastName).toBe('😀'.repeat(100));
  });

  it('drops keys sent as null in additionalInfo on create', async () => {
    const { customer } = await create({ email: uniqueEmail(), additionalInfo: { a: 1, b: null } });
    expect(customer.additionalInfo).toEqual({ a: 1 });
  });

  it('accepts additionalInfo of exactly 16 KiB of JSON and rejects one byte more', async () => {
    const overhead = JSON.stringify({ k: '' }).length;
    const exact = { k: 'x'.repeat(16 * 1024 - overhead) };
    expect(Buffer.byteLength(JSON.stringify(exact))).toBe(16 * 1024);
    expect((await create({ email: uniqueEmail(), additionalInfo: exact })).userErrors).toEqual([]);
    const over = { k: 'x'.repeat(16 * 1024 - overhead + 1) };
    const { userErrors } = await create({ email: uniqueEmail(), additionalInfo: over });
    expect(userErrors).toEqual([
      { code: 'VALIDATION_ERROR', message: expect.any(String), field: 'additionalInfo' },
    ]);
  });

  it('when the email is missing from the input, then a request error and no execution', async () => {
    const res = await gw.graphql(CREATE, { input: { firstName: 'x' } });
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]?.message).toMatch(/email/);
  });

  it('when 20 creates race with the same email in different cases, then exactly one wins', async () => {
    const base = uniqueEmail('race');
    const variants = Array.from({ length: 20 }, (_, i) =>
      [...base].map((ch, j) => ((i >> (j % 5)) & 1 ? ch.toUpperCase() : ch)).join(''),
    );
    const results = await Promise.all(variants.map((email) => create({ email })));
    const winners = results.filter((r) => r.customer !== null);
    const losers = results.filter((r) => r.customer === null);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser.userErrors).toEqual([
        { code: 'INVALID_EMAIL', message: expect.any(String), field: 'email' },
      ]);
    }
    const stored = await gw.db.prisma.customer.count({ where: { email: base } }); // citext: any case
    expect(stored).toBe(1);
  });
});

describe('updateCustomer', () => {
  it('when some fields are sent, then only those change and updatedAt moves', async () => {
    const id = await fixture({
      firstName: 'Old',
      lastName: 'Name',
      phone: '123',
      additionalInfo: { keep: true },
    });
    const { customer, userErrors } = await update(id, { firstName: '  New ' });
    expect(userErrors).toEqual([]);
    expect(customer).toMatchObject({
      firstName: 'New',
      lastName: 'Name',
      phone: '123',
      additionalInfo: { keep: true },
    });
    expect(customer.updatedAt).not.toBe('2024-01-01T10:00:00Z');
    expect(customer.createdAt).toBe('2024-01-01T10:00:00Z');
  });

  it('when phone and names are null, then phone is cleared and names become ""', async () => {
    const id = await fixture({ firstName: 'A', lastName: 'B', phone: '123' });
    const { customer, userErrors } = await update(id, { firstName: null, lastName: null, phone: null });
    expect(userErrors).toEqual([]);
    expect(customer).toMatchObject({ firstName: '', lastName: '', phone: null });
  });

  it.each(['email', 'status', 'additionalInfo'])(
    'when %s is null, then VALIDATION_ERROR on it',
    async (field) => {
      const id = await fixture();
      const { customer, userErrors } = await update(id, { [field]: null });
      expect(customer).toBeNull();
      expect(userErrors).toEqual([{ code: 'VALIDATION_ERROR', message: expect.any(String), field }]);
    },
  );

  it('when the email changes to a valid free one, then it is stored; its own email in another case is fine', async () => {
    const id = await fixture();
    const email = uniqueEmail('new');
    expect((await update(id, { email })).customer.email).toBe(email);
    expect((await update(id, { email: email.toUpperCase() })).customer.email).toBe(email.toUpperCase());
  });

  it('when the email is malformed or taken, then INVALID_EMAIL; with another failure, VALIDATION_ERROR', async () => {
    const taken = uniqueEmail('taken');
    await fixture({ email: taken });
    const id = await fixture();
    expect((await update(id, { email: 'bad' })).userErrors).toEqual([
      { code: 'INVALID_EMAIL', message: expect.any(String), field: 'email' },
    ]);
    expect((await update(id, { email: taken.toUpperCase() })).userErrors).toEqual([
      { code: 'INVALID_EMAIL', message: expect.any(String), field: 'email' },
    ]);
    const both = await update(id, { email: 'bad', status: null });
    expect(both.userErrors).toEqual([
      { code: 'VALIDATION_ERROR', message: expect.any(String), field: 'email' },
      { code: 'VALIDATION_ERROR', message: expect.any(String), field: 'status' },
    ]);
  });

  it('when the id is unknown, then CUSTOMER_NOT_FOUND; beyond BIGINT too', async () => {
    for (const id of ['999999999', '99999999999999999999']) {
      const { customer, userErrors } = await update(id, { firstName: 'x' });
      expect(customer).toBeNull();
      expect(userErrors).toEqual([
        { code: 'CUSTOMER_NOT_FOUND', message: `Customer with ID ${id} not found`, field: null },
      ]);
    }
  });

  it('when the id is malformed, then VALIDATION_ERROR on id (with the input failures)', async () => {
    for (const id of ['abc', '0', '-1', '1.5']) {
      const { userErrors } = await update(id, { phone: 'x' });
      expect(userErrors).toEqual([
        { code: 'VALIDATION_ERROR', message: expect.any(String), field: 'id' },
        { code: 'VALIDATION_ERROR', message: expect.any(String), field: 'phone' },
      ]);
    }
  });

  it('when the input is invalid and the customer unknown, then the validation error wins', async () => {
    const { userErrors } = await update('999999999', { status: null });
    expect(userErrors[0].code).toBe('VALIDATION_ERROR');
  });

  it('merges additionalInfo sent in the input', async () => {
    const id = await fixture({ additionalInfo: { a: 1, b: 2 } });
    const { customer } = await update(id, { additionalInfo: { b: null, c: 3 }, lastName: 'L' });
    expect(customer).toMatchObject({ additionalInfo: { a: 1, c: 3 }, lastName: 'L' });
  });

  it('when concurrent updates touch different fields, then none is lost', async () => {
    const id = await fixture({ additionalInfo: {} });
    await Promise.all([
      update(id, { firstName: 'F' }),
      update(id, { lastName: 'L' }),
      update(id, { phone: '555' }),
      update(id, { status: 'INACTIVE' }),
      ...Array.from({ length: 10 }, (_, i) => update(id, { additionalInfo: { [`k${i}`]: i } })),
    ]);
    const row = await gw.db.prisma.customer.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(row).toMatchObject({ firstName: 'F', lastName: 'L', phone: '555', status: 'INACTIVE' });
    expect(Object.keys(row.additionalInfo as object).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `k${i}`).sort(),
    );
  });

  it('reads the payload customer once, after the write, with the selection', async () => {
    const id = await fixture();
    gw.resetStatements();
    const res = await gw.graphql(
      /* GraphQL */ `mutation($id: ID!) { updateCustomer(id: $id, input: { firstName: "N" }) {
        customer { id firstName } userErrors { code } } }`,
      { id },
    );
    expect(res.body.data.updateCustomer.customer).toEqual({ id, firstName: 'N' });
    const update = gw.statements.findIndex((sql) => sql.startsWith('UPDATE "public"."customers"'));
    const reads = gw.statements.filter((sql) => /^SELECT .* FROM "public"\."customers"/.test(sql));
    expect(update).toBeGreaterThanOrEqual(0);
    expect(reads).toHaveLength(1);
    expect(gw.statements.indexOf(reads[0] as string)).toBeGreaterThan(update);
  });
});

describe('updateCustomerAdditionalInfo', () => {
  it('sets keys sent, removes keys sent as null, keeps the others (shallow)', async () => {
    const id = await fixture({ additionalInfo: { company: 'Old', notes: 'x', nested: { a: 1, b: 2 } } });
    const { customer, userErrors } = await merge(id, {
      company: 'Updated Corp',
      notes: null,
      nested: { c: 3 },
      custom_field_1: 'Custom value',
    });
    expect(userErrors).toEqual([]);
    expect(customer.additionalInfo).toEqual({
      company: 'Updated Corp',
      nested: { c: 3 },
      custom_field_1: 'Custom value',
    });
    expect(customer.updatedAt).not.toBe('2024-01-01T10:00:00Z');
  });

  it('refuses what could not be stored as sent: NUL characters, keys named __proto__', async () => {
    const id = await fixture({ additionalInfo: { a: 1 } });
    expect((await merge(id, { b: 'x\u0000y' })).userErrors).toEqual([
      { code: 'VALIDATION_ERROR', message: expect.stringMatching(/NUL/), field: 'additionalInfo' },
    ]);
    // JSON.parse keeps "__proto__" as an own key, as a client's JSON body would.
    const raw = await gw.request('POST', '/graphql', {
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      rawBody: `{"query": ${JSON.stringify(MERGE)}, "variables": {"id": "${id}", "info": {"n": {"__proto__": {"x": 1}}}}}`,
    });
    expect(raw.status, raw.text).toBe(200);
    expect(raw.body.data.updateCustomerAdditionalInfo.userErrors).toEqual([
      { code: 'VALIDATION_ERROR', message: expect.stringMatching(/__proto__/), field: 'additionalInfo' },
    ]);
  });

  it('removing a key that is not there is fine', async () => {
    const id = await fixture({ additionalInfo: { a: 1 } });
    expect((await merge(id, { missing: null })).customer.additionalInfo).toEqual({ a: 1 });
  });

  it('when the merged object would exceed 16 KiB, then VALIDATION_ERROR and nothing changes', async () => {
    const half = 'x'.repeat(9000);
    const id = await fixture({ additionalInfo: { a: half } });
    const { customer, userErrors } = await merge(id, { b: half });
    expect(customer).toBeNull();
    expect(userErrors).toEqual([
      { code: 'VALIDATION_ERROR', message: expect.any(String), field: 'additionalInfo' },
    ]);
    const row = await gw.db.prisma.customer.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(row.additionalInfo).toEqual({ a: half });
    // Replacing the big key instead keeps it under the limit.
    expect((await merge(id, { a: null, b: half })).customer.additionalInfo).toEqual({ b: half });
  });

  it('when the value is not an object, then a variable error and no execution', async () => {
    const id = await fixture();
    const res = await gw.graphql(MERGE, { id, info: [1, 2] });
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]?.message).toMatch(/JSONObject/);
  });

  it('when the customer is unknown, then CUSTOMER_NOT_FOUND', async () => {
    expect((await merge('987654321', { a: 1 })).userErrors).toEqual([
      { code: 'CUSTOMER_NOT_FOUND', message: expect.any(String), field: null },
    ]);
  });

  it('when 20 merges of different keys race, then every key is kept', async () => {
    const id = await fixture({ additionalInfo: { base: true } });
    await Promise.all(Array.from({ length: 20 }, (_, i) => merge(id, { [`key${i}`]: i })));
    const row = await gw.db.prisma.customer.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(Object.keys(row.additionalInfo as object)).toHaveLength(21);
  });
});

describe('stats maintenance', () => {
  it('does not touch updatedAt', async () => {
    const id = await fixture();
    await gw.db.prisma.order.create({
      data: { customerId: BigInt(id), paymentStatus: 'PAID', totalAmount: 1500n, currency: 'USD' },
    });
    const row = await gw.db.prisma.customer.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(row.totalSpent).toBe(1500n);
    expect(row.updatedAt.toISOString()).toBe('2024-01-01T10:00:00.000Z');
  });
});

describe('permissions', () => {
  /** A user of `role` with an application password; its Basic credentials. */
  async function credentials(role: Role): Promise<string> {
    const login = `${role.toLowerCase()}-${++emailCounter}`;
    const password = `${login}-password`;
    await gw.db.prisma.user.create({
      data: {
        login,
        email: `${login}@example.com`,
        role,
        applicationPasswords: { create: { name: 'test', hash: await hashPassword(password) } },
      },
    });
    return basicAuth(login, password);
  }

  const mutations: Record<string, string> = {
    createCustomer: 'createCustomer(input: { email: "perm@example.com" }) { userErrors { code } }',
    updateCustomer: 'updateCustomer(id: $id, input: { firstName: "P" }) { userErrors { code } }',
    updateCustomerAdditionalInfo:
      'updateCustomerAdditionalInfo(id: $id, additionalInfo: { p: 1 }) { userErrors { code } }',
    createCustomerAddress:
      'createCustomerAddress(customerId: $id, input: { type: BILLING, address1: "a", city: "b", country: "US" }) { userErrors { code } }',
    updateCustomerAddress:
      'updateCustomerAddress(customerId: $id, addressId: "1", input: {}) { userErrors { code } }',
    setPrimaryCustomerAddress:
      'setPrimaryCustomerAddress(customerId: $id, addressId: "1") { userErrors { code } }',
    deleteCustomerAddress: 'deleteCustomerAddress(customerId: $id, addressId: "1") { userErrors { code } }',
    attachUserToCustomer: 'attachUserToCustomer(customerId: $id, userId: "1") { userErrors { code } }',
    detachUserFromCustomer: 'detachUserFromCustomer(customerId: $id) { userErrors { code } }',
    bulkUpdateStatus:
      'customerBulkAction(input: { action: UPDATE_STATUS, status: INACTIVE, customerIds: [$id] }) { processed }',
    bulkDelete: 'customerBulkAction(input: { action: DELETE, customerIds: [$id] }) { processed }',
    bulkExport: 'customerBulkAction(input: { action: EXPORT, customerIds: [$id] }) { processed }',
  };

  const allowed: Record<Role, string[]> = {
    ADMINISTRATOR: Object.keys(mutations),
    SHOP_MANAGER: Object.keys(mutations).filter((m) => m !== 'deleteCustomerAddress' && m !== 'bulkDelete'),
    VIEWER: ['bulkExport'],
    CUSTOMER: [],
  };

  for (const role of ['VIEWER', 'CUSTOMER', 'SHOP_MANAGER'] as const) {
    it(`a ${role} gets INSUFFICIENT_PERMISSIONS for exactly the mutations its role lacks, and nothing changes`, async () => {
      const auth = await credentials(role);
      const id = await fixture({ firstName: 'Before' });
      for (const [name, selection] of Object.entries(mutations)) {
        const header = selection.includes('$id') ? 'mutation($id: ID!)' : 'mutation';
        const res = await gw.graphql(`${header} { ${selection} }`, { id }, { auth });
        expect(res.status, name).toBe(200);
        const code = res.body.errors?.[0]?.extensions?.code;
        if (allowed[role].includes(name)) expect(code, name).toBeUndefined();
        else expect(code, name).toBe('INSUFFICIENT_PERMISSIONS');
      }
      if (role !== 'SHOP_MANAGER') {
        const row = await gw.db.prisma.customer.findUniqueOrThrow({ where: { id: BigInt(id) } });
        expect(row).toMatchObject({ firstName: 'Before', status: 'ACTIVE', additionalInfo: {} });
      }
    });
  }
});

/**
 * Property: a rejected write changes nothing. Before and after a batch of random write
 * requests that are invalid by construction — good values with one bad field, an unknown or
 * foreign id, a request-level bulk fault — the customers, customer_addresses, users and orders
 * tables hold exactly the same rows (every column), and each request got a documented 4xx.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetFixture } from '../rest/fixture.js';
import type { TestGateway } from '../support/gateway.js';
import {
  brief,
  deepJsonText,
  encodeComponent,
  fuzzAssert,
  fuzzRuns,
  fuzzTimeout,
  leakIn,
  REST_ERROR_CODES,
  REST_STATUS,
  tally,
} from './arbitraries.js';

const V2 = '/wp-json/fluent-cart/v2';

let gw: TestGateway;
/** The data this suite needs, on the shared gateway's database. */
async function setup(): Promise<void> {
  await resetFixture(gw.db);
  // Beside the fixture: user 2 linked to customer 3, user 3 linked to nobody, and customer 2
  // with two billing addresses (3 primary, 4 not), so that every kind of conflict exists.
  const { prisma } = gw.db;
  await prisma.customer.update({ where: { id: 3n }, data: { userId: 2n } });
  await prisma.user.create({
    data: { id: 3n, login: 'free', email: 'free@example.com', displayName: 'Free', role: 'CUSTOMER' },
  });
  await prisma.customerAddress.createMany({
    data: [
      {
        id: 3n,
        customerId: 2n,
        type: 'BILLING',
        address1: '1 Elm St',
        city: 'Austin',
        country: 'US',
        isPrimary: true,
      },
      {
        id: 4n,
        customerId: 2n,
        type: 'BILLING',
        address1: '2 Elm St',
        city: 'Austin',
        country: 'US',
        isPrimary: false,
      },
    ],
  });
  for (const table of ['users', 'customer_addresses']) {
    await prisma.$executeRawUnsafe(
      `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT max(id) FROM "${table}"))`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

const TABLES = ['customers', 'customer_addresses', 'users', 'orders'] as const;

async function snapshot(): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const rows = await gw.db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT * FROM "${table}" ORDER BY id`,
    );
    result[table] = JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v), 1);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Invalid writes
// ---------------------------------------------------------------------------------------------

interface Write {
  /** What makes it invalid (for the report). */
  why: string;
  method: string;
  path: string;
  body: Record<string, unknown> | unknown[] | string;
  /** Send a text body as is (not JSON-encoded). */
  raw?: boolean;
  /** The value that makes it invalid: decides whether it survives form encoding. */
  bad: unknown;
}

/** Good values: hostile in content but valid by the contract. */
const goodName = fc.oneof(
  fc.constantFrom('Ann', "O'Brien", '100% _real_ \\name', 'Zoë', '日本', '"Quoted"', ''),
  fc.string({ maxLength: 20 }).filter((s) => !s.includes('\u0000')),
);
const goodPhone = fc.constantFrom('+1 (555) 123-4567', '555.0101', '0', null);
const goodStatus = fc.constantFrom('active', 'inactive', 'ACTIVE');
const goodInfo = fc.dictionary(
  fc.constantFrom('a', "b'", 'c%', 'd_', 'ünï'),
  fc.constantFrom<unknown>(1, 'x', "'; DROP TABLE customers; --", [1, 2], { n: null }, true),
  { maxKeys: 3 },
);
let emailCounter = 0;
/** A fresh, valid email (never used before, so only the bad field can fail). */
const freshEmail = fc
  .constantFrom('new', "o'brien%_", 'a_b\\c', '"q"', 'zoë')
  .map((local) => `${local}.${++emailCounter}@example.com`);

const goodCustomer = fc.record({
  email: freshEmail,
  first_name: goodName,
  last_name: goodName,
  phone: goodPhone,
  status: goodStatus,
  additional_info: goodInfo,
});

/** One bad customer field: [field, value]; `undefined` value = the key is removed. */
const badCustomerField: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(
    fc.constant('email'),
    fc.constantFrom<unknown>(
      'no-at-sign',
      'a@b',
      'a @b.com',
      'a@b .com',
      '',
      ' ',
      `${'x'.repeat(250)}@example.com`,
      'a\u0000b@example.com',
      'JOHN.DOE@example.com',
      ' alice.brown@EXAMPLE.com ',
      "' OR 1=1 --",
      5,
      true,
      {},
      [],
    ),
  ),
  fc.tuple(
    fc.constantFrom('first_name', 'last_name'),
    fc.constantFrom<unknown>('x'.repeat(101), 'é'.repeat(101), 'a\u0000b', '\u0000', true, {}, ['a']),
  ),
  fc.tuple(
    fc.constant('phone'),
    fc.constantFrom<unknown>('abc', '1'.repeat(33), '+', '()', "555' OR '1", '5\u00005', '555%', true, {}),
  ),
  fc.tuple(
    fc.constant('status'),
    fc.constantFrom<unknown>('deleted', '', ' ', 'actif', "active'", 5, true, []),
  ),
  fc.tuple(
    fc.constant('additional_info'),
    fc.constantFrom<unknown>(
      [],
      [1],
      'a string',
      5,
      true,
      { big: 'x'.repeat(17_000) },
      { nul: 'a\u0000b' },
      { 'k\u0000': 1 },
      { surrogate: '\ud800' },
      { '\udfff': 1 },
      '@@DEEP@@',
    ),
  ),
);

const existingCustomer = fc.constantFrom('1', '2', '3');
const ownEmail: Record<string, string> = {
  '1': 'john.doe@example.com',
  '2': 'alice.brown@example.com',
  '3': 'bob.green@example.com',
};
const unknownCustomer = fc.constantFrom(
  '99999',
  '9223372036854775807',
  '9223372036854775808',
  '1'.repeat(30),
);
const malformedId = fc.constantFrom('abc', '0', '-1', '1.5', '01', '1e3', "1'", '1;', '%00', '%25');

function jsonBody(value: Record<string, unknown>): Pick<Write, 'body' | 'raw'> {
  // A deep value cannot go through JSON.stringify's object form cheaply: splice its text in.
  const text = JSON.stringify(value);
  if (!text.includes('"@@DEEP@@"')) return { body: value };
  return { body: text.replace('"@@DEEP@@"', deepJsonText(200, 'array')), raw: true };
}

const createCustomer: fc.Arbitrary<Write> = fc
  .tuple(goodCustomer, badCustomerField, fc.boolean())
  .map(([good, [field, bad], asNull]) => {
    const body: Record<string, unknown> = { ...good, [field]: bad };
    // a missing email is invalid too, and null on create means absent
    if (field === 'email' && asNull) body.email = bad === '' ? undefined : null;
    return {
      why: `create: bad ${field}`,
      method: 'POST',
      path: `${V2}/customers`,
      bad: body[field],
      ...jsonBody(body),
    };
  });

const updateCustomer: fc.Arbitrary<Write> = fc.oneof(
  fc
    .tuple(
      existingCustomer,
      fc.subarray(['first_name', 'last_name', 'phone', 'status', 'additional_info']),
      goodCustomer,
      badCustomerField,
    )
    // a customer's own email (in another case) is a valid update, not a duplicate
    .filter(
      ([id, , , [field, bad]]) =>
        !(field === 'email' && typeof bad === 'string' && ownEmail[id] === bad.trim().toLowerCase()),
    )
    .map(([id, keep, good, [field, bad]]) => {
      const body: Record<string, unknown> = Object.fromEntries(
        keep.map((k) => [k, good[k as keyof typeof good]]),
      );
      body[field] = bad;
      return {
        why: `update: bad ${field}`,
        method: 'PUT',
        path: `${V2}/customers/${id}`,
        bad,
        ...jsonBody(body),
      };
    }),
  fc.tuple(existingCustomer, fc.constantFrom('email', 'status', 'additional_info')).map(([id, field]) => ({
    why: `update: null ${field}`,
    method: 'PUT',
    path: `${V2}/customers/${id}`,
    body: { first_name: 'Zed', [field]: null },
    bad: null,
  })),
  fc.tuple(fc.oneof(unknownCustomer, malformedId), goodCustomer).map(([id, good]) => ({
    why: 'update: no such customer',
    method: 'PUT',
    path: `${V2}/customers/${id}`,
    body: good,
    bad: id,
  })),
);

const additionalInfo: fc.Arbitrary<Write> = fc.oneof(
  fc
    .tuple(
      existingCustomer,
      fc.constantFrom<unknown>(
        { big: 'x'.repeat(17_000) },
        { a: 'y'.repeat(9000), b: 'z'.repeat(9000) },
        { nul: '\u0000' },
        { 'k\u0000': 1 },
        { s: '\ud800' },
        [1, 2],
        'text',
        '@@DEEP@@',
      ),
    )
    .map(([id, body]) =>
      body === '@@DEEP@@'
        ? {
            why: 'additional-info: too deep',
            method: 'PUT' as const,
            path: `${V2}/customers/${id}/additional-info`,
            body: `{"k": ${deepJsonText(200, 'object')}}`,
            raw: true,
            bad: null,
          }
        : typeof body === 'string'
          ? {
              why: 'additional-info: not an object',
              method: 'PUT' as const,
              path: `${V2}/customers/${id}/additional-info`,
              body: JSON.stringify(body),
              raw: true,
              bad: null,
            }
          : {
              why: 'additional-info: bad content',
              method: 'PUT' as const,
              path: `${V2}/customers/${id}/additional-info`,
              body: body as Record<string, unknown>,
              bad: null,
            },
    ),
  fc.tuple(fc.oneof(unknownCustomer, malformedId), goodInfo).map(([id, info]) => ({
    why: 'additional-info: no such customer',
    method: 'PUT',
    path: `${V2}/customers/${id}/additional-info`,
    body: info,
    bad: id,
  })),
);

const goodAddress = fc.record({
  type: fc.constantFrom('billing', 'shipping'),
  first_name: goodName,
  company: fc.constantFrom('ACME % _ Ltd', null, "Bob's"),
  address_1: fc.constantFrom('1 Main St', "12 O'Connell St", '5 % Rue_de \\ Paix'),
  address_2: fc.constantFrom(null, 'Apt 1'),
  city: fc.constantFrom('Paris', 'São Paulo', "L'Aquila"),
  state: fc.constantFrom(null, 'NY'),
  postcode: fc.constantFrom('10001', null, 'SW1A 1AA'),
  country: fc.constantFrom('US', 'de', 'FR'),
  phone: goodPhone,
  is_primary: fc.constantFrom(true, false, '1', '0'),
});

const badAddressField: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(fc.constant('type'), fc.constantFrom<unknown>('home', '', 'BILLINGX', 5, undefined, null)),
  fc.tuple(
    fc.constant('address_1'),
    fc.constantFrom<unknown>('', ' ', 'x'.repeat(256), 'a\u0000', undefined, null, true),
  ),
  fc.tuple(fc.constant('city'), fc.constantFrom<unknown>('', 'x'.repeat(101), '\u0000', undefined, null, {})),
  fc.tuple(
    fc.constant('country'),
    fc.constantFrom<unknown>('XX', 'USA', 'u', '', "U'", '%', undefined, null, 1),
  ),
  fc.tuple(fc.constant('postcode'), fc.constantFrom<unknown>('1'.repeat(21), 'a\u0000', {})),
  fc.tuple(fc.constant('phone'), fc.constantFrom<unknown>('abc', '1'.repeat(33), "1' OR '1")),
  fc.tuple(
    fc.constantFrom('first_name', 'last_name', 'company', 'state'),
    fc.constantFrom<unknown>('x'.repeat(101), '\u0000', []),
  ),
  fc.tuple(fc.constant('address_2'), fc.constantFrom<unknown>('x'.repeat(256), 'a\u0000')),
  fc.tuple(fc.constant('is_primary'), fc.constantFrom<unknown>('maybe', 2, 'yes', {}, null)),
);

function withField(base: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const body = { ...base };
  if (value === undefined) delete body[field];
  else body[field] = value;
  return body;
}

const createAddress: fc.Arbitrary<Write> = fc.oneof(
  fc
    .tuple(existingCustomer, goodAddress, badAddressField)
    // null is "absent" only for optional fields: a null required field stays invalid
    .filter(([, , [field, bad]]) => !(bad === null && ['is_primary'].includes(field)))
    .map(([id, good, [field, bad]]) => ({
      why: `create address: bad ${field}`,
      method: 'POST',
      path: `${V2}/customers/${id}/address`,
      body: withField(good, field, bad),
      bad,
    })),
  fc.tuple(fc.oneof(unknownCustomer, malformedId), goodAddress).map(([id, good]) => ({
    why: 'create address: no such customer',
    method: 'POST',
    path: `${V2}/customers/${id}/address`,
    body: good,
    bad: id,
  })),
);

/** [customer, address] pairs that do not belong together, or do not exist. */
const foreignAddress = fc.constantFrom<[string, unknown]>(
  ['2', 1],
  ['1', 3],
  ['3', 2],
  ['1', 99999],
  ['1', '9223372036854775808'],
  ['99999', 1],
);
const addressIdKey = fc.constantFrom('address_id', 'id', 'address');
const placeAddressId = (key: string, id: unknown): Record<string, unknown> =>
  key === 'address' ? { address: { id } } : { [key]: id };

const updateAddress: fc.Arbitrary<Write> = fc.oneof(
  fc.tuple(foreignAddress, addressIdKey, goodAddress).map(([[cid, aid], key, good]) => ({
    why: 'update address: foreign or unknown',
    method: 'PUT',
    path: `${V2}/customers/${cid}/address`,
    body: { ...good, ...placeAddressId(key, aid) },
    bad: aid,
  })),
  fc
    .tuple(
      fc.constantFrom<[string, number]>(['1', 1], ['1', 2], ['2', 3], ['2', 4]),
      addressIdKey,
      badAddressField,
    )
    .filter(
      ([, , [field, bad]]) =>
        bad !== undefined &&
        !(
          bad === null &&
          ['first_name', 'last_name', 'company', 'state', 'postcode', 'address_2', 'phone'].includes(field)
        ),
    )
    .map(([[cid, aid], key, [field, bad]]) => ({
      why: `update address: bad ${field}`,
      method: 'PUT',
      path: `${V2}/customers/${cid}/address`,
      body: { ...placeAddressId(key, aid), city: 'Lyon', [field]: bad },
      bad,
    })),
  // false for the current primary: make another one primary instead
  fc.constantFrom<[string, number]>(['1', 1], ['1', 2], ['2', 3]).map(([cid, aid]) => ({
    why: 'update address: unset primary',
    method: 'PUT',
    path: `${V2}/customers/${cid}/address`,
    body: { address_id: aid, is_primary: false, city: 'Nice' },
    bad: false,
  })),
  fc
    .tuple(existingCustomer, fc.constantFrom<unknown>(undefined, 'abc', 0, -1, 1.5, '', null, true, []))
    .map(([cid, aid]) => ({
      why: 'update address: bad or missing id',
      method: 'PUT',
      path: `${V2}/customers/${cid}/address`,
      body: { address_id: aid, city: 'Nice' },
      bad: aid,
    })),
);

const deleteOrPrimary: fc.Arbitrary<Write> = fc
  .tuple(
    fc.constantFrom('delete', 'make-primary'),
    fc.oneof(
      foreignAddress,
      fc.tuple(existingCustomer, fc.constantFrom<unknown>(undefined, 'abc', 0, -1, 1.5, '', true, [], {})),
    ),
    addressIdKey,
  )
  .map(([op, [cid, aid], key]) => ({
    why: `${op}: foreign, unknown or malformed address`,
    method: op === 'delete' ? 'DELETE' : 'POST',
    path: op === 'delete' ? `${V2}/customers/${cid}/address` : `${V2}/customers/${cid}/address/make-primary`,
    body: aid === undefined ? {} : placeAddressId(key, aid),
    bad: aid,
  }));

const attach: fc.Arbitrary<Write> = fc.oneof(
  // unknown user, or user 2 (linked to customer 3) for another customer
  fc
    .tuple(fc.constantFrom('1', '2'), fc.constantFrom<unknown>(99999, '99999', 2, '2', '9223372036854775808'))
    .map(([cid, uid]) => ({
      why: 'attach: invalid user',
      method: 'POST',
      path: `${V2}/customers/${cid}/attachable-user`,
      body: { user_id: uid },
      bad: uid,
    })),
  // customer 3 is linked to user 2 already: another user is refused
  fc.constantFrom<unknown>(1, 3, '3').map((uid) => ({
    why: 'attach: customer linked elsewhere',
    method: 'POST',
    path: `${V2}/customers/3/attachable-user`,
    body: { user_id: uid },
    bad: uid,
  })),
  fc
    .tuple(
      existingCustomer,
      fc.constantFrom<unknown>(undefined, 'abc', 0, -1, 1.5, '', null, true, [], {}, "1' OR '1"),
    )
    .map(([cid, uid]) => ({
      why: 'attach: bad user id',
      method: 'POST',
      path: `${V2}/customers/${cid}/attachable-user`,
      body: uid === undefined ? {} : { user_id: uid },
      bad: uid,
    })),
  fc
    .tuple(fc.oneof(unknownCustomer, malformedId), fc.constantFrom('attachable-user', 'detach-user'))
    .map(([cid, op]) => ({
      why: `${op}: no such customer`,
      method: 'POST',
      path: `${V2}/customers/${cid}/${op}`,
      body: { user_id: 3 },
      bad: cid,
    })),
);

const goodIds = fc.array(fc.constantFrom<unknown>(1, 2, 3, '1', '2'), { minLength: 1, maxLength: 3 });
const bulk: fc.Arbitrary<Write> = fc
  .oneof(
    fc
      .tuple(
        fc.constantFrom<unknown>('nuke', '', 'delete;', "delete' --", 5, null, ['delete']),
        goodIds,
        fc.constant({}),
      )
      .map(([action, ids]) => ['unknown action', { action, customer_ids: ids }, action] as const),
    fc
      .tuple(
        fc.constantFrom('update_status', 'change_customer_status'),
        goodIds,
        fc.constantFrom<unknown>(undefined, 'deleted', '', 5, "active'"),
      )
      .map(
        ([action, ids, status]) =>
          [
            'missing or bad status',
            { action, customer_ids: ids, ...(status === undefined ? {} : { data: { status } }) },
            status,
          ] as const,
      ),
    fc
      .tuple(
        fc.constantFrom('update_status', 'delete', 'delete_customers'),
        fc.constantFrom<unknown>(
          [],
          '',
          undefined,
          [1, 'x'],
          [1, 0],
          [2, -1],
          [1, 1.5],
          ['1', '2', "3'"],
          [1, null],
          [1, [2]],
          '1,2,x',
          Array.from({ length: 1001 }, (_, i) => i + 1),
          { a: 1 },
          true,
        ),
      )
      .map(
        ([action, ids]) =>
          ['bad id list', { action, customer_ids: ids, data: { status: 'inactive' } }, ids] as const,
      ),
  )
  .map(([why, body, bad]) => ({
    why: `bulk: ${why}`,
    method: 'POST',
    path: `${V2}/customers/do-bulk-action`,
    body,
    bad,
  }));

const invalidWrite: fc.Arbitrary<Write> = fc.oneof(
  createCustomer,
  updateCustomer,
  additionalInfo,
  createAddress,
  updateAddress,
  deleteOrPrimary,
  attach,
  bulk,
);

/** How the request travels: JSON, form (bracket syntax), or a POST with a method override. */
const transport = fc.constantFrom('json', 'json', 'json', 'form', 'override-header', 'override-query');

/**
 * Whether the invalid value stays invalid in a form body, where every value is a string and
 * nulls, booleans and empty containers cannot be written (`[1, null]` would become `[1]`).
 * A list becomes an object with index keys (`additional_info[0]=1` is the object {"0": "1"}),
 * so only a list where a list is expected (the bulk id list) keeps its meaning.
 */
function formSafe(write: Write): boolean {
  const { bad } = write;
  if (bad === undefined || typeof bad === 'number') return true;
  if (typeof bad === 'string') return bad !== '';
  return (
    write.why.startsWith('bulk') &&
    Array.isArray(bad) &&
    bad.length > 0 &&
    bad.every((v) => typeof v === 'number' || (typeof v === 'string' && v !== ''))
  );
}

function formPairs(value: unknown, prefix: string, out: [string, string][]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) formPairs(v, `${prefix}[${i}]`, out);
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) formPairs(v, prefix ? `${prefix}[${k}]` : k, out);
  } else out.push([prefix, String(value)]);
}

async function send(write: Write, how: string) {
  let method: string = write.method;
  let path = write.path;
  const headers: Record<string, string> = { authorization: gw.adminAuth };
  if (how.startsWith('override') && method !== 'POST') {
    if (how === 'override-header') headers['x-http-method-override'] = method;
    else path += `${path.includes('?') ? '&' : '?'}_method=${method}`;
    method = 'POST';
  }
  let body: string;
  const form =
    how === 'form' &&
    !write.raw &&
    typeof write.body === 'object' &&
    !Array.isArray(write.body) &&
    formSafe(write);
  if (form) {
    const pairs: [string, string][] = [];
    formPairs(write.body, '', pairs);
    body = pairs.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&');
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else {
    body = write.raw ? (write.body as string) : JSON.stringify(write.body);
    headers['content-type'] = 'application/json';
  }
  const response = await gw.gateway.fetch(`http://gateway.test${path}`, { method, headers, body });
  return { status: response.status, text: await response.text(), path, method, form };
}

/** Registers the suite; `gateway` is the file's shared test gateway. */
export function rejectedWritesSuite(gateway: () => TestGateway): void {
  describe('rejected writes', () => {
    beforeAll(async () => {
      gw = gateway();
      await setup();
    });
    const runs = fuzzRuns(60);
    it(
      'rejected-writes: a batch of invalid writes changes no row of customers, addresses, users or orders',
      async () => {
        await fuzzAssert(
          'rejected-writes',
          fc.array(fc.tuple(invalidWrite, transport), { minLength: 1, maxLength: 5 }),
          async (batch) => {
            const before = await snapshot();
            for (const [write, how] of batch) {
              const res = await send(write, how);
              const context = `${write.why} via ${how}: ${res.method} ${res.path} ${brief(write.body)} → ${res.status} ${brief(res.text)}`;
              let parsed: any;
              expect(() => {
                parsed = JSON.parse(res.text);
              }, context).not.toThrow();
              tally(
                'rejected-writes',
                `${process.env.FUZZ_DEBUG ? `${write.why} ${brief(parsed?.error?.details)}: ` : ''}${res.status} ${parsed?.error?.code ?? ''}`.trim(),
              );
              expect(res.status, context).toBeGreaterThanOrEqual(400);
              expect(res.status, context).toBeLessThan(500);
              expect(parsed.success, context).toBe(false);
              expect(REST_ERROR_CODES.has(parsed.error?.code), context).toBe(true);
              expect(res.status, context).toBe(REST_STATUS[parsed.error.code]);
              expect(leakIn(JSON.stringify(parsed.error)), context).toBeNull();
            }
            const after = await snapshot();
            for (const table of TABLES) {
              expect(
                after[table],
                `${table} changed after ${brief(batch.map(([w, how]) => `${w.why} via ${how}`))}`,
              ).toBe(before[table]);
            }
          },
          runs,
          150,
        );
      },
      fuzzTimeout(runs, 150),
    );
  });
}

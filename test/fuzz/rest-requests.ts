/**
 * Property: whatever a client sends to the REST surface — random and malformed paths under
 * the namespace, any method (overrides included), hostile query strings and bodies — the
 * answer is a documented one: never a 5xx, always JSON, either the success envelope (2xx) or
 * `{success: false, error: {code, message, details?}}` with a documented code and its status,
 * and never a stack trace, a file path or SQL text.
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
  HUGE_NUMBER_TEXTS,
  HUGE_NUMBERS,
  hostileJson,
  hostileString,
  leakIn,
  longString,
  REST_ERROR_CODES,
  REST_STATUS,
  tally,
} from './arbitraries.js';

let gw: TestGateway;
/** The data this suite needs, on the shared gateway's database. */
async function setup(): Promise<void> {
  await resetFixture(gw.db);
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

interface Segment {
  text: string;
  /** Written into the URL as is (percent sequences, dot segments), not encoded. */
  raw: boolean;
}

interface FuzzRequest {
  prefix: string;
  segments: Segment[];
  trailingSlash: boolean;
  method: string;
  override: { via: 'header' | 'query'; value: string } | null;
  query: { key: string; value: string; raw: boolean }[];
  body: Body | null;
  auth: 'admin' | 'none' | 'malformed';
}

type Body =
  | { kind: 'json'; value: unknown; contentType: string | null }
  | { kind: 'text'; text: string; contentType: string | null }
  | { kind: 'bytes'; bytes: readonly number[]; contentType: string | null }
  | { kind: 'form'; pairs: [string, string][]; contentType: string };

const LITERALS = [
  'customers',
  'get-stats',
  'attachable-user',
  'do-bulk-action',
  'address',
  'make-primary',
  'orders',
  'additional-info',
  'detach-user',
  'openapi.json',
];
const IDS = [
  '1',
  '2',
  '3',
  '4',
  '999999',
  '9223372036854775807',
  '9223372036854775808',
  '18446744073709551616',
  '1'.repeat(60),
  '0',
  '-1',
  '1.5',
  '01',
  '1e3',
  '0x1',
];
const RAW_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%00',
  '%2F',
  '%2f',
  '%5C',
  '%zz',
  '%',
  '%E9',
  '%C0%AF',
  '%FF%FE',
  '%20',
  '+',
  '%25',
  '%3F',
  '%23',
  '',
  ';',
  ';x=1',
  '*',
  '1%00',
  '1%2F2',
  'customers%2F1',
];

const caseVariant = (text: string) =>
  fc.constantFrom(text, text.toUpperCase(), text[0]!.toUpperCase() + text.slice(1));

const segment: fc.Arbitrary<Segment> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(...LITERALS)
      .chain(caseVariant)
      .map((text) => ({ text, raw: false })),
  },
  { weight: 4, arbitrary: fc.constantFrom(...IDS).map((text) => ({ text, raw: false })) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((text) => ({ text, raw: true })) },
  { weight: 1, arbitrary: hostileString.map((text) => ({ text, raw: false })) },
);

/** Mostly plausible route shapes (`customers/…`), sometimes anything. */
const segments: fc.Arbitrary<Segment[]> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(segment, { maxLength: 4 })
      .map((rest) => [{ text: 'customers', raw: false }, ...rest]),
  },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 5 }) },
);

const PREFIXES = [
  '/wp-json/fluent-cart/v2',
  '/wp-json/fluent-cart/v1',
  '/wp-json/fluent-cart/V2',
  '/wp-json/fluent-cart/v3',
  '/wp-json/fluent-cart/v22',
  '/wp-json//fluent-cart/v2',
  '/wp-json/fluent-cart',
  '/wp-json',
  '/wp-json/wp/v2',
  'rest_route',
  'rest_route_index',
];

const QUERY_KEYS = [
  'search',
  'order_by',
  'sort_by',
  'order_type',
  'sort_type',
  'page',
  'per_page',
  'filters',
  'filters[status]',
  'filters[date_from]',
  'filters[date_to]',
  'filters[total_spent_min]',
  'filters[total_spent_max]',
  'filters[nope]',
  'filters[status][]',
  'filters[][status]',
  'filters[status][x]',
  'filters[[status]]',
  'filters[status',
  'type',
  'address_id',
  'id',
  'address[id]',
  'address[id][]',
  'user_id',
  'customer_ids',
  'customer_ids[]',
  'customer_ids[0]',
  'action',
  'data[status]',
  'data[format]',
  'new_status',
  '_method',
  'rest_route',
  'email',
  'first_name',
  'additional_info',
  '__proto__[x]',
  'constructor[prototype][x]',
  'a[b][c][d][e][f]',
];

const FILTER_KEYS = ['status', 'date_from', 'date_to', 'total_spent_min', 'total_spent_max', 'nope'];
const filterValue = fc.oneof(
  hostileString,
  fc.constantFrom(...HUGE_NUMBERS),
  fc.constantFrom('active', 'INACTIVE', '2024-01-01', '2024-02-30', '2024-01-01T10:00:00+25:00', null, true),
  fc.array(fc.constantFrom('active', 1), { maxLength: 2 }),
);
const jsonFilters: fc.Arbitrary<string> = fc.oneof(
  fc.dictionary(fc.constantFrom(...FILTER_KEYS), filterValue, { maxKeys: 3 }).map((o) => JSON.stringify(o)),
  fc.constantFrom('{"status":', '[]', '"active"', 'null', '{"status":{"$ne":1}}', '{"__proto__":{"x":1}}'),
);

const queryValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(...HUGE_NUMBER_TEXTS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...IDS, 'active', 'asc', 'DESC', 'email', 'billing', 'delete', '1,2,x'),
  },
  { weight: 1, arbitrary: jsonFilters },
);

const queryPair = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      key: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...QUERY_KEYS) },
        { weight: 1, arbitrary: hostileString },
      ),
      value: queryValue,
      raw: fc.constant(false),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      key: fc.constantFrom('search', 'page', 'filters[status]', 'order_by', 'x'),
      value: fc.constantFrom('%00', '%', '%zz', '%E9', '+', '%2B', 'a%00b', '%C0%80', '&&', '=='),
      raw: fc.constant(true),
    }),
  },
);

const BODY_KEYS = [
  'email',
  'first_name',
  'last_name',
  'phone',
  'status',
  'additional_info',
  'type',
  'address_1',
  'address_2',
  'city',
  'state',
  'postcode',
  'country',
  'company',
  'is_primary',
  'address_id',
  'id',
  'address',
  'user_id',
  'action',
  'customer_ids',
  'data',
  'new_status',
  'page',
  'per_page',
  'search',
  'filters',
  'order_by',
  'order_type',
  '__proto__',
  'constructor',
];

const bodyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileJson },
  { weight: 2, arbitrary: fc.constantFrom(...HUGE_NUMBERS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'john.doe@example.com',
      'new@example.com',
      'billing',
      'US',
      'active',
      'delete',
      'update_status',
      'export',
      'change_customer_status',
      1,
      2,
      '2',
      true,
      null,
      { id: 1 },
      { status: 'inactive', format: 'csv' },
      [1, 2, 3],
      ['1', 'x'],
      [],
    ),
  },
  { weight: 1, arbitrary: longString },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...HUGE_NUMBERS), { maxLength: 4 }) },
);

const jsonObjectBody = fc.dictionary(fc.constantFrom(...BODY_KEYS), bodyValue, { maxKeys: 6 });

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/merge-patch+json',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
  '',
  ';;;',
];

/** Texts whose JSON numbers no JSON.stringify writes: huge, infinite, more precise than a double. */
const numberTextBody = fc
  .tuple(
    fc.constantFrom('page', 'per_page', 'user_id', 'customer_ids', 'address_id', 'is_primary', 'phone'),
    fc.constantFrom(
      '1e309',
      '-1e309',
      '18446744073709551616',
      '9223372036854775808',
      '1e308',
      '2.5',
      '-0',
      '[9223372036854775808, 1e400]',
      '123456789012345678901234567890',
    ),
  )
  .map(([key, number]) => `{"${key}": ${number}}`);

const rawTextBody = fc.oneof(
  fc.constantFrom(
    '{"email": ',
    '[1, 2]',
    'null',
    '"text"',
    '42',
    'true',
    '{}',
    '\ufeff{"first_name": "x"}',
    '{"a":1,"a":2}',
    '{"first_name": "\\u0000"}',
    '{"first_name": "\\ud800"}',
    '{"__proto__": {"isAdmin": true}}',
    "{'single': 'quotes'}",
    '{"a": NaN}',
    '{"a": undefined}',
    '   ',
    '\u0000',
  ),
  numberTextBody,
  fc
    .tuple(
      fc.constantFrom('additional_info', 'filters', 'data', 'address', 'customer_ids', 'email'),
      fc.constantFrom<'object' | 'array'>('object', 'array'),
      fc.constantFrom(100, 1000, 5000),
    )
    .map(([key, kind, depth]) => `{"${key}": ${deepJsonText(depth, kind)}}`),
  fc.constantFrom(1000, 5000).map((depth) => deepJsonText(depth, 'object')),
  hostileString,
);

const body: fc.Arbitrary<Body> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('json' as const),
      value: fc.oneof({ weight: 6, arbitrary: jsonObjectBody }, { weight: 1, arbitrary: hostileJson }),
      contentType: fc.option(fc.constantFrom('application/json', 'application/json; charset=utf-8'), {
        nil: null,
      }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('text' as const),
      text: rawTextBody,
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: null }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('form' as const),
      pairs: fc.array(
        fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS, ...BODY_KEYS), hostileString), queryValue),
        { maxLength: 5 },
      ),
      contentType: fc.constant('application/x-www-form-urlencoded'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      // invalid UTF-8, overlong encodings, a lone surrogate encoded as UTF-8
      bytes: fc.constantFrom(
        [0xff, 0xfe],
        [0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d],
        [0xed, 0xa0, 0x80],
        [0x00],
      ),
      contentType: fc.option(fc.constantFrom('application/json', 'application/x-www-form-urlencoded'), {
        nil: null,
      }),
    }),
  },
);

const randomRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  prefix: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(PREFIXES[0]!, PREFIXES[1]!, 'rest_route') },
    { weight: 2, arbitrary: fc.constantFrom(...PREFIXES) },
  ),
  segments,
  trailingSlash: fc.boolean(),
  method: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE') },
    { weight: 1, arbitrary: fc.constantFrom('PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'get', 'Delete') },
  ),
  override: fc.option(
    fc.record({
      via: fc.constantFrom<'header' | 'query'>('header', 'query'),
      value: fc.oneof(
        fc.constantFrom('PUT', 'DELETE', 'GET', 'PATCH', 'put', ' delete ', 'POST', 'HEAD', 'FOO', ''),
        hostileString,
      ),
    }),
    { nil: null, freq: 3 },
  ),
  query: fc.array(queryPair, { maxLength: 6 }),
  body: fc.option(body, { nil: null, freq: 3 }),
  auth: fc.oneof(
    { weight: 20, arbitrary: fc.constant('admin' as const) },
    { weight: 1, arbitrary: fc.constantFrom('none' as const, 'malformed' as const) },
  ),
});

// Route-shaped requests: a documented path and method (ids mostly well-formed), with values
// for that route's parameters that are mostly of the right type but hostile in content, so
// that most requests get past routing and conversion into the domain code and the database.

const seg = (text: string): Segment => ({ text, raw: false });
const ID = Symbol('id');
type Template = { method: string; path: (string | typeof ID)[]; fields: string[]; listQuery?: boolean };
const TEMPLATES: Template[] = [
  { method: 'GET', path: ['customers'], fields: [], listQuery: true },
  {
    method: 'POST',
    path: ['customers'],
    fields: ['email', 'first_name', 'last_name', 'phone', 'status', 'additional_info'],
  },
  { method: 'GET', path: ['customers', ID], fields: [] },
  {
    method: 'PUT',
    path: ['customers', ID],
    fields: ['email', 'first_name', 'last_name', 'phone', 'status', 'additional_info'],
  },
  { method: 'PUT', path: ['customers', ID, 'additional-info'], fields: ['info'] },
  { method: 'GET', path: ['customers', 'get-stats', ID], fields: [] },
  { method: 'GET', path: ['customers', ID, 'orders'], fields: ['page', 'per_page'] },
  { method: 'GET', path: ['customers', ID, 'address'], fields: ['type'] },
  {
    method: 'POST',
    path: ['customers', ID, 'address'],
    fields: [
      'type',
      'first_name',
      'last_name',
      'company',
      'address_1',
      'address_2',
      'city',
      'state',
      'postcode',
      'country',
      'phone',
      'is_primary',
    ],
  },
  {
    method: 'PUT',
    path: ['customers', ID, 'address'],
    fields: [
      'address_id',
      'id',
      'address',
      'type',
      'address_1',
      'city',
      'country',
      'postcode',
      'phone',
      'is_primary',
      'company',
    ],
  },
  { method: 'DELETE', path: ['customers', ID, 'address'], fields: ['address_id', 'id', 'address'] },
  {
    method: 'POST',
    path: ['customers', ID, 'address', 'make-primary'],
    fields: ['address_id', 'id', 'address'],
  },
  { method: 'GET', path: ['customers', 'attachable-user'], fields: ['search', 'page', 'per_page'] },
  { method: 'POST', path: ['customers', ID, 'attachable-user'], fields: ['user_id'] },
  { method: 'POST', path: ['customers', ID, 'detach-user'], fields: [] },
  {
    method: 'POST',
    path: ['customers', 'do-bulk-action'],
    fields: ['action', 'customer_ids', 'data', 'new_status'],
  },
];

const maybeHostile = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 3, arbitrary: good },
    { weight: 2, arbitrary: hostileString },
    { weight: 1, arbitrary: bodyValue },
  );
const text = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom('Ann', 'Main St 1') },
  { weight: 1, arbitrary: longString },
);
const idValue = fc.oneof(
  fc.constantFrom<unknown>(
    1,
    2,
    3,
    '1',
    '2',
    99999,
    2 ** 53,
    '9223372036854775807',
    '9223372036854775808',
    '18446744073709551616',
  ),
  fc.constantFrom(...HUGE_NUMBERS),
  hostileString,
);
const FIELD: Record<string, fc.Arbitrary<unknown>> = {
  email: maybeHostile(
    fc.oneof(
      fc.emailAddress(),
      fc.constantFrom(
        'john.doe@example.com',
        "o'brien%_\\@ex-ample.com",
        '"quoted"@example.com',
        'ü@exämple.de',
      ),
    ),
  ),
  first_name: text,
  last_name: text,
  company: text,
  address_1: text,
  address_2: text,
  city: text,
  state: text,
  postcode: maybeHostile(fc.constantFrom('10001', 'SW1A 1AA')),
  phone: maybeHostile(fc.constantFrom('+1 (555) 123-4567', '555.1234', '0')),
  status: maybeHostile(fc.constantFrom('active', 'inactive', 'ACTIVE', ' Inactive ')),
  additional_info: fc.oneof(fc.dictionary(hostileString, hostileJson, { maxKeys: 4 }), bodyValue),
  type: maybeHostile(fc.constantFrom('billing', 'shipping', 'BILLING')),
  country: maybeHostile(fc.constantFrom('US', 'de', 'GB', 'XX', 'UK')),
  is_primary: maybeHostile(fc.constantFrom<unknown>(true, false, '1', '0', 'true', 1, 0)),
  address_id: idValue,
  id: idValue,
  address: fc.oneof(fc.record({ id: idValue }), bodyValue),
  user_id: idValue,
  action: maybeHostile(
    fc.constantFrom(
      'update_status',
      'delete',
      'export',
      'change_customer_status',
      'delete_customers',
      'EXPORT',
    ),
  ),
  customer_ids: fc.oneof(
    fc.array(idValue, { maxLength: 5 }),
    fc.constantFrom<unknown>(
      '1,2,3',
      '1,x',
      [],
      '',
      Array.from({ length: 1001 }, (_, i) => i + 1),
    ),
    bodyValue,
  ),
  data: fc.oneof(
    fc.record(
      {
        status: maybeHostile(fc.constantFrom('active', 'inactive')),
        format: maybeHostile(fc.constantFrom('csv', 'json')),
      },
      { requiredKeys: [] },
    ),
    bodyValue,
  ),
  new_status: maybeHostile(fc.constantFrom('active', 'inactive')),
  page: maybeHostile(fc.constantFrom<unknown>(1, 2, '1', 0, -1, 2 ** 31, '99999999999999999999')),
  per_page: maybeHostile(fc.constantFrom<unknown>(1, 100, 101, '5', 0, 2 ** 53)),
  search: hostileString,
  /** The whole body of PUT …/additional-info. */
  info: fc.oneof(
    { weight: 3, arbitrary: fc.dictionary(hostileString, hostileJson, { maxKeys: 4 }) },
    { weight: 1, arbitrary: bodyValue },
  ),
};

/** A value as query-string text (objects as JSON; fast-check may build null-prototype objects). */
const asQueryText = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

/** List parameters of GET /customers, as query pairs (bracket or JSON filters included). */
const listQuery = fc.array(
  fc.oneof(
    fc.record({ key: fc.constantFrom('search'), value: hostileString, raw: fc.constant(false) }),
    fc.record({
      key: fc.constantFrom('order_by', 'sort_by'),
      value: maybeHostile(
        fc.constantFrom('id', 'email', 'first_name', 'total_spent', 'created_at', 'first-name'),
      ).map(asQueryText),
      raw: fc.constant(false),
    }),
    fc.record({
      key: fc.constantFrom('order_type', 'sort_type'),
      value: maybeHostile(fc.constantFrom('asc', 'DESC', 'Asc')).map(asQueryText),
      raw: fc.constant(false),
    }),
    fc.record({
      key: fc.constantFrom('page', 'per_page'),
      value: fc.oneof(fc.constantFrom(...HUGE_NUMBER_TEXTS), hostileString),
      raw: fc.constant(false),
    }),
    fc.record({
      key: fc.constantFrom(...QUERY_KEYS.filter((k) => k.startsWith('filters'))),
      value: fc.oneof(jsonFilters, hostileString, fc.constantFrom('active', '2024-01-01', '100')),
      raw: fc.constant(false),
    }),
    queryPair,
  ),
  { maxLength: 6 },
);

const routeRequest: fc.Arbitrary<FuzzRequest> = fc.constantFrom(...TEMPLATES).chain((template) =>
  fc
    .record({
      id: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('1', '2', '3', '4') },
        { weight: 2, arbitrary: fc.constantFrom(...IDS) },
      ),
      prefix: fc.constantFrom(PREFIXES[0]!, PREFIXES[1]!, 'rest_route'),
      trailingSlash: fc.boolean(),
      /** Where the field values go: the body as JSON, as a form, or the query string. */
      placement: fc.constantFrom<'json' | 'form' | 'query'>('json', 'json', 'json', 'form', 'query'),
      /** Some of the route's fields, each from its own generator. */
      values: fc.record(Object.fromEntries(template.fields.map((f) => [f, FIELD[f]!])), { requiredKeys: [] }),
      override: fc.option(fc.constantFrom<'header' | 'query'>('header', 'query'), { nil: null, freq: 4 }),
      extraQuery: template.listQuery ? listQuery : fc.constant([]),
      /** Additional info nested this deep (past the domain's limit, past the router's). */
      deep: fc.option(fc.constantFrom(150, 1000, 5000), { nil: null, freq: 10 }),
    })
    .map(({ id, prefix, trailingSlash, placement, values, override, extraQuery, deep }): FuzzRequest => {
      const segments = template.path.map((p) => seg(p === ID ? id : p));
      const asText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
      const query = [...extraQuery];
      const overridden = override !== null && template.method !== 'GET' && template.method !== 'POST';
      const method = overridden ? 'POST' : template.method;
      let body: Body | null = null;
      if (template.fields[0] === 'info') {
        // the whole body is the additional info
        body =
          deep !== null
            ? {
                kind: 'text',
                text: `{"k": ${deepJsonText(deep, 'object')}}`,
                contentType: 'application/json',
              }
            : { kind: 'json', value: values.info, contentType: 'application/json' };
      } else if (placement === 'query' || method === 'GET') {
        for (const [key, value] of Object.entries(values))
          query.push({ key, value: asText(value), raw: false });
      } else if (placement === 'form') {
        body = {
          kind: 'form',
          pairs: Object.entries(values).map(([k, v]) => [k, asText(v)]),
          contentType: 'application/x-www-form-urlencoded',
        };
      } else if (deep !== null && 'additional_info' in values) {
        const json = JSON.stringify({ ...values, additional_info: '@@DEEP@@' });
        body = {
          kind: 'text',
          text: json.replace('"@@DEEP@@"', deepJsonText(deep, 'array')),
          contentType: null,
        };
      } else {
        body = { kind: 'json', value: values, contentType: 'application/json' };
      }
      return {
        prefix,
        segments,
        trailingSlash,
        method,
        override: overridden ? { via: override!, value: template.method } : null,
        query,
        body,
        auth: 'admin',
      };
    }),
);

const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 3, arbitrary: routeRequest },
  { weight: 1, arbitrary: randomRequest },
);

/** A huge body, over the 1 MiB limit, as a request of its own (rare in the mix above). */
const oversizedRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  prefix: fc.constant(PREFIXES[0]!),
  segments: fc.constantFrom(
    [{ text: 'customers', raw: false }],
    [
      { text: 'customers', raw: false },
      { text: '1', raw: false },
      { text: 'additional-info', raw: false },
    ],
  ),
  trailingSlash: fc.constant(false),
  // POST /customers, or PUT …/additional-info (the methods of the chosen routes)
  method: fc.constant('ROUTE'),
  override: fc.constant(null),
  query: fc.constant([]),
  body: fc.constantFrom<Body>(
    { kind: 'json', value: { first_name: 'x'.repeat(1024 * 1024) }, contentType: 'application/json' },
    { kind: 'text', text: `{"a": "${'é'.repeat(600_000)}"}`, contentType: null },
  ),
  auth: fc.constant('admin' as const),
});

function pathOf(req: FuzzRequest): string {
  const encoded = req.segments.map((s) => (s.raw ? s.text : encodeComponent(s.text)));
  const tail = `/${encoded.join('/')}${req.trailingSlash ? '/' : ''}`;
  const query = req.query.map(
    (q) => `${encodeComponent(q.key)}=${q.raw ? q.value : encodeComponent(q.value)}`,
  );
  if (req.override?.via === 'query') query.push(`_method=${encodeComponent(req.override.value)}`);
  if (req.prefix === 'rest_route' || req.prefix === 'rest_route_index') {
    const base = req.prefix === 'rest_route' ? '/' : '/index.php';
    // the namespace path itself, percent-encoded as one query value (and its raw pieces too)
    const route = `/fluent-cart/v2${req.segments.map((s) => `/${s.text}`).join('')}${req.trailingSlash ? '/' : ''}`;
    return `${base}?rest_route=${encodeComponent(route)}${query.map((q) => `&${q}`).join('')}`;
  }
  return `${req.prefix}${tail}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

interface Sent {
  path: string;
  method: string;
  status: number;
  headers: Headers;
  text: string;
}

async function send(req: FuzzRequest): Promise<Sent> {
  if (req.method === 'ROUTE') req = { ...req, method: req.segments.length === 1 ? 'POST' : 'PUT' };
  const path = pathOf(req);
  const headers: Record<string, string> = {};
  if (req.auth === 'admin') headers.authorization = gw.adminAuth;
  if (req.auth === 'malformed') headers.authorization = 'Basic %%%not-base64';
  if (req.override?.via === 'header')
    headers['x-http-method-override'] = req.override.value.replace(/[^\t\x20-\x7e]/g, '');
  let payload: string | Uint8Array | undefined;
  const b = req.body;
  const bodyAllowed = !['GET', 'HEAD'].includes(req.method.toUpperCase());
  if (b && bodyAllowed) {
    if (b.kind === 'json') payload = JSON.stringify(b.value);
    else if (b.kind === 'text') payload = b.text;
    else if (b.kind === 'bytes') payload = new Uint8Array(b.bytes);
    else payload = b.pairs.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&');
    // A string body gets text/plain from fetch unless a type is set; bytes get none.
    if (b.contentType !== null) headers['content-type'] = b.contentType;
    else if (typeof payload === 'string') payload = new TextEncoder().encode(payload);
  }
  const response = await gw.gateway.fetch(`http://gateway.test${path}`, {
    method: req.method,
    headers,
    body: payload as BodyInit | undefined,
  });
  return {
    path,
    method: req.method,
    status: response.status,
    headers: response.headers,
    text: await response.text(),
  };
}

/** Whether the (normalized) URL reaches the REST router: `/wp-json…` or `?rest_route=`. */
function isRestUrl(path: string): boolean {
  const url = new URL(`http://gateway.test${path}`);
  if (url.pathname === '/wp-json' || url.pathname.startsWith('/wp-json/')) return true;
  return (url.pathname === '/' || url.pathname === '/index.php') && url.searchParams.has('rest_route');
}

function check(req: FuzzRequest, res: Sent): void {
  const context = `${res.method} ${brief(res.path, 300)} body=${brief(req.body, 300)} → ${res.status} ${brief(res.text, 400)}`;
  expect(res.status, context).toBeLessThan(500);
  // Stack frames and file paths never appear, whatever the route.
  expect(leakIn(res.text.slice(0, 200_000)), context).toBeNull();
  if (!isRestUrl(res.path)) return;
  if (res.method.toUpperCase() === 'HEAD') return; // no body to read
  if (res.method.toUpperCase() === 'OPTIONS' && res.status === 204) return; // CORS preflight
  expect(res.headers.get('content-type'), context).toBe('application/json; charset=utf-8');
  let parsed: any;
  expect(() => {
    parsed = JSON.parse(res.text);
  }, context).not.toThrow();
  if (res.status < 300) {
    expect([200, 201], context).toContain(res.status);
    expect(parsed?.success, context).toBe(true);
    return;
  }
  expect(parsed?.success, context).toBe(false);
  const error = parsed?.error;
  expect(REST_ERROR_CODES.has(error?.code), context).toBe(true);
  expect(res.status, context).toBe(REST_STATUS[error.code]);
  expect(typeof error.message, context).toBe('string');
  if (error.details !== undefined) {
    expect(Array.isArray(error.details) && error.details.length > 0, context).toBe(true);
    for (const d of error.details) {
      expect(typeof d.field === 'string' && typeof d.message === 'string', context).toBe(true);
    }
  }
  if (error.code === 'method_not_allowed') expect(res.headers.get('allow'), context).toMatch(/^[A-Z, ]+$/);
  if (error.code === 'unauthenticated')
    expect(res.headers.get('www-authenticate'), context).toMatch(/^Basic realm=/);
  expect(leakIn(JSON.stringify(error)), context).toBeNull();
}

let sent = 0;
async function sendAndCheck(req: FuzzRequest): Promise<void> {
  // Successful random writes (a bulk delete, say) wear the fixture down: restore it now and then.
  if (++sent % 40 === 0) await resetFixture(gw.db);
  const res = await send(req);
  tally(
    'rest-requests',
    `${res.status} ${res.status >= 300 ? (/"code":"(\w+)"/.exec(res.text)?.[1] ?? '') : ''}`.trim(),
  );
  check(req, res);
}

/** Registers the suite; `gateway` is the file's shared test gateway. */
export function restRequestsSuite(gateway: () => TestGateway): void {
  describe('REST surface under hostile input', () => {
    beforeAll(async () => {
      gw = gateway();
      await setup();
    });
    const runs = fuzzRuns(150);
    it(
      'rest-requests: random paths, methods, query strings and bodies get documented answers',
      async () => {
        await fuzzAssert('rest-requests', fuzzRequest, sendAndCheck, runs, 40);
      },
      fuzzTimeout(runs, 40),
    );

    const bigRuns = Math.max(4, Math.round(runs / 30));
    it(
      'rest-oversized: bodies over 1 MiB are 413 payload_too_large',
      async () => {
        await fuzzAssert(
          'rest-oversized',
          oversizedRequest,
          async (req) => {
            const res = await send(req);
            check(req, res);
            expect(res.status).toBe(413);
          },
          bigRuns,
          200,
        );
      },
      fuzzTimeout(bigRuns, 200),
    );
  });
}

/**
 * Property: random GraphQL requests built from the live schema — any root field, arguments
 * valid or of the wrong type (as literals or as variables with wrong types, huge numbers, NUL
 * bytes, crafted cursors), nested selections up to and past the depth limit, alias storms,
 * batches, truncated and garbage documents — are answered with HTTP 200 or 400, and every
 * error carries an `extensions.code` of the contract's list: never INTERNAL_SERVER_ERROR or
 * INTERNAL_ERROR, never a stack trace, SQL or a file path; no userError is INTERNAL_ERROR.
 */
import fc from 'fast-check';
import {
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { resetFixture, userWithRole } from '../rest/fixture.js';
import type { TestGateway } from '../support/gateway.js';
import {
  brief,
  fuzzAssert,
  fuzzRuns,
  fuzzTimeout,
  GRAPHQL_ERROR_CODES,
  HUGE_NUMBERS,
  hostileJson,
  hostileString,
  leakIn,
  tally,
} from './arbitraries.js';

let gw: TestGateway;
let viewerAuth = '';

async function reset(): Promise<void> {
  await resetFixture(gw.db);
  viewerAuth = await userWithRole(gw.db, 'fuzz-viewer', 'VIEWER');
}

/** The data this suite needs, on the shared gateway's database. */
async function setup(): Promise<void> {
  await reset();
}

// ---------------------------------------------------------------------------------------------
// Building documents from the schema
// ---------------------------------------------------------------------------------------------

type G = fc.GeneratorValue;

/** true with probability p; shrinks towards false (smaller documents). */
const chance = (g: G, p: number) => g(fc.integer, { min: 0, max: 99 }) >= 100 - Math.round(p * 100);
/** An item by index (schema objects are circular: fast-check must not compare them deeply). */
const pick = <T>(g: G, items: readonly T[]): T => items[g(fc.integer, { min: 0, max: items.length - 1 })]!;
const int = (g: G, min: number, max: number) => g(fc.integer, { min, max });

/** A value both as a GraphQL literal and as variable JSON (`undefined` JSON: cannot be sent). */
interface Val {
  lit: string;
  json: unknown;
}

const SORT_KEYS = [
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
const cursorOf = (key: string, value: unknown, id: string) =>
  Buffer.from(JSON.stringify([key, value, id])).toString('base64url');

/** Sort values of each kind of key, edges included (NUL, out of range, instants PostgreSQL cannot take). */
const TEXTS = ['a', "o'brien%_", 'x\u0000y', '\ud800', '', 'Ω'];
const INSTANTS = [
  '2024-01-01T10:00:00.000Z',
  '-100000-01-01T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '0000-01-01T00:00:00.000Z',
  '-004713-11-24T00:00:00.000Z',
  'Tue, 01 Jan 2024 00:00:00 GMT',
  '2024',
];
const CURSOR_VALUES: Record<string, unknown[]> = {
  ID: [null, 1],
  EMAIL: TEXTS,
  FIRST_NAME: TEXTS,
  LAST_NAME: TEXTS,
  STATUS: ['active', 'inactive', 'ACTIVE'],
  CREATED_AT: INSTANTS,
  UPDATED_AT: INSTANTS,
  TOTAL_SPENT: ['9999999999999999999', '-9999999999999999999', '9223372036854775807', '1', 1],
  ORDER_COUNT: [2 ** 40, 2 ** 31, 2147483647, -1, 0, 1.5, '1'],
};

/** The sort key of the last cursor generated: the operation's orderBy mostly follows it. */
let cursorKey: string | null = null;

/** Cursors: plausible ones, ones with values the database cannot take, garbage. */
function cursor(g: G): string {
  const key = pick(g, SORT_KEYS);
  cursorKey = key;
  const value = chance(g, 0.8) ? pick(g, CURSOR_VALUES[key]!) : pick(g, Object.values(CURSOR_VALUES).flat());
  const id = pick(g, ['1', '2', '3', '9223372036854775807', '9223372036854775808', '0', '-1', 'x']);
  return pick(g, [
    cursorOf(key, value, id),
    cursorOf(key, value, id),
    cursorOf(key, value, id),
    cursorOf(key, value, id),
    Buffer.from(JSON.stringify([key, value])).toString('base64url'),
    Buffer.from('not json').toString('base64url'),
    '!!!',
    '',
    'W10',
  ]);
}

function stringFor(g: G, name: string): string {
  switch (name) {
    case 'email':
      return (
        pick(g, ['new.fuzz@example.com', 'john.doe@example.com', 'bad', "o'b%_@ex.com", 'a\u0000@b.co']) +
        (chance(g, 0.5) ? '' : `${int(g, 0, 1e6)}`)
      );
    case 'after':
    case 'before':
      return cursor(g);
    case 'country':
      return pick(g, ['US', 'de', 'XX', '']);
    case 'dateFrom':
    case 'dateTo':
      return pick(g, [
        '2024-01-01',
        '2024-02-30',
        '2024-01-01T10:00:00+01:00',
        '9999-12-31T23:59:59Z',
        '0001-01-01',
        'x',
      ]);
    default:
      return g(() => hostileString);
  }
}

/** A JS string as a GraphQL string literal (JSON escapes are GraphQL escapes). */
const stringLit = (s: string) => JSON.stringify(s);

/** A JSON value as a GraphQL literal; keys that are not GraphQL names are renamed. */
function jsonLit(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return stringLit(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(jsonLit).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v], i) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(k) ? k : `k${i}`}: ${jsonLit(v)}`,
  );
  return `{${entries.join(', ')}}`;
}

function validValue(g: G, type: GraphQLInputType, name: string, depth: number): Val {
  if (isNonNullType(type)) return validValue(g, type.ofType, name, depth);
  if (isListType(type)) {
    const items = Array.from({ length: int(g, 0, 3) }, () => validValue(g, type.ofType, name, depth + 1));
    return { lit: `[${items.map((i) => i.lit).join(', ')}]`, json: items.map((i) => i.json) };
  }
  if (isEnumType(type)) {
    const v =
      type.name === 'CustomerOrderBy' && cursorKey !== null && chance(g, 0.8)
        ? cursorKey
        : pick(g, type.getValues()).name;
    return { lit: v, json: v };
  }
  if (isInputObjectType(type)) {
    const parts: [string, Val][] = [];
    for (const field of Object.values(type.getFields())) {
      const required = isNonNullType(field.type) && field.defaultValue === undefined;
      if (required || (depth < 4 && chance(g, 0.4)))
        parts.push([field.name, validValue(g, field.type, field.name, depth + 1)]);
    }
    return {
      lit: `{${parts.map(([k, v]) => `${k}: ${v.lit}`).join(', ')}}`,
      json: Object.fromEntries(parts.map(([k, v]) => [k, v.json])),
    };
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID': {
        const id = pick(g, ['1', '2', '3', '4', '99999', '9223372036854775807', '9223372036854775808']);
        return chance(g, 0.2) && id.length < 16
          ? { lit: id, json: Number(id) }
          : { lit: stringLit(id), json: id };
      }
      case 'Int': {
        const n = /perPage|first|last/.test(name)
          ? pick(g, [1, 3, 10, 100, 150])
          : name === 'page'
            ? pick(g, [1, 2, 3, 2147483647])
            : int(g, 0, 5);
        return { lit: String(n), json: n };
      }
      case 'SafeInt': {
        const n = pick(g, [0, 1000, 2500, 9007199254740991, -9007199254740991]);
        return { lit: String(n), json: n };
      }
      case 'Boolean': {
        const b = pick(g, [true, false]);
        return { lit: String(b), json: b };
      }
      case 'JSONObject': {
        const o = g(() => fc.dictionary(hostileString, hostileJson, { maxKeys: 3 }));
        return { lit: jsonLit(o), json: o };
      }
      default: {
        const s = stringFor(g, name);
        return { lit: stringLit(s), json: s };
      }
    }
  }
  return { lit: 'null', json: null };
}

/** A value of the wrong kind for `type` (wrong scalar, out of range, null for non-null, …). */
function invalidValue(g: G, type: GraphQLInputType, name: string): Val {
  const named = getNamedType(type);
  const choices: Val[] = [
    { lit: '"not a number"', json: 'not a number' },
    { lit: '1.5', json: 1.5 },
    { lit: '2147483648', json: 2 ** 31 },
    { lit: '1e308', json: 1e308 },
    { lit: '18446744073709551616', json: 2 ** 64 },
    { lit: '-9223372036854775809', json: -(2 ** 63) },
    { lit: 'true', json: true },
    { lit: '{a: 1}', json: { a: 1 } },
    { lit: '[[1]]', json: [[1]] },
    { lit: 'ACTIVE', json: 'ACTIVE' },
    { lit: '"ACTIVE"', json: 'ACTIVE' },
    { lit: 'NOT_A_VALUE', json: 'NOT_A_VALUE' },
    { lit: stringLit('a\u0000b'), json: 'a\u0000b' },
    { lit: '$undeclared', json: undefined },
    { lit: '"9007199254740993"', json: '9007199254740993' },
    { lit: String(pick(g, HUGE_NUMBERS)), json: pick(g, HUGE_NUMBERS) },
  ];
  if (isNonNullType(type)) choices.push({ lit: 'null', json: null }, { lit: 'null', json: null });
  if (isInputObjectType(named)) {
    choices.push(
      { lit: '{nope: 1}', json: { nope: 1 } },
      { lit: '{}', json: {} },
      { lit: '"{}"', json: '{}' },
      // one bad field inside an otherwise valid object
      (() => {
        const fields = Object.values(named.getFields());
        const bad = pick(g, fields);
        const good = validValue(g, named, name, 1).json as Record<string, unknown>;
        const wrong = invalidValue(g, bad.type, bad.name);
        const json = { ...good, [bad.name]: wrong.json };
        const lit = `{${Object.entries(good)
          .filter(([k]) => k !== bad.name)
          .map(
            ([k, v]) =>
              `${k}: ${isEnumType(getNamedType(fields.find((f) => f.name === k)!.type)) && typeof v === 'string' ? v : jsonLit(v)}`,
          )
          .concat(`${bad.name}: ${wrong.lit}`)
          .join(', ')}}`;
        return { lit, json };
      })(),
    );
  }
  return pick(g, choices);
}

interface Doc {
  variables: Map<string, { type: string; value: unknown }>;
  aliasCount: number;
  /** Hostile documents break the rules (wrong types, unknown names); the others only hold hostile values. */
  hostile: boolean;
}

/** A rule broken with probability p, in hostile documents only. */
const breaks = (g: G, doc: Doc, p: number) => doc.hostile && chance(g, p);

/** The `(name: value, …)` of a field: some omitted, some invalid, some through variables. */
function argumentsOf(g: G, field: GraphQLField<unknown, unknown>, doc: Doc): string {
  const parts: string[] = [];
  for (const arg of field.args) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (!required && !chance(g, 0.5)) continue;
    if (required && breaks(g, doc, 0.03)) continue; // a missing required argument
    const invalid = breaks(g, doc, 0.15);
    const value = invalid ? invalidValue(g, arg.type, arg.name) : validValue(g, arg.type, arg.name, 0);
    if (chance(g, 0.35) && value.json !== undefined) {
      const variable = `v${doc.variables.size}`;
      // the declared type: the argument's own, sometimes a wrong or unknown one
      const declared = breaks(g, doc, 0.06)
        ? pick(g, ['String', 'Int!', '[ID!]', 'Nope', 'CustomerFilters'])
        : String(arg.type);
      const jsonValue = breaks(g, doc, 0.1) ? invalidValue(g, arg.type, arg.name).json : value.json;
      if (!breaks(g, doc, 0.04)) doc.variables.set(variable, { type: declared, value: jsonValue });
      else doc.variables.set(variable, { type: declared, value: undefined }); // declared, not sent
      parts.push(`${arg.name}: $${variable}`);
    } else {
      parts.push(`${arg.name}: ${value.lit}`);
    }
  }
  if (breaks(g, doc, 0.03)) parts.push(`unknownArgument: ${pick(g, ['1', '"x"', 'null'])}`);
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

function selectionOf(g: G, type: GraphQLNamedType, depth: number, maxDepth: number, doc: Doc): string {
  if (!isObjectType(type)) return '';
  const fields = Object.values((type as GraphQLObjectType).getFields());
  const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)));
  const objects = fields.filter((f) => !isLeafType(getNamedType(f.type)));
  const chosen: string[] = [];
  const count = int(g, 1, 4);
  for (let i = 0; i < count; i++) {
    const goDeeper = depth < maxDepth && objects.length > 0 && chance(g, 0.6);
    const field = goDeeper ? pick(g, objects) : pick(g, leaves.length > 0 ? leaves : objects);
    const alias = chance(g, 0.1) && doc.aliasCount < 20 ? `a${doc.aliasCount++}: ` : '';
    const args = field.args.length > 0 ? argumentsOf(g, field, doc) : '';
    const sub = isLeafType(getNamedType(field.type))
      ? ''
      : ` { ${selectionOf(g, getNamedType(field.type), depth + 1, maxDepth, doc) || 'id'} }`;
    chosen.push(`${alias}${field.name}${args}${sub}`);
  }
  if (chance(g, 0.05)) chosen.push('__typename');
  if (breaks(g, doc, 0.03))
    chosen.push(pick(g, ['nope', 'password', 'id { x }', '__schema { types { name } }']));
  if (chance(g, 0.04)) chosen.push(`... on ${type.name} { ${leaves[0]?.name ?? '__typename'} }`);
  return [...new Set(chosen)].join(' ');
}

/** One operation: a document and its variables. */
function operation(g: G): { query: string; variables: Record<string, unknown>; operationName?: string } {
  const kind = pick(g, ['query', 'query', 'query', 'mutation', 'mutation']);
  const root = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  const doc: Doc = { variables: new Map(), aliasCount: 0, hostile: chance(g, 0.35) };
  cursorKey = null;
  const maxDepth = breaks(g, doc, 0.25) ? int(g, 9, 13) : int(g, 1, 4);
  const storm = breaks(g, doc, 0.15);
  const fields: string[] = [];
  const rootFields = Object.values(root.getFields());
  const count = storm ? int(g, 14, 17) : int(g, 1, 3);
  const stormField = pick(g, rootFields);
  for (let i = 0; i < count; i++) {
    const field = storm ? stormField : pick(g, rootFields);
    const alias = storm || (count > 1 && chance(g, 0.7)) ? `r${i}: ` : '';
    const args = argumentsOf(g, field, doc);
    const sub = isLeafType(getNamedType(field.type))
      ? ''
      : ` { ${selectionOf(g, getNamedType(field.type), 1, maxDepth, doc) || '__typename'} }`;
    fields.push(`${alias}${field.name}${args}${sub}`);
  }
  const declarations = [...doc.variables].map(([name, v]) => `$${name}: ${v.type}`);
  const name = chance(g, 0.3) ? 'Fuzz' : '';
  const header =
    declarations.length > 0 || name
      ? `${kind} ${name}${declarations.length > 0 ? `(${declarations.join(', ')})` : ''}`
      : kind;
  const query = `${header} { ${fields.join(' ')} }`;
  const variables = Object.fromEntries(
    [...doc.variables].filter(([, v]) => v.value !== undefined).map(([name, v]) => [name, v.value]),
  );
  return {
    query,
    variables,
    ...(name && chance(g, 0.1) ? { operationName: pick(g, ['Fuzz', 'Other', '']) } : {}),
  };
}

type Payload = { body: unknown } | { raw: string };

/** A whole request body: mostly one operation, sometimes garbage or a batch. */
function payload(g: G): Payload {
  const mode = pick(g, [...Array(14).fill('one'), 'truncated', 'garbage', 'shapes', 'batch']);
  switch (mode) {
    case 'truncated': {
      const op = operation(g);
      return { body: { query: op.query.slice(0, int(g, 0, op.query.length - 1)), variables: op.variables } };
    }
    case 'garbage':
      return {
        body: {
          query: pick(g, [
            g(() => hostileString),
            '{',
            '}',
            'query { customer(id: "1") { id } } query { viewer { id } }',
            'subscription { customers { id } }',
            'fragment F on Customer { id }',
            '{ customer(id: "1") { ...Missing } }',
            '{ customers { customers { id } } } # ✓',
            `{ customer(id: "1") { ${'addresses { customer { '.repeat(12)}id${' } }'.repeat(12)} } }`,
            `{ ${Array.from({ length: 2600 }, (_, i) => `f${i}: viewer { id }`).join(' ')} }`,
          ]),
        },
      };
    case 'shapes': {
      const op = operation(g);
      return pick<Payload>(g, [
        { body: { query: op.query, variables: pick(g, ['x', 5, [1], true]) } },
        { body: { query: pick(g, [5, null, true, { a: 1 }, ['{ viewer { id } }']]) } },
        { body: {} },
        { body: { variables: op.variables } },
        { body: { query: op.query, operationName: pick(g, [5, 'Nope', null]) } },
        {
          body: {
            query: op.query,
            extensions: pick(g, [5, 'x', { persistedQuery: { sha256Hash: 'x', version: 1 } }]),
          },
        },
        {
          raw: pick(g, [
            '{"query": ',
            'null',
            '[]',
            '"query"',
            '{"query": "{ viewer { id } }"',
            `{"query": ${JSON.stringify(op.query)}, "variables": {"a": 1e309}}`,
          ]),
        },
      ]);
    }
    case 'batch':
      return { body: Array.from({ length: int(g, 1, 12) }, () => operation(g)) };
    default:
      return { body: operation(g) };
  }
}

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

/** Every object with `userErrors` (and bulk `results[].error`) in the data. */
function userErrorCodes(data: unknown, out: string[] = []): string[] {
  if (Array.isArray(data)) for (const item of data) userErrorCodes(item, out);
  else if (data && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      if (key === 'userErrors' && Array.isArray(value)) out.push(...value.map((e) => String(e?.code)));
      else if (key === 'error' && value && typeof value === 'object' && 'code' in value)
        out.push(String(value.code));
      else userErrorCodes(value, out);
    }
  }
  return out;
}

function checkResult(result: any, context: string): void {
  expect(result && typeof result === 'object' && !Array.isArray(result), context).toBe(true);
  tally('graphql-documents', result.errors?.length ? String(result.errors[0]?.extensions?.code) : 'ok');
  if (result.errors?.some((e: { message?: string }) => /not a valid cursor/.test(String(e.message)))) {
    tally('graphql-documents', 'invalid cursor');
  }
  for (const error of result.errors ?? []) {
    const code = error?.extensions?.code;
    expect(typeof error.message, context).toBe('string');
    expect(GRAPHQL_ERROR_CODES.has(code), `error code ${code} (${error.message}): ${context}`).toBe(true);
    expect(
      error.extensions.stacktrace ?? error.extensions.exception ?? error.extensions.originalError,
      context,
    ).toBeUndefined();
    expect(leakIn(`${error.message} ${JSON.stringify(error.extensions)}`), context).toBeNull();
  }
  for (const code of userErrorCodes(result.data)) {
    if (code !== 'undefined') tally('graphql-documents', `userError ${code}`);
    expect(['INTERNAL_ERROR', 'SERVICE_UNAVAILABLE'], `userError ${code}: ${context}`).not.toContain(code);
  }
}

let sent = 0;
/** The Accept header: the contract's statuses hold whatever it is. */
const ACCEPT = [
  'application/json',
  'application/graphql-response+json',
  '*/*',
  'application/graphql-response+json, application/json;q=0.9',
];

/** Registers the suite; `gateway` is the file's shared test gateway. */
export function graphqlDocumentsSuite(gateway: () => TestGateway): void {
  describe('GraphQL documents built from the schema', () => {
    beforeAll(async () => {
      gw = gateway();
      await setup();
    });
    const runs = fuzzRuns(150);
    it(
      'graphql-documents: any document, variables or batch: HTTP 200/400 and only documented error codes',
      async () => {
        await fuzzAssert(
          'graphql-documents',
          fc.tuple(
            fc.gen().map((g) => payload(g)),
            fc.integer({ min: 0, max: 9 }),
          ),
          async ([p, who]) => {
            if (++sent % 40 === 0) await reset();
            const headers: Record<string, string> = {
              authorization: who === 0 ? viewerAuth : gw.adminAuth,
              'content-type': 'application/json',
              accept: ACCEPT[who % ACCEPT.length]!,
            };
            const body = 'raw' in p ? p.raw : JSON.stringify(p.body);
            const started = Date.now();
            const response = await gw.gateway.fetch('http://gateway.test/graphql', {
              method: 'POST',
              headers,
              body,
            });
            const text = await response.text();
            if (process.env.FUZZ_DEBUG && Date.now() - started > 500) {
              console.log(
                `[fuzz] slow (${Date.now() - started} ms): ${brief(body, 400)} → ${brief(text, 300)}`,
              );
            }
            const context = `${brief('raw' in p ? p.raw : p.body, 2000)} → ${response.status} ${brief(text, 1500)}`;
            if (process.env.FUZZ_DEBUG) console.log(`[fuzz] request ${body}\n[fuzz] response ${text}`);
            expect([200, 400], context).toContain(response.status);
            let parsed: any;
            expect(() => {
              parsed = JSON.parse(text);
            }, context).not.toThrow();
            if (Array.isArray(parsed)) for (const result of parsed) checkResult(result, context);
            else checkResult(parsed, context);
          },
          runs,
          60,
        );
      },
      fuzzTimeout(runs, 60),
    );
  });
}

/**
 * The failures the properties found, kept as fixed examples: a property finds such a case
 * only now and then, an example every time.
 * - nesting: a body, form or query string nested thousands of levels deep overflowed the
 *   router's JSON.stringify (REST 500); additional info a few thousand levels deep overflowed
 *   Prisma's serializer (500) — now 422 past 512 levels (REST input) / 100 levels (additional info);
 * - GraphQL over HTTP: malformed requests answered 400 with yoga's own code BAD_REQUEST (and the
 *   JSON parser's error as `originalError`), several operations without operationName
 *   OPERATION_RESOLUTION_FAILURE, a subscription 200 with an error without code;
 * - crafted `customersConnection` cursors whose sort value the column cannot hold (bigint or int
 *   out of range, NUL in a text, instants PostgreSQL cannot read) failed the statement
 *   (INTERNAL_ERROR);
 * - a mutation payload's entity field under two aliases with different selections served one
 *   alias's read to the other (non-null field null → INTERNAL_ERROR).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resetFixture } from '../rest/fixture.js';
import type { TestGateway } from '../support/gateway.js';
import { deepJsonText } from './arbitraries.js';

const V2 = '/wp-json/fluent-cart/v2';
let gw: TestGateway;

const cursorOf = (key: string, value: unknown, id = '1') =>
  Buffer.from(JSON.stringify([key, value, id])).toString('base64url');

async function rawGraphQL(body: string) {
  const response = await gw.gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { authorization: gw.adminAuth, 'content-type': 'application/json', accept: 'application/json' },
    body,
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Registers the suite; `gateway` is the file's shared test gateway. */
export function counterexamplesSuite(gateway: () => TestGateway): void {
  describe('counterexamples found by the properties', () => {
    beforeAll(async () => {
      gw = gateway();
      await resetFixture(gw.db);
    });

    it('REST input nested past 512 levels is 422, not a stack overflow', async () => {
      const cases = [
        gw.request('PUT', `${V2}/customers/1/additional-info`, {
          rawBody: `{"k": ${deepJsonText(5000, 'object')}}`,
          headers: { 'content-type': 'application/json' },
        }),
        gw.request('PUT', `${V2}/customers/1`, {
          rawBody: `additional_info${'[a]'.repeat(600)}=1`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        gw.request('PUT', `${V2}/customers/1?additional_info${'%5Ba%5D'.repeat(600)}=1`),
      ];
      for (const res of await Promise.all(cases)) {
        expect(res.status, res.text).toBe(422);
        expect(res.body.error.code).toBe('validation_error');
        expect(res.body.error.message).toMatch(/nested more than 512 levels/);
      }
      expect((await gw.db.prisma.customer.findUniqueOrThrow({ where: { id: 1n } })).additionalInfo).toEqual({
        company: 'Example Corp',
      });
    });

    it('additional info nested more than 100 levels is a validation error on both surfaces', async () => {
      const within = await gw.request('PUT', `${V2}/customers/2/additional-info`, {
        rawBody: `{"k": ${deepJsonText(99, 'array')}}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(within.status, within.text).toBe(200);
      for (const kind of ['array', 'object'] as const) {
        const res = await gw.request('POST', `${V2}/customers`, {
          rawBody: `{"email": "deep.${kind}@example.com", "additional_info": {"k": ${deepJsonText(300, kind)}}}`,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status, res.text).toBe(422);
        expect(res.body.error.details).toEqual([
          { field: 'additional_info', message: 'must not be nested more than 100 levels deep' },
        ]);
      }
      let deep: unknown = 1;
      for (let i = 0; i < 3000; i++) deep = [deep];
      const gql = await gw.graphql(
        'mutation($info: JSONObject!) { updateCustomerAdditionalInfo(id: "2", additionalInfo: $info) { userErrors { code field message } } }',
        { info: { k: deep } },
      );
      expect(gql.body.data.updateCustomerAdditionalInfo.userErrors).toEqual([
        {
          code: 'VALIDATION_ERROR',
          field: 'additionalInfo',
          message: 'must not be nested more than 100 levels deep',
        },
      ]);
    });

    it('malformed GraphQL-over-HTTP requests are 400 with a contract code', async () => {
      const cases: [string, string][] = [
        ['{"query": "{ viewer { id } }", "variables": "x"}', 'BAD_USER_INPUT'],
        ['{"query": "{ viewer { id } }", "variables": [1]}', 'BAD_USER_INPUT'],
        ['{"query": 5}', 'GRAPHQL_PARSE_FAILED'],
        ['{}', 'GRAPHQL_PARSE_FAILED'],
        ['{"query": ', 'GRAPHQL_PARSE_FAILED'],
        ['null', 'GRAPHQL_PARSE_FAILED'],
        ['{"query": "{ viewer { id } }", "extensions": 5}', 'GRAPHQL_PARSE_FAILED'],
        [
          '{"query": "{ viewer { id } } { customers { pagination { total } } }"}',
          'GRAPHQL_VALIDATION_FAILED',
        ],
        ['{"query": "query A { viewer { id } }", "operationName": "B"}', 'GRAPHQL_VALIDATION_FAILED'],
        ['{"query": "subscription { customers { pagination { total } } }"}', 'GRAPHQL_VALIDATION_FAILED'],
      ];
      for (const [body, code] of cases) {
        const res = await rawGraphQL(body);
        expect(res.status, body).toBe(400);
        expect(
          res.body.errors.map((e: any) => e.extensions.code),
          body,
        ).toEqual([code]);
        expect(res.body.errors[0].extensions.originalError, body).toBeUndefined();
      }
    });

    it('a crafted cursor whose sort value the column cannot hold is "not a valid cursor"', async () => {
      const cases: [string, unknown][] = [
        ['TOTAL_SPENT', '9999999999999999999'],
        ['TOTAL_SPENT', '-9999999999999999999'],
        ['ORDER_COUNT', 2 ** 31],
        ['ORDER_COUNT', 2 ** 40],
        ['EMAIL', 'x\u0000y'],
        ['CREATED_AT', '-100000-01-01T00:00:00.000Z'],
        ['CREATED_AT', '-004713-11-24T00:00:00.000Z'],
        ['CREATED_AT', '0000-01-01T00:00:00.000Z'],
        ['UPDATED_AT', '+275760-09-13T00:00:00.000Z'],
        ['UPDATED_AT', 'Tue, 01 Jan 2024 00:00:00 GMT'],
      ];
      for (const [key, value] of cases) {
        for (const [direction, size] of [
          ['after', 'first'],
          ['before', 'last'],
        ]) {
          const res = await gw.graphql(
            `query($c: String, $o: CustomerOrderBy) { customersConnection(orderBy: $o, ${direction}: $c, ${size}: 2) { totalCount } }`,
            { c: cursorOf(key, value), o: key },
          );
          const context = `${key} ${JSON.stringify(value)} ${direction}: ${JSON.stringify(res.body)}`;
          expect(res.body.errors?.[0]?.extensions, context).toEqual({
            code: 'VALIDATION_ERROR',
            details: [{ field: direction, message: 'is not a valid cursor' }],
          });
        }
      }
      // the boundaries themselves are fine
      for (const [key, value] of [
        ['TOTAL_SPENT', '9223372036854775807'],
        ['ORDER_COUNT', 2147483647],
        ['CREATED_AT', '0001-01-01T00:00:00.000Z'],
        ['CREATED_AT', '9999-12-31T23:59:59.000Z'],
      ] as const) {
        const res = await gw.graphql(
          'query($c: String, $o: CustomerOrderBy) { customersConnection(orderBy: $o, after: $c) { totalCount } }',
          { c: cursorOf(key, value), o: key },
        );
        expect(res.body, `${key} ${value}`).toEqual({ data: { customersConnection: { totalCount: 3 } } });
      }
    });

    it('two aliases of a payload entity with different selections each get their own', async () => {
      const res = await gw.graphql(/* GraphQL */ `
        mutation {
          r1: detachUserFromCustomer(customerId: "1") {
            a0: customer { id addresses(type: SHIPPING) { customer { email phone } } }
            customer { addresses(type: BILLING) { customer { id lastName email } isPrimary } lastName }
          }
        }
      `);
      expect(res.body).toEqual({
        data: {
          r1: {
            a0: {
              id: '1',
              addresses: [{ customer: { email: 'john.doe@example.com', phone: '+1234567890' } }],
            },
            customer: {
              addresses: [
                { customer: { id: '1', lastName: 'Doe', email: 'john.doe@example.com' }, isPrimary: true },
              ],
              lastName: 'Doe',
            },
          },
        },
      });
    });
  });
}

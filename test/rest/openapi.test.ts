/**
 * The route table against the live schema (every document validates; a broken one stops
 * the start naming its route), and the OpenAPI 3.1 document generated from the table: served
 * publicly, valid by an OpenAPI validator, one operation per route, and the real answers of
 * every route match the response schemas it declares.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { compileRoutes, RouteTableError } from '../../src/rest/compile-routes.js';
import { param } from '../../src/rest/route.js';
import { useRestRouter } from '../../src/rest/router.js';
import { routes } from '../../src/rest/routes.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { readExamples } from './examples.js';
import { resetFixture } from './fixture.js';

const OPENAPI = '/wp-json/fluent-cart/v2/openapi.json';

let gw: TestGateway;
let document: any;
beforeAll(async () => {
  gw = await startTestGateway();
  document = (await gw.request('GET', OPENAPI, { auth: null })).body;
});
afterAll(async () => {
  await gw?.close();
});

describe('the route table', () => {
  it('has one route per documented operation, and every document validates against the live schema', () => {
    expect(routes).toHaveLength(16);
    const compiled = compileRoutes(schema, routes);
    expect(compiled.map((r) => r.operationName)).toEqual(
      routes.map((r) => `Rest${r.name[0]!.toUpperCase()}${r.name.slice(1)}`),
    );
  });

  it('when a document does not fit the schema, then the start fails naming the route', () => {
    const broken = {
      ...routes[0]!,
      name: 'listThings',
      path: '/things',
      document: '{ things { id } }',
    };
    expect(() => useRestRouter({ schema, fetch: () => new Response(), routes: [broken] })).toThrow(
      RouteTableError,
    );
    expect(() => compileRoutes(schema, [broken])).toThrow(
      /^REST route GET \/things \(listThings\): its GraphQL document does not validate against the schema: Cannot query field "things"/,
    );
  });

  it('when a parameter fills no variable of the operation, then the start fails naming the route', () => {
    const broken = { ...routes[0]!, params: [...routes[0]!.params, param('colour', 'colour')] };
    expect(() => compileRoutes(schema, [broken])).toThrow(
      'REST route GET /customers (listCustomers): parameter colour fills colour, which is not in the operation',
    );
  });
});

describe('GET /wp-json/fluent-cart/v2/openapi.json', () => {
  it('is public JSON', async () => {
    const res = await gw.request('GET', OPENAPI, { auth: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body.openapi).toBe('3.1.0');
  });

  it('answers only GET', async () => {
    const res = await gw.request('POST', OPENAPI, { auth: null });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has one operation per route, with parameters, bodies, success and error responses', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, any>).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort()).toEqual(
      routes.map((r) => `${r.method} ${r.path}`).sort(),
    );
    for (const route of routes) {
      const op = document.paths[route.path][route.method.toLowerCase()];
      expect(op.operationId).toBe(route.name);
      expect(Object.keys(op.responses)).toEqual(
        expect.arrayContaining([String(route.status), '401', '403', '422']),
      );
      for (const name of route.path.match(/\{(\w+)\}/g) ?? []) {
        expect(op.parameters).toContainEqual(
          expect.objectContaining({ in: 'path', name: name.slice(1, -1) }),
        );
      }
      expect(Boolean(op.requestBody)).toBe(route.method !== 'GET');
    }
    const list = document.paths['/customers'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual([
      'page',
      'per_page',
      'search',
      'filters',
      'order_by',
      'sort_by',
      'order_type',
      'sort_type',
    ]);
    expect(list.parameters[3]).toMatchObject({ style: 'deepObject', schema: { type: 'object' } });
    const create =
      document.paths['/customers/{customerId}/address'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(['type', 'address_1', 'city', 'country']);
    expect(create.properties.type).toMatchObject({ enum: ['billing', 'shipping'] });
    const bulk =
      document.paths['/customers/do-bulk-action'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(bulk.properties)).toEqual(['action', 'customer_ids', 'data', 'new_status']);
    expect(Object.keys(bulk.properties.data.properties)).toEqual(['status', 'format']);
  });
});

describe('the answers match the declared response schemas', () => {
  const V2 = '/wp-json/fluent-cart/v2';
  const calls: [string, string, unknown?][] = [
    ['GET', '/customers?per_page=2'],
    ['POST', '/customers', { email: 'new@example.com' }],
    ['GET', '/customers/1'],
    ['PUT', '/customers/1', { phone: null }],
    ['PUT', '/customers/1/additional-info', { notes: 'x' }],
    ['GET', '/customers/get-stats/1'],
    ['GET', '/customers/get-stats/2'],
    ['GET', '/customers/1/orders'],
    ['GET', '/customers/1/address'],
    ['PUT', '/customers/1/address', { address_id: 1, city: 'Albany' }],
    ['POST', '/customers/1/address', { type: 'shipping', address_1: 'a', city: 'b', country: 'US' }],
    ['POST', '/customers/1/address/make-primary', { address_id: 3 }],
    ['DELETE', '/customers/1/address', { address_id: 3 }],
    ['GET', '/customers/attachable-user'],
    ['POST', '/customers/1/attachable-user', { user_id: 2 }],
    ['POST', '/customers/1/detach-user'],
    [
      'POST',
      '/customers/do-bulk-action',
      { action: 'export', customer_ids: [1, 99], data: { format: 'csv' } },
    ],
    ['GET', '/customers/999'],
    ['POST', '/customers', { email: 'bad' }],
    ['GET', '/nothing'],
  ];

  it('for success and error answers of every route', async () => {
    await resetFixture(gw.db);
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'openapi', components: document.components });
    const schemaFor = (route: string, method: string, status: number) => {
      const op = document.paths[route]?.[method.toLowerCase()];
      const response = op?.responses[String(status)];
      if (!response || response.$ref) {
        return { $ref: 'openapi#/components/schemas/ErrorResponse' };
      }
      return JSON.parse(
        JSON.stringify(response.content['application/json'].schema).replaceAll(
          '"#/components',
          '"openapi#/components',
        ),
      );
    };
    const seenRoutes = new Set<string>();
    for (const [method, path, body] of calls) {
      const res = await gw.request(method, `${V2}${path}`, { body });
      const route = routes.find(
        (r) =>
          r.method === method &&
          new RegExp(`^${r.path.replace(/\{\w+\}/g, '[1-9][0-9]*')}$`).test(path.split('?')[0]!),
      );
      if (route && res.status < 300) seenRoutes.add(route.name);
      const validate = ajv.compile(schemaFor(route?.path ?? '', method, res.status));
      expect(
        validate(res.body),
        `${method} ${path} → ${res.status}: ${ajv.errorsText(validate.errors)}`,
      ).toBe(true);
    }
    expect([...seenRoutes].sort()).toEqual(routes.map((r) => r.name).sort());
  });
});

describe('the documented request bodies match the declared request schemas', () => {
  it('for every example with a body (its curl body and its "Request Body")', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    let checked = 0;
    for (const example of readExamples()) {
      const [method, path] = example.operation.split(' ') as [string, string];
      const content = document.paths[path][method.toLowerCase()].requestBody?.content;
      for (const body of [example.body, example.documentedBody]) {
        if (body === undefined) continue;
        for (const media of ['application/json', 'application/x-www-form-urlencoded']) {
          const validate = ajv.compile(content[media].schema);
          expect(validate(body), `${example.operation} ${media}: ${ajv.errorsText(validate.errors)}`).toBe(
            true,
          );
        }
        checked++;
      }
    }
    expect(checked).toBe(18);
  });
});

/**
 * The OpenAPI 3.1 document of the REST surface, generated from the compiled route table:
 * paths and methods from the table; parameter and request-body schemas from the GraphQL
 * types the parameters fill; success bodies from each route's response schema; every error
 * in the REST envelope. Served at GET /wp-json/fluent-cart/v2/openapi.json.
 */
import {
  type GraphQLInputType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { errorCodes } from '../errors.js';
import { splitBracketKey } from './brackets.js';
import type { CompiledParam, CompiledRoute } from './compile-routes.js';
import { REST_ONLY_ERROR_CODES } from './responses.js';
import { type Json, type JsonSchema, restNameOf } from './route.js';

const dateTime: JsonSchema = { type: 'string', format: 'date-time', examples: ['2024-01-01T10:00:00Z'] };
const nullable = (schema: JsonSchema): JsonSchema =>
  typeof schema.type === 'string'
    ? { ...schema, type: [schema.type, 'null'] }
    : { anyOf: [schema, { type: 'null' }] };
const integer: JsonSchema = { type: 'integer' };
const string: JsonSchema = { type: 'string' };
const object = (properties: Record<string, JsonSchema>, required = Object.keys(properties)): JsonSchema => ({
  type: 'object',
  required,
  properties,
});

const schemas: Record<string, JsonSchema> = {
  Customer: object({
    id: integer,
    email: string,
    first_name: string,
    last_name: string,
    phone: nullable(string),
    status: { type: 'string', enum: ['active', 'inactive'] },
    user_id: nullable(integer),
    additional_info: { type: 'object' },
    total_spent: { type: 'integer', description: 'Minor units (cents)' },
    order_count: integer,
    created_at: dateTime,
    updated_at: dateTime,
  }),
  CustomerWithAddresses: {
    allOf: [
      { $ref: '#/components/schemas/Customer' },
      object({ addresses: { type: 'array', items: { $ref: '#/components/schemas/Address' } } }),
    ],
  },
  Address: object({
    id: integer,
    customer_id: integer,
    type: { type: 'string', enum: ['billing', 'shipping'] },
    first_name: nullable(string),
    last_name: nullable(string),
    company: nullable(string),
    address_1: string,
    address_2: nullable(string),
    city: string,
    state: nullable(string),
    postcode: nullable(string),
    country: { type: 'string', pattern: '^[A-Z]{2}$' },
    phone: nullable(string),
    is_primary: { type: 'boolean' },
    created_at: dateTime,
    updated_at: dateTime,
  }),
  Order: object({
    id: integer,
    customer_id: nullable(integer),
    status: {
      type: 'string',
      enum: ['pending', 'processing', 'on-hold', 'completed', 'canceled', 'refunded', 'failed'],
    },
    payment_status: {
      type: 'string',
      enum: ['pending', 'paid', 'partially_paid', 'partially_refunded', 'refunded', 'failed'],
    },
    total_amount: integer,
    refunded_amount: integer,
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    created_at: dateTime,
    updated_at: dateTime,
  }),
  User: object({
    id: integer,
    user_login: string,
    user_email: string,
    display_name: string,
    role: { type: 'string', enum: ['administrator', 'shop_manager', 'viewer', 'customer'] },
  }),
  Pagination: object({ current_page: integer, per_page: integer, total: integer, total_pages: integer }),
  CustomerStats: object({
    total_spent: integer,
    order_count: integer,
    average_order_value: integer,
    last_order_date: nullable(dateTime),
    first_order_date: nullable(dateTime),
  }),
  BulkResult: object(
    {
      customer_id: integer,
      success: { type: 'boolean' },
      error: object({ code: string, message: string }),
    },
    ['customer_id', 'success'],
  ),
  CustomerExport: object({
    format: { type: 'string', enum: ['json', 'csv'] },
    content_type: string,
    content: { type: 'string', description: 'CSV text, or JSON text of an array of customers' },
  }),
  ErrorResponse: object({
    success: { const: false },
    error: object(
      {
        code: {
          type: 'string',
          enum: [...errorCodes, ...REST_ONLY_ERROR_CODES].map((c) => c.toLowerCase()),
        },
        message: string,
        details: {
          type: 'array',
          items: object({
            field: { type: 'string', description: 'REST name of the field' },
            message: string,
          }),
        },
      },
      ['code', 'message'],
    ),
  }),
};

const errorResponse = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
});
const retryAfter = { 'Retry-After': { description: 'Seconds to wait', schema: integer } };

const responses: Record<string, unknown> = {
  Unauthenticated: errorResponse('`unauthenticated`: missing or invalid credentials', {
    'WWW-Authenticate': { description: 'Basic challenge', schema: string },
  }),
  Forbidden: errorResponse('`insufficient_permissions` or `invalid_nonce`'),
  NotFound: errorResponse('`customer_not_found`, `address_not_found` or `route_not_found`'),
  PayloadTooLarge: errorResponse('`payload_too_large`: the body is over 1 MiB'),
  ValidationError: errorResponse(
    '`validation_error`, `invalid_email` or `invalid_user`; `details` names each failing field',
  ),
  RateLimited: errorResponse('`rate_limited`', retryAfter),
  InternalError: errorResponse('`internal_error` (details are logged, never returned)'),
  ServiceUnavailable: errorResponse('`service_unavailable`', retryAfter),
};

/** JSON Schema of a GraphQL input type as REST sends it (snake_case, lower-case enums). */
function schemaOf(type: GraphQLInputType): JsonSchema {
  if (isNonNullType(type)) return schemaOf(type.ofType);
  if (isListType(type)) return { type: 'array', items: schemaOf(type.ofType) };
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const required = fields
      .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
      .map((f) => restNameOf(f.name));
    return {
      type: 'object',
      properties: Object.fromEntries(fields.map((f) => [restNameOf(f.name), schemaOf(f.type)])),
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: false,
    };
  }
  if (isEnumType(type)) {
    const values = type.getValues().map((v) => v.name.toLowerCase());
    return {
      type: 'string',
      enum: type.name === 'SortOrder' ? [...values.map((v) => v.toUpperCase()), ...values] : values,
    };
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return {
          anyOf: [
            { type: 'integer', minimum: 1 },
            { type: 'string', pattern: '^[1-9][0-9]*$' },
          ],
        };
      case 'Int':
      case 'SafeInt':
        return { type: 'integer' };
      case 'Float':
        return { type: 'number' };
      case 'Boolean':
        return { type: 'boolean' };
      case 'JSONObject':
        return { type: 'object' };
      default:
        return { type: 'string' };
    }
  }
  return {};
}

function describe(param: CompiledParam): JsonSchema {
  // An input field that may be null takes null (it clears the field); a top-level argument
  // given as null is simply not given.
  const clearable = param.variable.includes('.') && !isNonNullType(param.type);
  const schema = clearable ? orNull(schemaOf(param.type)) : schemaOf(param.type);
  return param.description ? { ...schema, description: param.description } : schema;
}

function orNull(schema: JsonSchema): JsonSchema {
  const withNull = nullable(schema);
  return Array.isArray(schema.enum) ? { ...withNull, enum: [...schema.enum, null] } : withNull;
}

const isRequired = (param: CompiledParam) => isNonNullType(param.type) && param.names.length === 1;

/** Request body schema: every body parameter under each of its names (bracket names nest). */
function bodySchema(params: CompiledParam[]): JsonSchema {
  const whole = params.find((p) => p.wholeBody);
  if (whole) return { ...schemaOf(whole.type), description: whole.description };
  const root: Json = { type: 'object', properties: {}, required: [] as string[] };
  for (const param of params.filter((p) => p.in.includes('body'))) {
    param.names.forEach((name, index) => {
      const parts = splitBracketKey(name);
      let node = root;
      for (const part of parts.slice(0, -1)) {
        node.properties[part] ??= { type: 'object', properties: {} };
        node = node.properties[part];
      }
      const schema = describe(param);
      node.properties[parts.at(-1)!] =
        index === 0 ? schema : { ...schema, description: `Alias of \`${param.names[0]}\`` };
    });
    if (isRequired(param) && !param.names[0]!.includes('[')) root.required.push(param.names[0]!);
  }
  if (root.required.length === 0) delete root.required;
  return root;
}

function operationOf(route: CompiledRoute): Json {
  const pathParams = route.params.filter((p) => p.in.includes('path'));
  const parameters: Json[] = pathParams.map((p) => ({
    name: p.names[0],
    in: 'path',
    required: true,
    description: p.description,
    schema: { type: 'integer', minimum: 1 },
  }));
  const hasBody = route.method !== 'GET';
  if (!hasBody) {
    for (const p of route.params.filter((q) => q.in.includes('query'))) {
      p.names.forEach((name, index) => {
        const schema = schemaOf(p.type);
        const isObject = schema.type === 'object';
        parameters.push({
          name,
          in: 'query',
          required: false,
          description: index === 0 ? p.description : `Alias of \`${p.names[0]}\``,
          schema,
          ...(isObject ? { style: 'deepObject', explode: true } : {}),
        });
      });
    }
  }
  const operation: Json = {
    operationId: route.name,
    summary: route.summary,
    tags: ['Customers'],
    parameters,
    responses: {
      [String(route.status)]: {
        description: route.status === 201 ? 'Created' : 'OK',
        content: { 'application/json': { schema: route.responseSchema } },
      },
      '401': { $ref: '#/components/responses/Unauthenticated' },
      '403': { $ref: '#/components/responses/Forbidden' },
      '404': { $ref: '#/components/responses/NotFound' },
      ...(hasBody ? { '413': { $ref: '#/components/responses/PayloadTooLarge' } } : {}),
      '422': { $ref: '#/components/responses/ValidationError' },
      '429': { $ref: '#/components/responses/RateLimited' },
      '500': { $ref: '#/components/responses/InternalError' },
      '503': { $ref: '#/components/responses/ServiceUnavailable' },
    },
  };
  if (hasBody) {
    const schema = bodySchema(route.params);
    operation.description =
      'Body parameters may also be sent in the query string (the body wins), or as a form.';
    operation.requestBody = {
      required: route.params.some((p) => p.wholeBody),
      content: {
        'application/json': { schema },
        'application/x-www-form-urlencoded': { schema },
      },
    };
  }
  return operation;
}

export function buildOpenApiDocument(routes: readonly CompiledRoute[]): Json {
  const paths: Json = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'FluentCart Customers API',
      version: '2.0.0',
      description: [
        'The FluentCart Customers REST API, served by translating each route into a GraphQL operation.',
        '',
        '- Also reachable under `/wp-json/fluent-cart/v1` and as `/?rest_route=/fluent-cart/v2/…`.',
        '- Method override: `POST` with `X-HTTP-Method-Override: PUT|DELETE` or `?_method=PUT|DELETE`.',
        '- Bodies: JSON (or no Content-Type) or `application/x-www-form-urlencoded` with bracket syntax; ≤ 1 MiB.',
        '- Values may come from the path, the body and the query string; path > body > query.',
        '- Success: `{"success": true, "data": …}`; errors: `{"success": false, "error": {code, message, details?}}`.',
      ].join('\n'),
    },
    servers: [{ url: '/wp-json/fluent-cart/v2' }],
    security: [{ basicAuth: [] }],
    tags: [{ name: 'Customers', description: 'Customers, their addresses, orders and site users' }],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        basicAuth: {
          type: 'http',
          scheme: 'basic',
          description: 'A WordPress login and one of its application passwords',
        },
      },
    },
  };
}

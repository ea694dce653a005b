/**
 * The router's pure parts: bracket syntax, REST names of GraphQL fields, and how GraphQL
 * errors become one REST error (precedence, masking, details).
 */
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { parseBracketParams, splitBracketKey, valueAt } from '../../src/rest/brackets.js';
import { compileRoutes } from '../../src/rest/compile-routes.js';
import { INTERNAL_ERROR_MESSAGE, restErrorOf, restFieldName } from '../../src/rest/graphql-errors.js';
import { restNameOf } from '../../src/rest/route.js';
import { routes } from '../../src/rest/routes.js';

const compiled = compileRoutes(schema, routes);
const route = (name: string) => compiled.find((r) => r.name === name)!;

describe('bracket syntax', () => {
  it('splits keys and nests values; [] appends; later values replace earlier ones', () => {
    expect(splitBracketKey('filters[status]')).toEqual(['filters', 'status']);
    expect(splitBracketKey('a[b][]')).toEqual(['a', 'b', '']);
    expect(splitBracketKey('broken[key')).toEqual(['broken[key']);
    const tree = parseBracketParams(
      new URLSearchParams('filters[status]=active&ids[]=1&ids[]=2&page=1&page=2&address[id]=7'),
    );
    expect(JSON.parse(JSON.stringify(tree))).toEqual({
      filters: { status: 'active' },
      ids: { 0: '1', 1: '2' },
      page: '2',
      address: { id: '7' },
    });
    expect(valueAt(tree, 'address[id]')).toBe('7');
    expect(valueAt(tree, 'address[zip]')).toBeUndefined();
  });

  it('never writes to prototypes', () => {
    const tree = parseBracketParams(new URLSearchParams('__proto__[polluted]=1&a[constructor][x]=2'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(tree)).toEqual([]);
  });
});

describe('REST names', () => {
  it('are snake_case, digits separated', () => {
    expect(
      ['address1', 'perPage', 'customerIds', 'totalSpentMin', 'isPrimary', 'email'].map(restNameOf),
    ).toEqual(['address_1', 'per_page', 'customer_ids', 'total_spent_min', 'is_primary', 'email']);
  });

  it('of GraphQL error fields go through the route parameters', () => {
    expect(restFieldName(route('createCustomerAddress'), 'address1')).toBe('address_1');
    expect(restFieldName(route('createCustomerAddress'), 'input.address1')).toBe('address_1');
    expect(restFieldName(route('listCustomers'), 'perPage')).toBe('per_page');
    expect(restFieldName(route('listCustomers'), 'filters.status')).toBe('filters[status]');
    expect(restFieldName(route('listCustomers'), 'filters.totalSpentMin')).toBe('filters[total_spent_min]');
    expect(restFieldName(route('customerBulkAction'), 'customerIds')).toBe('customer_ids');
    expect(restFieldName(route('customerBulkAction'), 'input.status')).toBe('data[status]');
    expect(restFieldName(route('updateCustomer'), 'input.email')).toBe('email');
    expect(restFieldName(route('updateCustomer'), 'id')).toBe('customerId');
    expect(restFieldName(route('getCustomerStats'), 'customerId')).toBe('customer');
    expect(restFieldName(route('updateCustomerAddress'), 'addressId')).toBe('address_id');
    expect(restFieldName(route('attachUserToCustomer'), 'userId')).toBe('user_id');
    expect(restFieldName(route('updateCustomer'), 'additionalInfo.someKey')).toBe(
      'additional_info[some_key]',
    );
  });
});

describe('GraphQL errors as one REST error', () => {
  const list = route('listCustomers');
  const error = (code: string, message = 'm', extra: Record<string, unknown> = {}) => ({
    message,
    extensions: { code, ...extra },
  });

  it('follow the REST precedence: 403 → 429 → 422 → 404', () => {
    const errors = [
      error('CUSTOMER_NOT_FOUND'),
      error('VALIDATION_ERROR'),
      error('RATE_LIMITED', 'slow down', { retryAfter: 12.2 }),
      error('INSUFFICIENT_PERMISSIONS', 'no'),
    ];
    expect(restErrorOf(list, { errors })?.code).toBe('INSUFFICIENT_PERMISSIONS');
    expect(restErrorOf(list, { errors: errors.slice(0, 3) })).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'slow down',
      headers: { 'retry-after': '13' },
    });
    expect(restErrorOf(list, { errors: errors.slice(0, 2) })?.code).toBe('VALIDATION_ERROR');
  });

  it('map details to REST names and summarize them', () => {
    const result = restErrorOf(list, {
      errors: [
        error('VALIDATION_ERROR', 'perPage: must be ≥ 1', {
          details: [{ field: 'perPage', message: 'must be ≥ 1' }],
        }),
      ],
    });
    expect(result).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'per_page: must be ≥ 1',
      details: [{ field: 'per_page', message: 'must be ≥ 1' }],
    });
  });

  it('read userErrors; mixed 422 codes are validation_error', () => {
    const result = restErrorOf(route('createCustomer'), {
      data: {
        createCustomer: {
          customer: null,
          userErrors: [
            { code: 'INVALID_EMAIL', message: 'is taken', field: 'email' },
            { code: 'VALIDATION_ERROR', message: 'is too long', field: 'firstName' },
          ],
        },
      },
    });
    expect(result).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'Invalid input: email, first_name',
      details: [
        { field: 'email', message: 'is taken' },
        { field: 'first_name', message: 'is too long' },
      ],
    });
    expect(restErrorOf(route('createCustomer'), { data: { createCustomer: { userErrors: [] } } })).toBeNull();
  });

  it('turn GraphQL input errors into validation_error and anything unknown into a generic internal_error', () => {
    expect(
      restErrorOf(list, { errors: [error('BAD_USER_INPUT', 'Variable "$page" got invalid value')] })?.code,
    ).toBe('VALIDATION_ERROR');
    for (const body of [
      { errors: [error('INTERNAL_SERVER_ERROR', 'Unexpected error.')] },
      { errors: [{ message: 'relation "customers" does not exist' }] },
      { errors: [error('GRAPHQL_VALIDATION_FAILED', 'Cannot query field')] },
      { errors: [error('CUSTOMER_NOT_FOUND'), { message: 'select * from secrets' }] },
      { data: null },
      undefined,
    ]) {
      expect(restErrorOf(list, body as never)).toEqual({
        code: 'INTERNAL_ERROR',
        message: INTERNAL_ERROR_MESSAGE,
      });
    }
  });
});

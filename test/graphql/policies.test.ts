/**
 * Every root field declares the permission it needs and the rate-limit class it counts
 * against (the contract's tables), so no operation can slip through unguarded.
 */
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';

const expected: Record<
  string,
  { permission: string | 'authenticated' | 'per-action'; rateLimit: string | 'per-action' }
> = {
  'Query.viewer': { permission: 'authenticated', rateLimit: 'read' },
  'Query.customers': { permission: 'customers/view', rateLimit: 'read' },
  'Query.customersConnection': { permission: 'customers/view', rateLimit: 'read' },
  'Query.customer': { permission: 'customers/view', rateLimit: 'read' },
  'Query.customerStats': { permission: 'customers/view', rateLimit: 'read' },
  'Query.customerOrders': { permission: 'customers/view', rateLimit: 'read' },
  'Query.customerAddresses': { permission: 'customers/view', rateLimit: 'read' },
  'Query.attachableUsers': { permission: 'customers/view', rateLimit: 'read' },
  'Mutation.createCustomer': { permission: 'customers/manage', rateLimit: 'create' },
  'Mutation.updateCustomer': { permission: 'customers/manage', rateLimit: 'update' },
  'Mutation.updateCustomerAdditionalInfo': { permission: 'customers/manage', rateLimit: 'update' },
  'Mutation.createCustomerAddress': { permission: 'customers/manage', rateLimit: 'create' },
  'Mutation.updateCustomerAddress': { permission: 'customers/manage', rateLimit: 'update' },
  'Mutation.deleteCustomerAddress': { permission: 'customers/delete', rateLimit: 'delete' },
  'Mutation.setPrimaryCustomerAddress': { permission: 'customers/manage', rateLimit: 'update' },
  'Mutation.attachUserToCustomer': { permission: 'customers/manage', rateLimit: 'update' },
  'Mutation.detachUserFromCustomer': { permission: 'customers/manage', rateLimit: 'update' },
  'Mutation.customerBulkAction': { permission: 'per-action', rateLimit: 'per-action' },
};

function rootFields() {
  const fields = [];
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      const options = (field.extensions as { pothosOptions?: Record<string, unknown> }).pothosOptions ?? {};
      fields.push({ coordinate: `${type?.name}.${field.name}`, options });
    }
  }
  return fields;
}

describe('root field policies', () => {
  it('lists every root field of the schema', () => {
    expect(
      rootFields()
        .map((f) => f.coordinate)
        .sort(),
    ).toEqual(Object.keys(expected).sort());
  });

  for (const { coordinate, options } of rootFields()) {
    it(`${coordinate} declares its permission and rate-limit class`, () => {
      const want = expected[coordinate]!;
      const scopes = options.authScopes as unknown;
      const rateLimit = options.rateLimit as unknown;
      if (want.permission === 'per-action') expect(typeof scopes).toBe('function');
      else if (want.permission === 'authenticated') expect(scopes).toEqual({ authenticated: true });
      else expect(scopes).toEqual({ permission: want.permission });
      if (want.rateLimit === 'per-action') expect(typeof rateLimit).toBe('function');
      else expect(rateLimit).toBe(want.rateLimit);
    });
  }
});

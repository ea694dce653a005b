/**
 * Customer writes: create, update, additional info, and linking to a site user. Resolvers
 * map arguments to the domain services (which own every rule) and wrap the outcome.
 */
import {
  createCustomer,
  updateCustomer,
  updateCustomerAdditionalInfo,
} from '../../domain/customers/customer-service.js';
import { attachUserToCustomer, detachUserFromCustomer } from '../../domain/customers/user-link-service.js';
import { builder } from '../builder.js';
import { writePolicy } from '../policies.js';
import { CustomerStatusEnum } from './enums.js';
import { CustomerPayloadType, writePayload } from './payloads.js';

builder.mutationType({ description: 'Writes. Business failures come back as `userErrors`.' });

export const CreateCustomerInput = builder.inputType('CreateCustomerInput', {
  description: 'A new customer. Strings are trimmed; an explicit null means absent.',
  fields: (t) => ({
    email: t.string({
      required: true,
      description:
        'Required; ≤ 254 characters, `local@domain` with a dot in the domain, unique case-insensitively.',
    }),
    firstName: t.string({ description: 'Optional; ≤ 100 characters; "" when absent.' }),
    lastName: t.string({ description: 'Optional; ≤ 100 characters; "" when absent.' }),
    phone: t.string({ description: 'Optional; ≤ 32 characters of digits, spaces and `+ ( ) - .`.' }),
    status: t.field({ type: CustomerStatusEnum, defaultValue: 'ACTIVE', description: 'ACTIVE by default.' }),
    additionalInfo: t.field({
      type: 'JSONObject',
      description: 'Free-form JSON object, ≤ 16 KiB as UTF-8 JSON; keys with null values are dropped.',
    }),
  }),
});

export const UpdateCustomerInput = builder.inputType('UpdateCustomerInput', {
  description:
    'A partial update: absent fields stay. null clears phone and sets names to ""; null for email, status or additionalInfo is a VALIDATION_ERROR.',
  fields: (t) => ({
    email: t.string({ description: 'New email; same rules as on create.' }),
    firstName: t.string({ description: 'New first name (null: "").' }),
    lastName: t.string({ description: 'New last name (null: "").' }),
    phone: t.string({ description: 'New phone (null clears it).' }),
    status: t.field({ type: CustomerStatusEnum, description: 'New status.' }),
    additionalInfo: t.field({
      type: 'JSONObject',
      description: 'Merged as in updateCustomerAdditionalInfo.',
    }),
  }),
});

builder.mutationFields((t) => ({
  createCustomer: t.field({
    type: CustomerPayloadType,
    ...writePolicy('customers/manage', 'create'),
    description:
      'Creates a customer. A malformed or already used email is INVALID_EMAIL; with other failures, VALIDATION_ERROR listing all. Needs customers/manage.',
    args: { input: t.arg({ type: CreateCustomerInput, required: true, description: 'The new customer.' }) },
    resolve: (_root, { input }, ctx, info) =>
      writePayload(ctx, info, 'Customer', () => createCustomer(ctx.db.prisma, input)),
  }),

  updateCustomer: t.field({
    type: CustomerPayloadType,
    ...writePolicy('customers/manage', 'update'),
    description: 'Updates the fields sent and sets updatedAt. Needs customers/manage.',
    args: {
      id: t.arg.id({ required: true, description: 'The customer id.' }),
      input: t.arg({ type: UpdateCustomerInput, required: true, description: 'The fields to change.' }),
    },
    resolve: (_root, { id, input }, ctx, info) =>
      writePayload(ctx, info, 'Customer', () => updateCustomer(ctx.db.prisma, id, input)),
  }),

  updateCustomerAdditionalInfo: t.field({
    type: CustomerPayloadType,
    ...writePolicy('customers/manage', 'update'),
    description:
      'Merges into additionalInfo (shallow): keys sent are set, keys sent as null are removed, others stay. The result must stay ≤ 16 KiB of UTF-8 JSON. Needs customers/manage.',
    args: {
      id: t.arg.id({ required: true, description: 'The customer id.' }),
      additionalInfo: t.arg({
        type: 'JSONObject',
        required: true,
        description: 'The keys to set or remove.',
      }),
    },
    resolve: (_root, { id, additionalInfo }, ctx, info) =>
      writePayload(ctx, info, 'Customer', () =>
        updateCustomerAdditionalInfo(ctx.db.prisma, id, additionalInfo),
      ),
  }),

  attachUserToCustomer: t.field({
    type: CustomerPayloadType,
    ...writePolicy('customers/manage', 'update'),
    description:
      'Links a site user to the customer. Unknown user or one linked to another customer: INVALID_USER; customer linked to a different user: VALIDATION_ERROR; the same pair again succeeds. Needs customers/manage.',
    args: {
      customerId: t.arg.id({ required: true, description: 'The customer id.' }),
      userId: t.arg.id({ required: true, description: 'The user id.' }),
    },
    resolve: (_root, { customerId, userId }, ctx, info) =>
      writePayload(ctx, info, 'Customer', () => attachUserToCustomer(ctx.db.prisma, customerId, userId)),
  }),

  detachUserFromCustomer: t.field({
    type: CustomerPayloadType,
    ...writePolicy('customers/manage', 'update'),
    description: 'Clears the link to a site user; succeeds when there is none. Needs customers/manage.',
    args: { customerId: t.arg.id({ required: true, description: 'The customer id.' }) },
    resolve: (_root, { customerId }, ctx, info) =>
      writePayload(ctx, info, 'Customer', () => detachUserFromCustomer(ctx.db.prisma, customerId)),
  }),
}));

/**
 * Address book writes. The rules (one primary per type, promotion on delete, type changes)
 * live in the address service; each mutation runs in one transaction that locks the customer.
 */
import {
  createCustomerAddress,
  deleteCustomerAddress,
  setPrimaryCustomerAddress,
  updateCustomerAddress,
} from '../../domain/customers/address-service.js';
import { builder } from '../builder.js';
import { writePolicy } from '../policies.js';
import { AddressTypeEnum } from './enums.js';
import {
  CustomerAddressPayloadType,
  DeleteCustomerAddressPayloadType,
  entityPayload,
  writePayload,
} from './payloads.js';

export const CustomerAddressInput = builder.inputType('CustomerAddressInput', {
  description: 'A new address. Strings are trimmed; optional fields may be null or absent.',
  fields: (t) => ({
    type: t.field({ type: AddressTypeEnum, required: true, description: 'BILLING or SHIPPING.' }),
    firstName: t.string({ description: 'Optional; ≤ 100 characters.' }),
    lastName: t.string({ description: 'Optional; ≤ 100 characters.' }),
    company: t.string({ description: 'Optional; ≤ 100 characters.' }),
    address1: t.string({ required: true, description: 'Required; ≤ 255 characters.' }),
    address2: t.string({ description: 'Optional; ≤ 255 characters.' }),
    city: t.string({ required: true, description: 'Required; ≤ 100 characters.' }),
    state: t.string({ description: 'Optional; ≤ 100 characters.' }),
    postcode: t.string({ description: 'Optional; ≤ 20 characters.' }),
    country: t.string({
      required: true,
      description: 'ISO 3166-1 alpha-2 code of an assigned country; lower case accepted, stored upper case.',
    }),
    phone: t.string({ description: 'Optional; ≤ 32 characters of digits, spaces and `+ ( ) - .`.' }),
    isPrimary: t.boolean({
      description:
        'true: becomes the primary of its type, demoting the previous one. The first address of a type is primary anyway.',
    }),
  }),
});

export const CustomerAddressUpdateInput = builder.inputType('CustomerAddressUpdateInput', {
  description:
    'A partial address update: absent fields stay; null clears optional fields and is a VALIDATION_ERROR for type, address1, city, country and isPrimary.',
  fields: (t) => ({
    type: t.field({
      type: AddressTypeEnum,
      description: 'Moves the address to the other type; the primary rules apply to both types.',
    }),
    firstName: t.string({ description: 'First name (null clears).' }),
    lastName: t.string({ description: 'Last name (null clears).' }),
    company: t.string({ description: 'Company (null clears).' }),
    address1: t.string({ description: 'First address line.' }),
    address2: t.string({ description: 'Second address line (null clears).' }),
    city: t.string({ description: 'City.' }),
    state: t.string({ description: 'State or region (null clears).' }),
    postcode: t.string({ description: 'Postal code (null clears).' }),
    country: t.string({ description: 'ISO 3166-1 alpha-2 code, any case.' }),
    phone: t.string({ description: 'Phone (null clears).' }),
    isPrimary: t.boolean({
      description:
        'true makes it the primary of its type (demoting the previous one); false for the current primary is a VALIDATION_ERROR.',
    }),
  }),
});

const customerIdArg = { required: true, description: 'The owning customer id.' } as const;
const addressIdArg = {
  required: true,
  description: 'The address id; an address of another customer is ADDRESS_NOT_FOUND.',
} as const;

builder.mutationFields((t) => ({
  createCustomerAddress: t.field({
    type: CustomerAddressPayloadType,
    ...writePolicy('customers/manage', 'create'),
    description: 'Adds an address to the customer’s address book. Needs customers/manage.',
    args: {
      customerId: t.arg.id(customerIdArg),
      input: t.arg({ type: CustomerAddressInput, required: true, description: 'The new address.' }),
    },
    resolve: (_root, { customerId, input }, ctx, info) =>
      writePayload(ctx, info, 'CustomerAddress', () =>
        createCustomerAddress(ctx.db.prisma, customerId, input),
      ),
  }),

  updateCustomerAddress: t.field({
    type: CustomerAddressPayloadType,
    ...writePolicy('customers/manage', 'update'),
    description: 'Updates the fields sent and sets updatedAt. Needs customers/manage.',
    args: {
      customerId: t.arg.id(customerIdArg),
      addressId: t.arg.id(addressIdArg),
      input: t.arg({
        type: CustomerAddressUpdateInput,
        required: true,
        description: 'The fields to change.',
      }),
    },
    resolve: (_root, { customerId, addressId, input }, ctx, info) =>
      writePayload(ctx, info, 'CustomerAddress', () =>
        updateCustomerAddress(ctx.db.prisma, customerId, addressId, input),
      ),
  }),

  deleteCustomerAddress: t.field({
    type: DeleteCustomerAddressPayloadType,
    ...writePolicy('customers/delete', 'delete'),
    description:
      'Deletes an address. Deleting the primary promotes the remaining address of its type updated last (ties: highest id). Needs customers/delete.',
    args: { customerId: t.arg.id(customerIdArg), addressId: t.arg.id(addressIdArg) },
    resolve: (_root, { customerId, addressId }, ctx) =>
      entityPayload(() => deleteCustomerAddress(ctx.db.prisma, customerId, addressId)),
  }),

  setPrimaryCustomerAddress: t.field({
    type: CustomerAddressPayloadType,
    ...writePolicy('customers/manage', 'update'),
    description:
      'Makes the address the primary of its type, demoting the previous one (REST make-primary). Needs customers/manage.',
    args: { customerId: t.arg.id(customerIdArg), addressId: t.arg.id(addressIdArg) },
    resolve: (_root, { customerId, addressId }, ctx, info) =>
      writePayload(ctx, info, 'CustomerAddress', () =>
        setPrimaryCustomerAddress(ctx.db.prisma, customerId, addressId),
      ),
  }),
}));

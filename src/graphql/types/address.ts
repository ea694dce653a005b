import { builder } from '../builder.js';
import { AddressTypeEnum } from './enums.js';

export const CustomerAddressType = builder.prismaObject('CustomerAddress', {
  description:
    "An address in a customer's address book. Per type, exactly one address is primary whenever the customer has addresses of that type.",
  // Select mode: only the columns (and relations) a query asks for are loaded.
  select: {},
  fields: (t) => ({
    // BIGINT columns arrive as bigint, which graphql 16's ID scalar cannot serialize.
    id: t.id({
      description: 'Address id (decimal string).',
      select: { id: true },
      resolve: (a) => `${a.id}`,
    }),
    customerId: t.id({
      description: 'Id of the owning customer.',
      select: { customerId: true },
      resolve: (a) => `${a.customerId}`,
    }),
    type: t.expose('type', { type: AddressTypeEnum, description: 'BILLING or SHIPPING.' }),
    firstName: t.exposeString('firstName', { nullable: true, description: 'First name, or null.' }),
    lastName: t.exposeString('lastName', { nullable: true, description: 'Last name, or null.' }),
    company: t.exposeString('company', { nullable: true, description: 'Company, or null.' }),
    address1: t.exposeString('address1', { description: 'First address line (REST `address_1`).' }),
    address2: t.exposeString('address2', { nullable: true, description: 'Second address line, or null.' }),
    city: t.exposeString('city', { description: 'City.' }),
    state: t.exposeString('state', { nullable: true, description: 'State or region, or null.' }),
    postcode: t.exposeString('postcode', { nullable: true, description: 'Postal code, or null.' }),
    country: t.exposeString('country', { description: 'ISO 3166-1 alpha-2 country code, upper case.' }),
    phone: t.exposeString('phone', { nullable: true, description: 'Phone number, or null.' }),
    isPrimary: t.exposeBoolean('isPrimary', {
      description: 'Whether this is the primary address of its type.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Creation time (UTC).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last update time (UTC).' }),
    customer: t.relation('customer', { description: 'The customer owning this address.' }),
  }),
});

import { addressOrder, statsOf, statsSelect } from '../../domain/customers/customer-queries.js';
import { pageRequest } from '../../domain/pagination.js';
import { type ErrorDetail, validationFailure } from '../../errors.js';
import { builder } from '../builder.js';
import { rethrowAppError, toGraphQLError } from '../errors.js';
import { loadCustomerOrderPage } from '../loaders.js';
import { selectsPath } from '../selection.js';
import { AddressTypeEnum, CustomerStatusEnum } from './enums.js';
import { OrderListType } from './order.js';
import { CustomerStatsType } from './stats.js';

export const CustomerType = builder.prismaObject('Customer', {
  description: 'A customer of the shop. REST: the snake_case customer object.',
  // Select mode: only the columns (and relations) a query asks for are loaded.
  select: {},
  fields: (t) => ({
    // BIGINT columns arrive as bigint, which graphql 16's ID scalar cannot serialize.
    id: t.id({
      description: 'Customer id (decimal string).',
      select: { id: true },
      resolve: (c) => `${c.id}`,
    }),
    email: t.exposeString('email', {
      description: 'Email address, unique case-insensitively, stored as given.',
    }),
    firstName: t.exposeString('firstName', { description: 'First name; "" when not given.' }),
    lastName: t.exposeString('lastName', { description: 'Last name; "" when not given.' }),
    phone: t.exposeString('phone', { nullable: true, description: 'Phone number, or null.' }),
    status: t.expose('status', { type: CustomerStatusEnum, description: 'ACTIVE or INACTIVE.' }),
    userId: t.id({
      nullable: true,
      description: 'Id of the linked site user (set by attach/detach), or null.',
      select: { userId: true },
      resolve: (c) => (c.userId === null ? null : `${c.userId}`),
    }),
    additionalInfo: t.expose('additionalInfo', {
      type: 'JSONObject',
      description: 'Free-form JSON object; {} when empty.',
    }),
    totalSpent: t.expose('totalSpent', {
      type: 'SafeInt',
      description: 'Σ(total − refunded) of counted orders, in minor units across currencies.',
    }),
    orderCount: t.exposeInt('orderCount', { description: 'Number of counted orders.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Creation time (UTC).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last update time (UTC).' }),
    user: t.relation('user', {
      nullable: true,
      description: 'The linked site user, or null when none is attached.',
    }),
    stats: t.field({
      type: CustomerStatsType,
      description: 'Purchase statistics, read from the customer row (no extra query).',
      select: statsSelect,
      resolve: (customer) => statsOf(customer),
    }),
    addresses: t.relation('addresses', {
      description: 'Addresses of the customer: billing before shipping, primary first, then by id.',
      args: {
        type: t.arg({ type: AddressTypeEnum, description: 'Only addresses of this type.' }),
      },
      query: (args) => ({ where: args.type ? { type: args.type } : {}, orderBy: [...addressOrder] }),
    }),
    orders: t.field({
      type: OrderListType,
      description:
        'Orders of the customer, newest first (ties by id, descending). perPage defaults to 10 here and is clamped to 100. All customers of a list load their orders in one statement, limited in SQL.',
      args: {
        page: t.arg.int({ defaultValue: 1, description: 'Page number, from 1.' }),
        perPage: t.arg.int({
          defaultValue: 10,
          description: 'Orders per page, 1 or more; above 100 means 100.',
        }),
      },
      select: { id: true },
      resolve: (customer, args, context, info) => {
        const problems: ErrorDetail[] = [];
        const page = pageRequest(args, 10, problems);
        if (!page) throw toGraphQLError(validationFailure(problems));
        return loadCustomerOrderPage(context, customer.id, page, selectsPath(info, ['pagination'])).catch(
          rethrowAppError,
        );
      },
    }),
  }),
});

/**
 * Root query fields over customers. Resolvers map arguments and call one domain function of
 * domain/customers/customer-queries.ts with Pothos' Prisma selection; AppErrors become top-level
 * errors with `extensions.code` (rethrowAppError).
 */
import {
  type CustomerList,
  customersConnection,
  getCustomer,
  getCustomerStats,
  listCustomerAddresses,
  listCustomerOrders,
  listCustomers,
} from '../../domain/customers/customer-queries.js';
import { builder } from '../builder.js';
import { rethrowAppError } from '../errors.js';
import { readPolicy } from '../policies.js';
import { nestedQuery, selectsPath } from '../selection.js';
import { CustomerConnectionType } from './connection.js';
import { CustomerType } from './customer.js';
import { AddressTypeEnum, CustomerOrderByEnum, CustomerStatusEnum, SortOrderEnum } from './enums.js';
import { OrderListType } from './order.js';
import { PaginationType } from './pagination.js';
import { CustomerStatsType } from './stats.js';

export const CustomerFiltersInput = builder.inputType('CustomerFilters', {
  description: 'Filters of customer lists; all given filters must hold.',
  fields: (t) => ({
    status: t.field({ type: CustomerStatusEnum, description: 'Only customers with this status.' }),
    dateFrom: t.string({
      description:
        'Created at or after: YYYY-MM-DD (from that UTC midnight) or an ISO 8601 date-time (UTC when it has no offset).',
    }),
    dateTo: t.string({
      description:
        'Created at or before: YYYY-MM-DD (the whole UTC day included) or an ISO 8601 date-time (UTC when it has no offset).',
    }),
    totalSpentMin: t.field({ type: 'SafeInt', description: 'totalSpent at least this many cents.' }),
    totalSpentMax: t.field({ type: 'SafeInt', description: 'totalSpent at most this many cents.' }),
  }),
});

export const CustomerListType = builder.objectRef<CustomerList>('CustomerList').implement({
  description: 'A page of customers with its pagination.',
  fields: (t) => ({
    customers: t.field({
      type: [CustomerType],
      description: 'The customers of the page, in list order.',
      resolve: (list) => list.customers,
    }),
    pagination: t.field({
      type: PaginationType,
      description: 'Where the page sits in the whole (filtered) list.',
      resolve: (list) => list.pagination,
    }),
  }),
});

builder.queryFields((t) => {
  const listArgs = {
    search: t.arg.string({
      description: 'Case-insensitive substring of "first last" name, email or phone.',
    }),
    filters: t.arg({ type: CustomerFiltersInput, description: 'Filters; all given ones must hold.' }),
    orderBy: t.arg({
      type: CustomerOrderByEnum,
      defaultValue: 'ID',
      description: 'Sort key; ties are broken by id in the same direction.',
    }),
    orderType: t.arg({ type: SortOrderEnum, defaultValue: 'DESC', description: 'Sort direction.' }),
  };
  const customerId = t.arg.id({ required: true, description: 'Customer id (decimal string).' });

  return {
    customers: t.field({
      type: CustomerListType,
      ...readPolicy,
      description:
        'A page of customers, searched, filtered and sorted (default: 10 per page, newest id first).',
      args: {
        page: t.arg.int({ defaultValue: 1, description: 'Page number, from 1.' }),
        perPage: t.arg.int({
          defaultValue: 10,
          description: 'Customers per page, 1 or more; above 100 means 100.',
        }),
        ...listArgs,
      },
      resolve: (_root, args, context, info) =>
        listCustomers(context.db.prisma, args, nestedQuery(context, info, 'Customer', [['customers']])).catch(
          rethrowAppError,
        ),
    }),

    customersConnection: t.field({
      type: CustomerConnectionType,
      ...readPolicy,
      description:
        'Customers as a keyset-paginated connection over (sort value, id): `first` (default 10) with `after` pages forwards, `last` with `before` backwards; `first` and `last` together are a VALIDATION_ERROR.',
      args: {
        first: t.arg.int({
          description: 'Page size forwards (default 10 unless `last` is given); above 100 means 100.',
        }),
        after: t.arg.string({ description: 'Return customers after this cursor.' }),
        last: t.arg.int({ description: 'Page size backwards; above 100 means 100.' }),
        before: t.arg.string({ description: 'Return customers before this cursor.' }),
        ...listArgs,
      },
      resolve: (_root, args, context, info) =>
        customersConnection(
          context.db.prisma,
          { ...args, countTotal: selectsPath(info, ['totalCount']) },
          nestedQuery(context, info, 'Customer', [['nodes'], ['edges', 'node']]),
        ).catch(rethrowAppError),
    }),

    customer: t.prismaField({
      type: 'Customer',
      ...readPolicy,
      nullable: true,
      description: 'One customer. An unknown id gives null and a CUSTOMER_NOT_FOUND error.',
      args: { id: t.arg.id({ required: true, description: 'Customer id (decimal string).' }) },
      resolve: (query, _root, args, context) =>
        getCustomer(context.db.prisma, String(args.id), query).catch(rethrowAppError),
    }),

    customerStats: t.field({
      type: CustomerStatsType,
      ...readPolicy,
      description: 'Purchase statistics of one customer (CUSTOMER_NOT_FOUND for an unknown id).',
      args: { customerId },
      resolve: (_root, args, context) =>
        getCustomerStats(context.db.prisma, String(args.customerId)).catch(rethrowAppError),
    }),

    customerOrders: t.field({
      type: OrderListType,
      ...readPolicy,
      description:
        'Orders of one customer, newest first (ties by id, descending), 100 per page by default (CUSTOMER_NOT_FOUND for an unknown id).',
      args: {
        customerId,
        page: t.arg.int({ defaultValue: 1, description: 'Page number, from 1.' }),
        perPage: t.arg.int({
          defaultValue: 100,
          description: 'Orders per page, 1 or more; above 100 means 100.',
        }),
      },
      resolve: (_root, args, context) =>
        listCustomerOrders(context.db.prisma, { ...args, customerId: String(args.customerId) }).catch(
          rethrowAppError,
        ),
    }),

    customerAddresses: t.prismaField({
      type: ['CustomerAddress'],
      ...readPolicy,
      description:
        'Addresses of one customer: billing before shipping, primary first, then by id (CUSTOMER_NOT_FOUND for an unknown id).',
      args: {
        customerId,
        type: t.arg({ type: AddressTypeEnum, description: 'Only addresses of this type.' }),
      },
      resolve: (query, _root, args, context) =>
        listCustomerAddresses(
          context.db.prisma,
          { customerId: String(args.customerId), type: args.type },
          query,
        ).catch(rethrowAppError),
    }),
  };
});

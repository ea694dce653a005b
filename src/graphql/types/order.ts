import type { OrderPage } from '../../domain/customers/order-loader.js';
import { builder } from '../builder.js';
import { loadCustomer } from '../loaders.js';
import { OrderStatusEnum, PaymentStatusEnum } from './enums.js';
import { PaginationType } from './pagination.js';

// Include mode on purpose: order rows of `OrderList` come from the batched raw statement of
// domain/customers/order-loader.ts with every column, not from a Pothos-planned Prisma query.
export const OrderType = builder.prismaObject('Order', {
  description: 'An order (read-only here). Amounts are in minor units of `currency`.',
  fields: (t) => ({
    // BIGINT columns arrive as bigint, which graphql 16's ID scalar cannot serialize.
    id: t.id({ description: 'Order id (decimal string).', resolve: (o) => `${o.id}` }),
    customerId: t.id({
      nullable: true,
      description: 'Id of the customer, or null once the customer was deleted.',
      resolve: (o) => (o.customerId === null ? null : `${o.customerId}`),
    }),
    status: t.expose('status', { type: OrderStatusEnum, description: 'Fulfilment status.' }),
    paymentStatus: t.expose('paymentStatus', { type: PaymentStatusEnum, description: 'Payment status.' }),
    totalAmount: t.expose('totalAmount', { type: 'SafeInt', description: 'Order total in minor units.' }),
    refundedAmount: t.expose('refundedAmount', {
      type: 'SafeInt',
      description: 'Refunded amount in minor units.',
    }),
    currency: t.exposeString('currency', { description: 'ISO 4217 currency code.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Creation time (UTC).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last update time (UTC).' }),
    // Order rows come from raw SQL (OrderList), so the relation is loaded by a batching loader
    // with Pothos' selection rather than re-reading every order through Prisma.
    customer: t.prismaField({
      type: 'Customer',
      nullable: true,
      description: 'The customer who placed the order, or null once that customer was deleted.',
      resolve: (query, order, _args, context) =>
        order.customerId === null ? null : loadCustomer(context, order.customerId, query),
    }),
  }),
});

export const OrderListType = builder.objectRef<OrderPage>('OrderList').implement({
  description: 'A page of orders with its pagination.',
  fields: (t) => ({
    orders: t.field({
      type: [OrderType],
      description: 'The orders of the page, newest first (ties by id, descending).',
      resolve: (list) => list.orders,
    }),
    pagination: t.field({
      type: PaginationType,
      description: 'Where the page sits in all orders of the customer.',
      resolve: (list) => list.pagination,
    }),
  }),
});

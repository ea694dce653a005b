import { builder } from '../builder.js';
import { OrderStatusEnum, PaymentStatusEnum } from './enums.js';

export const OrderType = builder.prismaObject('Order', {
  description: 'An order (read-only here). Amounts are in minor units of `currency`.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Order id (decimal string).' }),
    customerId: t.exposeID('customerId', {
      nullable: true,
      description: 'Id of the customer, or null once the customer was deleted.',
    }),
    status: t.expose('status', { type: OrderStatusEnum, description: 'Fulfilment status.' }),
    paymentStatus: t.expose('paymentStatus', { type: PaymentStatusEnum, description: 'Payment status.' }),
    totalAmount: t.expose('totalAmount', { type: 'SafeInt', description: 'Order total in minor units.' }),
    refundedAmount: t.expose('refundedAmount', { type: 'SafeInt', description: 'Refunded amount in minor units.' }),
    currency: t.exposeString('currency', { description: 'ISO 4217 currency code.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Creation time (UTC).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last update time (UTC).' }),
  }),
});

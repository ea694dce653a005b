import type { CustomerStats } from '../../domain/customers/customer-queries.js';
import { builder } from '../builder.js';

export const CustomerStatsType = builder.objectRef<CustomerStats>('CustomerStats').implement({
  description:
    'Purchase statistics of a customer over its counted orders (payment status PAID, PARTIALLY_PAID or PARTIALLY_REFUNDED), read from the customer row the database keeps up to date.',
  fields: (t) => ({
    totalSpent: t.field({
      type: 'SafeInt',
      description: 'Σ(total − refunded) of counted orders, in minor units added across currencies.',
      resolve: (s) => s.totalSpent,
    }),
    orderCount: t.exposeInt('orderCount', { description: 'Number of counted orders.' }),
    averageOrderValue: t.field({
      type: 'SafeInt',
      description:
        'totalSpent / orderCount rounded half away from zero (as PostgreSQL round(numeric)); 0 without counted orders.',
      resolve: (s) => s.averageOrderValue,
    }),
    firstOrderDate: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Creation time of the first counted order, or null when there is none.',
      resolve: (s) => s.firstOrderDate,
    }),
    lastOrderDate: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Creation time of the latest counted order, or null when there is none.',
      resolve: (s) => s.lastOrderDate,
    }),
  }),
});

import { builder } from '../builder.js';
import { CustomerStatusEnum } from './enums.js';

export const CustomerType = builder.prismaObject('Customer', {
  description: 'A customer of the shop. REST: the snake_case customer object.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Customer id (decimal string).' }),
    email: t.exposeString('email', { description: 'Email address, unique case-insensitively, stored as given.' }),
    firstName: t.exposeString('firstName', { description: 'First name; "" when not given.' }),
    lastName: t.exposeString('lastName', { description: 'Last name; "" when not given.' }),
    phone: t.exposeString('phone', { nullable: true, description: 'Phone number, or null.' }),
    status: t.expose('status', { type: CustomerStatusEnum, description: 'ACTIVE or INACTIVE.' }),
    userId: t.exposeID('userId', {
      nullable: true,
      description: 'Id of the linked site user (set by attach/detach), or null.',
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
  }),
});

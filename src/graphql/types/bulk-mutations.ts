/** Bulk actions over customers: status updates, deletion and export. */
import {
  type BulkAction,
  type BulkActionInput,
  bulkActionCost,
  runCustomerBulkAction,
} from '../../domain/customers/bulk-service.js';
import { AppError } from '../../errors.js';
import type { RateClass } from '../../rate-limit/limiter.js';
import { builder } from '../builder.js';
import type { Permission } from '../context.js';
import { exceedsClassMaximum, type RateLimitCost } from '../plugins/rate-limit.js';
import { CustomerBulkActionTypeEnum, CustomerStatusEnum, ExportFormatEnum } from './enums.js';
import { type CustomerBulkActionPayloadShape, CustomerBulkActionPayloadType } from './payloads.js';
import { userErrorsOf } from './user-error.js';

export const CustomerBulkActionInput = builder.inputType('CustomerBulkActionInput', {
  description: 'A bulk action and the customers it applies to.',
  fields: (t) => ({
    action: t.field({ type: CustomerBulkActionTypeEnum, required: true, description: 'What to do.' }),
    customerIds: t.idList({
      required: true,
      description:
        '1 to 1000 customer ids; duplicates are ignored. A malformed id rejects the whole request.',
    }),
    status: t.field({ type: CustomerStatusEnum, description: 'The new status; required for UPDATE_STATUS.' }),
    format: t.field({
      type: ExportFormatEnum,
      defaultValue: 'JSON',
      description: 'Export format (EXPORT only).',
    }),
  }),
});

/** The permission each action needs, and the rate-limit class it counts against. */
const permissionOf: Record<BulkAction, Permission> = {
  UPDATE_STATUS: 'customers/manage',
  DELETE: 'customers/delete',
  EXPORT: 'customers/view',
};
const rateClassOf: Record<BulkAction, RateClass> = {
  UPDATE_STATUS: 'update',
  DELETE: 'delete',
  EXPORT: 'read',
};

/** A bulk action costs its number of distinct ids. */
const costOf = (input: BulkActionInput): RateLimitCost => ({
  rateClass: rateClassOf[input.action],
  cost: bulkActionCost(input.customerIds),
});

const failed = (error: AppError): CustomerBulkActionPayloadShape => ({
  processed: 0,
  failed: 0,
  results: [],
  export: null,
  userErrors: userErrorsOf(error),
});

builder.mutationField('customerBulkAction', (t) =>
  t.field({
    type: CustomerBulkActionPayloadType,
    description:
      'Applies an action to each customer on its own and reports each; an unknown id fails with CUSTOMER_NOT_FOUND. DELETE keeps the orders (customer set to null). Needs customers/manage (UPDATE_STATUS), customers/delete (DELETE) or customers/view (EXPORT); counts its number of distinct ids against the update, delete or read budget.',
    args: { input: t.arg({ type: CustomerBulkActionInput, required: true, description: 'The action.' }) },
    authScopes: (_root, { input }) => ({ permission: permissionOf[input.action] }),
    rateLimit: ({ input }) => costOf(input),
    resolve: async (_root, { input }, ctx): Promise<CustomerBulkActionPayloadShape> => {
      const cost = costOf(input);
      // Such a request can never be admitted: an input error, not counted (the plugin skips it).
      if (exceedsClassMaximum(ctx.rateLimiter, cost)) {
        const max = ctx.rateLimiter?.settings.max[cost.rateClass];
        return failed(
          new AppError(
            'VALIDATION_ERROR',
            `${cost.cost} distinct ids exceed the ${cost.rateClass} limit of ${max} calls per window`,
            'customerIds',
          ),
        );
      }
      try {
        return { ...(await runCustomerBulkAction(ctx.db.prisma, input)), userErrors: [] };
      } catch (error) {
        if (error instanceof AppError) return failed(error);
        throw error;
      }
    },
  }),
);

/**
 * Mutation payloads. A write returns the id of what it wrote; the payload's entity field
 * then loads it once, after the write, with Pothos' selection (nested relations included),
 * so the response holds exactly what was asked for without per-field reads. Business
 * failures (AppError) become `userErrors` with a null entity; anything else propagates and
 * is masked.
 */

import type { GraphQLResolveInfo } from 'graphql';
import type { BulkOutcome, BulkResult } from '../../domain/customers/bulk-service.js';
import type { CustomerExport } from '../../domain/customers/export.js';
import { AppError, addressNotFound, customerNotFound } from '../../errors.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { nestedQuery } from '../selection.js';
import { ExportFormatEnum } from './enums.js';
import { type UserErrorShape, UserErrorType, userErrorsOf } from './user-error.js';

interface EntityPayloadShape {
  /** Id of the written entity, null when the mutation failed. */
  id: bigint | null;
  /** The entity as read right after the write with the client's selection (when selected). */
  entity?: unknown;
  /**
   * The Prisma query `entity` was read with: it serves the entity field only when the field's
   * own query is the same (two aliases of the field may select different subtrees).
   */
  entityQuery?: string;
  userErrors: UserErrorShape[];
}

/** Runs a write that yields an id; an AppError becomes the payload's userErrors. */
export async function entityPayload(write: () => Promise<bigint>): Promise<EntityPayloadShape> {
  try {
    return { id: await write(), userErrors: [] };
  } catch (error) {
    if (error instanceof AppError) return { id: null, userErrors: userErrorsOf(error) };
    throw error;
  }
}

/** How each payload entity is read by id, and how its absence is reported. */
const entityModels = {
  Customer: {
    field: 'customer',
    find: (ctx: GatewayContext, args: object) => ctx.db.prisma.customer.findUnique(args as never),
    notFound: customerNotFound,
  },
  CustomerAddress: {
    field: 'address',
    find: (ctx: GatewayContext, args: object) => ctx.db.prisma.customerAddress.findUnique(args as never),
    notFound: addressNotFound,
  },
} as const;

type EntityModel = keyof typeof entityModels;

/**
 * Runs a write, then reads the written entity once with the client's selection (Pothos'
 * query for the payload's entity field). A concurrent request may have deleted it in
 * between (e.g. a bulk delete of its customer): the payload then says so with a not-found
 * userError instead of a silent null.
 */
export async function writePayload(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  model: EntityModel,
  write: () => Promise<bigint>,
): Promise<EntityPayloadShape> {
  const payload = await entityPayload(write);
  if (payload.id === null) return payload;
  const { field, find, notFound } = entityModels[model];
  const query = nestedQuery(ctx, info, model, [[field]]);
  if (!query) return payload;
  const entity = await find(ctx, { ...(query as object), where: { id: payload.id } });
  if (entity) return { ...payload, entity, entityQuery: JSON.stringify(query) };
  return { id: null, entity: null, userErrors: userErrorsOf(notFound(payload.id)) };
}

/**
 * The payload's entity field: the entity `writePayload` read when the field's own query is
 * the one it was read with, else (another alias, another subtree) a read with this query.
 */
function resolveEntity(model: EntityModel) {
  return (query: object, payload: EntityPayloadShape, _args: unknown, ctx: GatewayContext) => {
    const selection = { ...query }; // read on both paths, for the unused-query check
    if (payload.entity !== undefined && payload.entityQuery === JSON.stringify(query)) {
      return payload.entity as never;
    }
    return payload.id === null
      ? null
      : (entityModels[model].find(ctx, { ...selection, where: { id: payload.id } }) as never);
  };
}

const userErrorsField = { description: 'Why the mutation failed; empty on success.' };

export const CustomerPayloadType = builder.objectRef<EntityPayloadShape>('CustomerPayload').implement({
  description: 'Result of a customer mutation: the customer as written, or userErrors.',
  fields: (t) => ({
    customer: t.prismaField({
      type: 'Customer',
      nullable: true,
      description: 'The customer after the write; null when the mutation failed.',
      resolve: resolveEntity('Customer'),
    }),
    userErrors: t.expose('userErrors', { type: [UserErrorType], ...userErrorsField }),
  }),
});

export const CustomerAddressPayloadType = builder
  .objectRef<EntityPayloadShape>('CustomerAddressPayload')
  .implement({
    description: 'Result of an address mutation: the address as written, or userErrors.',
    fields: (t) => ({
      address: t.prismaField({
        type: 'CustomerAddress',
        nullable: true,
        description: 'The address after the write; null when the mutation failed.',
        resolve: resolveEntity('CustomerAddress'),
      }),
      userErrors: t.expose('userErrors', { type: [UserErrorType], ...userErrorsField }),
    }),
  });

export const DeleteCustomerAddressPayloadType = builder
  .objectRef<EntityPayloadShape>('DeleteCustomerAddressPayload')
  .implement({
    description: 'Result of deleting an address.',
    fields: (t) => ({
      deletedAddressId: t.id({
        nullable: true,
        description: 'Id of the deleted address; null when the mutation failed.',
        resolve: (payload) => (payload.id === null ? null : String(payload.id)),
      }),
      userErrors: t.expose('userErrors', { type: [UserErrorType], ...userErrorsField }),
    }),
  });

// ---------------------------------------------------------------------------------------
// Bulk action
// ---------------------------------------------------------------------------------------

export type CustomerBulkActionPayloadShape = BulkOutcome & { userErrors: UserErrorShape[] };

export const CustomerBulkResultType = builder.objectRef<BulkResult>('CustomerBulkResult').implement({
  description: 'What happened to one customer of a bulk action.',
  fields: (t) => ({
    customerId: t.exposeID('customerId', { description: 'The customer id, as sent.' }),
    success: t.exposeBoolean('success', { description: 'Whether the action succeeded for this customer.' }),
    error: t.expose('error', {
      type: UserErrorType,
      nullable: true,
      description: 'Why it failed (e.g. CUSTOMER_NOT_FOUND); null on success.',
    }),
  }),
});

export const CustomerExportType = builder.objectRef<CustomerExport>('CustomerExport').implement({
  description: 'An export of customers, as text.',
  fields: (t) => ({
    format: t.expose('format', { type: ExportFormatEnum, description: 'CSV or JSON.' }),
    contentType: t.exposeString('contentType', {
      description: '`text/csv; charset=utf-8` or `application/json`.',
    }),
    content: t.exposeString('content', {
      description:
        'RFC 4180 CSV with the header `id,email,first_name,last_name,phone,status,total_spent,order_count,created_at,updated_at`, or a JSON array of REST customer objects.',
    }),
  }),
});

export const CustomerBulkActionPayloadType = builder
  .objectRef<CustomerBulkActionPayloadShape>('CustomerBulkActionPayload')
  .implement({
    description:
      'Result of a bulk action. A request-level fault (bad id list, missing status) gives userErrors and no results.',
    fields: (t) => ({
      processed: t.exposeInt('processed', { description: 'Customers the action succeeded for.' }),
      failed: t.exposeInt('failed', { description: 'Customers it failed for.' }),
      results: t.expose('results', {
        type: [CustomerBulkResultType],
        description: 'One entry per distinct id, in the order first sent.',
      }),
      export: t.expose('export', {
        type: CustomerExportType,
        nullable: true,
        description: 'The export (EXPORT only): the customers found, in the order sent.',
      }),
      userErrors: t.expose('userErrors', { type: [UserErrorType], ...userErrorsField }),
    }),
  });

/**
 * Per-request batching for fields resolved once per parent row. `Customer.orders` on a page of
 * customers becomes ONE statement (per distinct page/perPage) instead of one per customer, and
 * `Order.customer` on a page of orders one `findMany` (order rows come from raw SQL, so Pothos
 * cannot preload that relation): the
 * loads of one execution tick are collected and sent together, like `dataloader` does
 * (dispatch after the promise jobs of the tick have run).
 */
import { createContextCache } from '@pothos/core';
import { type CustomerSelection, customersByIds } from '../domain/customers/customer-queries.js';
import { loadOrderPages, type OrderPage } from '../domain/customers/order-loader.js';
import { type PageRequest, paginationOf } from '../domain/pagination.js';
import type { Customer } from '../generated/prisma/client.js';
import type { GatewayContext } from './context.js';

/** Collects `load(key)` calls of one tick and resolves them from one `run(keys)`. */
export class BatchLoader<Key, Value> {
  private pending: { key: Key; resolve: (value: Value) => void; reject: (error: unknown) => void }[] | null =
    null;

  constructor(private readonly run: (keys: Key[]) => Promise<(key: Key) => Value>) {}

  load(key: Key): Promise<Value> {
    return new Promise<Value>((resolve, reject) => {
      if (this.pending === null) {
        this.pending = [];
        void Promise.resolve().then(() => process.nextTick(() => this.dispatch()));
      }
      this.pending.push({ key, resolve, reject });
    });
  }

  private dispatch(): void {
    const batch = this.pending ?? [];
    this.pending = null;
    this.run(batch.map((b) => b.key)).then(
      (lookup) => {
        for (const b of batch) b.resolve(lookup(b.key));
      },
      (error: unknown) => {
        for (const b of batch) b.reject(error);
      },
    );
  }
}

/** One loader per (page, perPage, countTotal) per request. */
const orderPageLoaders = createContextCache(
  (_context: GatewayContext) => new Map<string, BatchLoader<bigint, OrderPage>>(),
);

/** The customer's page of orders, batched with the other customers' of this tick. */
export function loadCustomerOrderPage(
  context: GatewayContext,
  customerId: bigint,
  page: PageRequest,
  countTotal: boolean,
): Promise<OrderPage> {
  const loaders = orderPageLoaders(context);
  const key = `${page.page}:${page.perPage}:${countTotal}`;
  let loader = loaders.get(key);
  if (!loader) {
    loader = new BatchLoader(async (customerIds) => {
      const unique = [...new Set(customerIds)];
      const pages = await loadOrderPages(context.db.prisma, unique, page, { countTotal });
      // A customer deleted meanwhile has no orders to show.
      return (id) => pages.get(id.toString()) ?? { orders: [], pagination: paginationOf(page, 0) };
    });
    loaders.set(key, loader);
  }
  return loader.load(customerId);
}

/** One loader per distinct selection per request (the rows of one path share a selection). */
const customerLoaders = createContextCache(
  (_context: GatewayContext) => new Map<string, BatchLoader<bigint, Customer | null>>(),
);

/**
 * The customer `id` with the Prisma selection `query`, batched with the other loads of this
 * tick that share the selection: one `findMany … id IN` for all of them.
 */
export function loadCustomer(
  context: GatewayContext,
  id: bigint,
  query: CustomerSelection,
): Promise<Customer | null> {
  const loaders = customerLoaders(context);
  const key = JSON.stringify(query);
  let loader = loaders.get(key);
  if (!loader) {
    loader = new BatchLoader(async (ids) => {
      const rows = await customersByIds(context.db.prisma, [...new Set(ids)], query);
      const byId = new Map(rows.map((row) => [row.id.toString(), row]));
      return (customerId) => byId.get(customerId.toString()) ?? null;
    });
    loaders.set(key, loader);
  }
  return loader.load(id);
}

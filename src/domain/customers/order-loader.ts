/**
 * Pages of orders for many customers in ONE statement, limited in SQL: a lateral subquery per
 * customer takes `LIMIT perPage OFFSET offset` rows in (created_at DESC, id DESC) order from
 * the (customer_id, created_at DESC, id DESC) index, so a customer with 10,000 orders costs no
 * more rows than one with five. The customer's order count rides along in the same statement.
 * Customers that do not exist get no entry in the result.
 */
import {
  type Order,
  type OrderStatus,
  type PaymentStatus,
  Prisma,
  type PrismaClient,
} from '../../generated/prisma/client.js';
import { type PageRequest, type Pagination, paginationOf } from '../pagination.js';

export interface OrderPage {
  orders: Order[];
  pagination: Pagination;
}

export interface OrderPageOptions {
  /** Count each customer's orders for `pagination.total` (default true). */
  countTotal?: boolean;
}

/** Database labels of the order enums (`@map`) to their Prisma names. */
const orderStatuses: Record<string, OrderStatus> = {
  pending: 'PENDING',
  processing: 'PROCESSING',
  'on-hold': 'ON_HOLD',
  completed: 'COMPLETED',
  canceled: 'CANCELED',
  refunded: 'REFUNDED',
  failed: 'FAILED',
};
const paymentStatuses: Record<string, PaymentStatus> = {
  pending: 'PENDING',
  paid: 'PAID',
  partially_paid: 'PARTIALLY_PAID',
  partially_refunded: 'PARTIALLY_REFUNDED',
  refunded: 'REFUNDED',
  failed: 'FAILED',
};

interface OrderPageRow {
  owner_id: bigint;
  total: number | null;
  id: bigint | null;
  customer_id: bigint | null;
  status: string | null;
  payment_status: string | null;
  total_amount: bigint | null;
  refunded_amount: bigint | null;
  currency: string | null;
  created_at: Date | null;
  updated_at: Date | null;
}

/**
 * The requested page of orders (newest first, ties by id desc) of each customer, keyed by the
 * customer id's decimal string. When `countTotal` is false, `pagination.total` is 0.
 */
export async function loadOrderPages(
  prisma: PrismaClient,
  customerIds: readonly bigint[],
  page: PageRequest,
  options: OrderPageOptions = {},
): Promise<Map<string, OrderPage>> {
  const pages = new Map<string, OrderPage>();
  if (customerIds.length === 0) return pages;
  const total =
    options.countTotal === false
      ? Prisma.sql`NULL::int`
      : Prisma.sql`(SELECT count(*)::int FROM orders AS n WHERE n.customer_id = c.id)`;
  const rows = await prisma.$queryRaw<OrderPageRow[]>(Prisma.sql`
    SELECT c.id AS owner_id, ${total} AS total,
           o.id, o.customer_id, o.status::text AS status, o.payment_status::text AS payment_status,
           o.total_amount, o.refunded_amount, o.currency, o.created_at, o.updated_at
      FROM customers AS c
      LEFT JOIN LATERAL (
        SELECT * FROM orders AS x
         WHERE x.customer_id = c.id
         ORDER BY x.created_at DESC, x.id DESC
         LIMIT ${page.perPage} OFFSET ${BigInt(page.offset)}
      ) AS o ON true
     WHERE c.id = ANY (${[...customerIds]}::bigint[])
     ORDER BY c.id, o.created_at DESC, o.id DESC`);

  const orders = new Map<string, Order[]>();
  const totals = new Map<string, number>();
  for (const row of rows) {
    const key = row.owner_id.toString();
    totals.set(key, row.total ?? 0);
    const list = orders.get(key) ?? [];
    orders.set(key, list);
    if (row.id !== null) list.push(orderOf(row));
  }
  for (const [key, list] of orders) {
    pages.set(key, { orders: list, pagination: paginationOf(page, totals.get(key) ?? 0) });
  }
  return pages;
}

function orderOf(row: OrderPageRow): Order {
  const status = orderStatuses[row.status ?? ''];
  const paymentStatus = paymentStatuses[row.payment_status ?? ''];
  if (!status || !paymentStatus) {
    throw new Error(`Unknown order status ${row.status}/${row.payment_status} on order ${row.id}`);
  }
  return {
    id: row.id as bigint,
    customerId: row.customer_id,
    status,
    paymentStatus,
    totalAmount: row.total_amount as bigint,
    refundedAmount: row.refunded_amount as bigint,
    currency: row.currency as string,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

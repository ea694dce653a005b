/**
 * Fixture data for the read-side tests: customers, addresses, users and orders written
 * straight to the database (orders by raw SQL; the stats triggers keep customers up to date).
 */
import { Prisma } from '../../src/generated/prisma/client.js';
import type { TestGateway } from '../support/gateway.js';

export interface CustomerSeed {
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string | null;
  status?: 'ACTIVE' | 'INACTIVE';
  createdAt: string;
  updatedAt?: string;
  userId?: bigint | null;
}

export interface OrderSeed {
  paymentStatus?: 'pending' | 'paid' | 'partially_paid' | 'partially_refunded' | 'refunded' | 'failed';
  status?: 'pending' | 'processing' | 'on-hold' | 'completed' | 'canceled' | 'refunded' | 'failed';
  total: number | bigint;
  refunded?: number | bigint;
  currency?: string;
  createdAt: string;
}

export async function insertCustomer(gw: TestGateway, seed: CustomerSeed) {
  return gw.db.prisma.customer.create({
    data: {
      email: seed.email,
      firstName: seed.firstName ?? '',
      lastName: seed.lastName ?? '',
      phone: seed.phone ?? null,
      status: seed.status ?? 'ACTIVE',
      userId: seed.userId ?? null,
      createdAt: new Date(seed.createdAt),
      updatedAt: new Date(seed.updatedAt ?? seed.createdAt),
    },
  });
}

export async function insertOrders(
  gw: TestGateway,
  customerId: bigint,
  orders: OrderSeed[],
): Promise<bigint[]> {
  if (orders.length === 0) return [];
  const values = orders.map(
    (o) =>
      Prisma.sql`(${customerId}::bigint, ${o.status ?? 'completed'}::order_status, ${o.paymentStatus ?? 'paid'}::payment_status,
        ${BigInt(o.total)}::bigint, ${BigInt(o.refunded ?? 0)}::bigint, ${o.currency ?? 'EUR'}, ${new Date(o.createdAt)}::timestamptz,
        ${new Date(o.createdAt)}::timestamptz)`,
  );
  const rows = await gw.db.prisma.$queryRaw<{ id: bigint }[]>(Prisma.sql`
    INSERT INTO orders (customer_id, status, payment_status, total_amount, refunded_amount, currency, created_at, updated_at)
    VALUES ${Prisma.join(values)} RETURNING id`);
  return rows.map((r) => r.id);
}

/** `count` paid orders of 100 cents, one a minute back from `newest`, in one statement. */
export async function insertManyOrders(gw: TestGateway, customerId: bigint, count: number, newest: string) {
  await gw.db.prisma.$executeRaw(Prisma.sql`
    INSERT INTO orders (customer_id, status, payment_status, total_amount, currency, created_at, updated_at)
    SELECT ${customerId}::bigint, 'completed', 'paid', 100, 'EUR',
           ${new Date(newest)}::timestamptz - g * interval '1 minute', ${new Date(newest)}::timestamptz
      FROM generate_series(0, ${count - 1}) AS g`);
}

export async function insertAddress(
  gw: TestGateway,
  customerId: bigint,
  data: { type: 'BILLING' | 'SHIPPING'; isPrimary: boolean; city?: string },
) {
  return gw.db.prisma.customerAddress.create({
    data: {
      customerId,
      type: data.type,
      isPrimary: data.isPrimary,
      address1: '1 Main St',
      city: data.city ?? 'Berlin',
      country: 'DE',
    },
  });
}

export async function insertUser(gw: TestGateway, login: string, email: string, displayName = '') {
  return gw.db.prisma.user.create({ data: { login, email, displayName } });
}

/** The top-level error of a GraphQL response (HTTP 200, data null or partial). */
export function topError(body: { errors?: { message: string; extensions?: Record<string, any> }[] }) {
  const [error] = body.errors ?? [];
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(body)}`);
  return error;
}

/**
 * Transactions of the customer services: the customer row lock that serializes every write
 * to one customer (address book, merges, links), and recognition of unique violations.
 */
import { customerNotFound } from '../../errors.js';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { ParsedId } from '../ids.js';

export type Tx = Prisma.TransactionClient;

/** What the lock reads of the customer row, plus the database clock. */
export interface LockedCustomer {
  id: bigint;
  userId: bigint | null;
  additionalInfo: unknown;
  /** The transaction's `now()`: every `updated_at` a write sets comes from the database clock. */
  now: Date;
}

// Waiting for the pool (PostgreSQL) or for PGlite's single connection, then for the row lock:
// generous bounds, so that a burst of writes to one customer queues instead of failing.
const transactionOptions = { maxWait: 15_000, timeout: 30_000 };

/**
 * Runs `work` in one transaction that first locks the customer row, or throws
 * CUSTOMER_NOT_FOUND (naming the id as the caller sent it). `FOR NO KEY UPDATE` serializes the writers of one customer (it conflicts
 * with itself and with deletion) without blocking the `KEY SHARE` locks that foreign-key
 * checks of concurrent order inserts take; a later UPDATE of `user_id` upgrades it.
 */
export async function withLockedCustomer<T>(
  prisma: PrismaClient,
  id: ParsedId,
  sentId: string | number,
  work: (tx: Tx, customer: LockedCustomer) => Promise<T>,
): Promise<T> {
  if (id === 'out-of-range') throw customerNotFound(String(sentId));
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<
      { id: bigint; user_id: bigint | null; additional_info: unknown; now: Date }[]
    >`
      SELECT id, user_id, additional_info, now() AS now FROM customers WHERE id = ${id} FOR NO KEY UPDATE`;
    const row = rows[0];
    if (!row) throw customerNotFound(String(sentId));
    return work(tx, { id: row.id, userId: row.user_id, additionalInfo: row.additional_info, now: row.now });
  }, transactionOptions);
}

interface DriverAdapterCause {
  kind?: string;
  constraint?: { fields?: string[]; index?: string };
}

/**
 * Whether `error` is a unique violation of `column` on `customers` (Prisma's P2002 from the
 * query builder or P2010 from raw SQL). The adapters describe the constraint differently:
 * PGlite by its fields, `pg` by the index name.
 */
export function isUniqueViolation(error: unknown, column: 'email' | 'user_id'): boolean {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: DriverAdapterCause } } } | null)?.meta;
  const cause = meta?.driverAdapterError?.cause;
  if (cause?.kind !== 'UniqueConstraintViolation') return false;
  const { fields, index } = cause.constraint ?? {};
  return Boolean(fields?.includes(column) || index === `customers_${column}_key`);
}

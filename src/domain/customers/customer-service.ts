/**
 * Creating and updating customers. Each function validates the whole input first (every
 * failing field at once), then writes; it returns the customer's id, and the caller reads
 * the row back with whatever selection it needs.
 */
import { AppError } from '../../errors.js';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { isUniqueViolation, withLockedCustomer } from './transactions.js';
import {
  asJsonObject,
  type CustomerCreateInput,
  type CustomerUpdateInput,
  checkAdditionalInfoSize,
  checkCustomerChanges,
  checkNewCustomer,
  Failures,
  type JsonObject,
  mergeAdditionalInfo,
} from './validation.js';

const emailTaken = () => new AppError('INVALID_EMAIL', 'A customer with this email already exists', 'email');

/** The unique index on `email` (citext) decides duplicates, also between concurrent requests. */
function rethrowDuplicateEmail(error: unknown): never {
  if (isUniqueViolation(error, 'email')) throw emailTaken();
  throw error;
}

export async function createCustomer(prisma: PrismaClient, input: CustomerCreateInput): Promise<bigint> {
  const failures = new Failures();
  const values = checkNewCustomer(failures, input);
  failures.throwIfAny();
  const row = await prisma.customer
    .create({
      data: { ...values, additionalInfo: values.additionalInfo as Prisma.InputJsonObject },
      select: { id: true },
    })
    .catch(rethrowDuplicateEmail);
  return row.id;
}

/**
 * Partial update: only the columns sent are written (concurrent updates of other columns
 * survive), `additionalInfo` is merged under the row lock, and `updated_at` is set.
 */
export async function updateCustomer(
  prisma: PrismaClient,
  sentId: string | number,
  input: CustomerUpdateInput,
): Promise<bigint> {
  const failures = new Failures();
  const id = failures.id(sentId, 'id');
  const { additionalInfo: patch, ...columns } = checkCustomerChanges(failures, input);
  failures.throwIfAny();
  return withLockedCustomer(prisma, id!, sentId, async (tx, customer) => {
    const data: Prisma.CustomerUpdateInput = { ...columns, updatedAt: customer.now };
    if (patch) data.additionalInfo = mergedAdditionalInfo(customer.additionalInfo, patch);
    await tx.customer.update({ where: { id: customer.id }, data, select: { id: true } });
    return customer.id;
  }).catch(rethrowDuplicateEmail);
}

/** Merges into the stored additional info (keys sent as null are removed); ≤ 16 KiB. */
export function updateCustomerAdditionalInfo(
  prisma: PrismaClient,
  sentId: string | number,
  patch: JsonObject,
): Promise<bigint> {
  return updateCustomer(prisma, sentId, { additionalInfo: patch });
}

function mergedAdditionalInfo(stored: unknown, patch: JsonObject): Prisma.InputJsonObject {
  const merged = mergeAdditionalInfo(asJsonObject(stored), patch);
  const failures = new Failures();
  checkAdditionalInfoSize(failures, 'additionalInfo', merged);
  failures.throwIfAny();
  return merged as Prisma.InputJsonObject;
}

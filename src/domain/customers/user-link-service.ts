/**
 * Linking a customer to a site user (customers.user_id, unique). Attach: an unknown user or
 * one linked to another customer is INVALID_USER; a customer linked to a different user is
 * VALIDATION_ERROR (detach first); the same pair again succeeds without a write. Detach
 * clears the link and is idempotent. Both lock the customer row; the unique index settles
 * two customers racing for one user.
 */
import { AppError } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { isUniqueViolation, withLockedCustomer } from './transactions.js';
import { Failures } from './validation.js';

type SentId = string | number;

const userLinkedElsewhere = () =>
  new AppError('INVALID_USER', 'The user is already linked to another customer', 'userId');

export async function attachUserToCustomer(
  prisma: PrismaClient,
  sentCustomerId: SentId,
  sentUserId: SentId,
): Promise<bigint> {
  const failures = new Failures();
  const customerId = failures.id(sentCustomerId, 'customerId');
  const userId = failures.id(sentUserId, 'userId');
  failures.throwIfAny();
  return withLockedCustomer(prisma, customerId!, sentCustomerId, async (tx, customer) => {
    const user =
      userId === 'out-of-range'
        ? null
        : await tx.user.findUnique({
            where: { id: userId! },
            select: { id: true, customer: { select: { id: true } } },
          });
    if (!user) throw new AppError('INVALID_USER', `User with ID ${sentUserId} not found`, 'userId');
    if (user.customer && user.customer.id !== customer.id) throw userLinkedElsewhere();
    if (customer.userId === user.id) return customer.id;
    if (customer.userId !== null) {
      throw new AppError(
        'VALIDATION_ERROR',
        `The customer is already linked to user ${customer.userId}; detach it first`,
        'userId',
      );
    }
    await tx.customer.update({
      where: { id: customer.id },
      data: { userId: user.id, updatedAt: customer.now },
      select: { id: true },
    });
    return customer.id;
  }).catch((error: unknown) => {
    if (isUniqueViolation(error, 'user_id')) throw userLinkedElsewhere();
    throw error;
  });
}

export async function detachUserFromCustomer(prisma: PrismaClient, sentCustomerId: SentId): Promise<bigint> {
  const failures = new Failures();
  const customerId = failures.id(sentCustomerId, 'customerId');
  failures.throwIfAny();
  return withLockedCustomer(prisma, customerId!, sentCustomerId, async (tx, customer) => {
    if (customer.userId !== null) {
      await tx.customer.update({
        where: { id: customer.id },
        data: { userId: null, updatedAt: customer.now },
        select: { id: true },
      });
    }
    return customer.id;
  });
}

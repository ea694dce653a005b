/**
 * The address book. Every operation runs in one transaction that first locks the customer
 * row, so the rules below hold under concurrency (the partial unique index
 * `customer_addresses_one_primary_per_type` backs the first one):
 * - at most one primary per (customer, type), and exactly one whenever the type has addresses;
 * - the first address of a type becomes primary; `isPrimary: true` (create, update) and
 *   make-primary demote the previous primary — demotion runs first, then promotion;
 * - `isPrimary: false` for the current primary of its type is a VALIDATION_ERROR;
 * - changing the type applies the rules to both types;
 * - deleting (or moving away) the primary promotes the remaining address of that type with
 *   the latest `updated_at`, ties to the highest id;
 * - demotion and promotion set `updated_at`.
 * An address of another customer is ADDRESS_NOT_FOUND.
 */
import { AppError, addressNotFound } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { AddressType } from '../../generated/prisma/enums.js';
import type { ParsedId } from '../ids.js';
import { type LockedCustomer, type Tx, withLockedCustomer } from './transactions.js';
import {
  type AddressCreateInput,
  type AddressUpdateInput,
  checkAddressChanges,
  checkNewAddress,
  Failures,
} from './validation.js';

type SentId = string | number;

export async function createCustomerAddress(
  prisma: PrismaClient,
  sentCustomerId: SentId,
  input: AddressCreateInput,
): Promise<bigint> {
  const failures = new Failures();
  const customerId = failures.id(sentCustomerId, 'customerId');
  const { isPrimary, ...values } = checkNewAddress(failures, input);
  failures.throwIfAny();
  return withLockedCustomer(prisma, customerId!, sentCustomerId, async (tx, customer) => {
    if (isPrimary) await demotePrimary(tx, customer.id, values.type, customer.now);
    const becomesPrimary = isPrimary || !(await hasPrimary(tx, customer.id, values.type));
    const row = await tx.customerAddress.create({
      data: { ...values, customerId: customer.id, isPrimary: becomesPrimary },
      select: { id: true },
    });
    return row.id;
  });
}

export async function updateCustomerAddress(
  prisma: PrismaClient,
  sentCustomerId: SentId,
  sentAddressId: SentId,
  input: AddressUpdateInput,
): Promise<bigint> {
  const check = (failures: Failures) => checkAddressChanges(failures, input);
  return withLockedAddress(
    prisma,
    sentCustomerId,
    sentAddressId,
    check,
    async (tx, customer, address, changes) => {
      const { isPrimary, ...values } = changes;
      const type = values.type ?? address.type;
      const movesType = type !== address.type;
      const primaryOfItsType = address.isPrimary && !movesType;
      if (isPrimary === false && primaryOfItsType) {
        throw new AppError(
          'VALIDATION_ERROR',
          'The primary address cannot be unset; make another address of this type primary instead',
          'isPrimary',
        );
      }
      if (isPrimary === true && !primaryOfItsType) await demotePrimary(tx, customer.id, type, customer.now);
      // Moved into another type without a request, it becomes primary only as the first there.
      const becomesPrimary =
        isPrimary === true || primaryOfItsType || (movesType && !(await hasPrimary(tx, customer.id, type)));
      await tx.customerAddress.update({
        where: { id: address.id },
        data: { ...values, isPrimary: becomesPrimary, updatedAt: customer.now },
        select: { id: true },
      });
      if (movesType && address.isPrimary) await promoteLatest(tx, customer.id, address.type, customer.now);
      return address.id;
    },
  );
}

export async function deleteCustomerAddress(
  prisma: PrismaClient,
  sentCustomerId: SentId,
  sentAddressId: SentId,
): Promise<bigint> {
  return withLockedAddress(prisma, sentCustomerId, sentAddressId, noInput, async (tx, customer, address) => {
    await tx.customerAddress.delete({ where: { id: address.id }, select: { id: true } });
    if (address.isPrimary) await promoteLatest(tx, customer.id, address.type, customer.now);
    return address.id;
  });
}

/** Make-primary: demotes the current primary of the address's type; a no-op when already primary. */
export async function setPrimaryCustomerAddress(
  prisma: PrismaClient,
  sentCustomerId: SentId,
  sentAddressId: SentId,
): Promise<bigint> {
  return withLockedAddress(prisma, sentCustomerId, sentAddressId, noInput, async (tx, customer, address) => {
    if (!address.isPrimary) {
      await demotePrimary(tx, customer.id, address.type, customer.now);
      await tx.customerAddress.update({
        where: { id: address.id },
        data: { isPrimary: true, updatedAt: customer.now },
        select: { id: true },
      });
    }
    return address.id;
  });
}

interface FoundAddress {
  id: bigint;
  type: AddressType;
  isPrimary: boolean;
}

const noInput = () => undefined;

/**
 * The frame of every operation on an existing address: both ids and the input are checked
 * together (every failing field reported at once), then `work` runs in the customer's locked
 * transaction with the address, which must belong to that customer (else ADDRESS_NOT_FOUND).
 */
async function withLockedAddress<Checked, T>(
  prisma: PrismaClient,
  sentCustomerId: SentId,
  sentAddressId: SentId,
  check: (failures: Failures) => Checked,
  work: (tx: Tx, customer: LockedCustomer, address: FoundAddress, checked: Checked) => Promise<T>,
): Promise<T> {
  const failures = new Failures();
  const customerId = failures.id(sentCustomerId, 'customerId');
  const addressId = failures.id(sentAddressId, 'addressId');
  const checked = check(failures);
  failures.throwIfAny();
  return withLockedCustomer(prisma, customerId!, sentCustomerId, async (tx, customer) =>
    work(tx, customer, await findAddress(tx, customer.id, addressId!, sentAddressId), checked),
  );
}

async function findAddress(
  tx: Tx,
  customerId: bigint,
  addressId: ParsedId,
  sentId: SentId,
): Promise<FoundAddress> {
  const address =
    addressId === 'out-of-range'
      ? null
      : await tx.customerAddress.findFirst({
          where: { id: addressId, customerId },
          select: { id: true, type: true, isPrimary: true },
        });
  if (!address) throw addressNotFound(String(sentId));
  return address;
}

async function hasPrimary(tx: Tx, customerId: bigint, type: AddressType): Promise<boolean> {
  const primary = await tx.customerAddress.findFirst({
    where: { customerId, type, isPrimary: true },
    select: { id: true },
  });
  return primary !== null;
}

async function demotePrimary(tx: Tx, customerId: bigint, type: AddressType, now: Date): Promise<void> {
  await tx.customerAddress.updateMany({
    where: { customerId, type, isPrimary: true },
    data: { isPrimary: false, updatedAt: now },
  });
}

/** Promotes the address of `type` with the latest `updated_at` (ties: highest id), if any. */
async function promoteLatest(tx: Tx, customerId: bigint, type: AddressType, now: Date): Promise<void> {
  const next = await tx.customerAddress.findFirst({
    where: { customerId, type },
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    select: { id: true },
  });
  if (next) {
    await tx.customerAddress.update({
      where: { id: next.id },
      data: { isPrimary: true, updatedAt: now },
      select: { id: true },
    });
  }
}

/**
 * The data the REST tests (and the documented examples) run against, reset on demand:
 * - user 1 `admin`, the administrator of the test gateway (its application password is
 *   re-created), user 2 `janesmith`, a `customer`-role user linked to nobody;
 * - customer 1 John Doe with address 1 (billing, primary) and address 2 (shipping,
 *   primary) and two paid orders; customers 2 and 3;
 * - optionally users with other roles and known passwords, for permission tests.
 * Reset = TRUNCATE … RESTART IDENTITY CASCADE, inserts with explicit ids, sequences moved
 * past them (so the next address is 3, as in the documentation).
 */
import { hashPassword } from '../../src/auth/passwords.js';
import { ensureAdministrator } from '../../src/db/bootstrap.js';
import type { Database } from '../../src/db/database.js';
import type { Role } from '../../src/graphql/context.js';
import { ADMIN_LOGIN, ADMIN_PASSWORD, basicAuth } from '../support/gateway.js';

const at = (iso: string) => new Date(iso);

export async function resetFixture(db: Database): Promise<void> {
  const tables = await db.prisma.$queryRawUnsafe<{ tablename: string }[]>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
  );
  await db.prisma.$executeRawUnsafe(
    `TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`,
  );

  await db.prisma.user.createMany({
    data: [
      {
        id: 1n,
        login: ADMIN_LOGIN,
        email: 'admin@example.com',
        displayName: 'Site Admin',
        role: 'ADMINISTRATOR',
      },
      {
        id: 2n,
        login: 'janesmith',
        email: 'jane.smith@example.com',
        displayName: 'Jane Smith',
        role: 'CUSTOMER',
      },
    ],
  });
  await db.prisma.customer.createMany({
    data: [
      {
        id: 1n,
        email: 'john.doe@example.com',
        firstName: 'John',
        lastName: 'Doe',
        phone: '+1234567890',
        status: 'ACTIVE',
        additionalInfo: { company: 'Example Corp' },
        createdAt: at('2024-01-01T10:00:00Z'),
        updatedAt: at('2024-01-15T14:30:00Z'),
      },
      {
        id: 2n,
        email: 'alice.brown@example.com',
        firstName: 'Alice',
        lastName: 'Brown',
        status: 'ACTIVE',
        createdAt: at('2024-02-01T09:00:00Z'),
        updatedAt: at('2024-02-01T09:00:00Z'),
      },
      {
        id: 3n,
        email: 'bob.green@example.com',
        firstName: 'Bob',
        lastName: 'Green',
        status: 'INACTIVE',
        createdAt: at('2024-03-01T09:00:00Z'),
        updatedAt: at('2024-03-01T09:00:00Z'),
      },
    ],
  });
  await db.prisma.customerAddress.createMany({
    data: [
      {
        id: 1n,
        customerId: 1n,
        type: 'BILLING',
        firstName: 'John',
        lastName: 'Doe',
        address1: '123 Main St',
        city: 'New York',
        state: 'NY',
        postcode: '10001',
        country: 'US',
        isPrimary: true,
        createdAt: at('2024-01-01T10:00:00Z'),
        updatedAt: at('2024-01-01T10:00:00Z'),
      },
      {
        id: 2n,
        customerId: 1n,
        type: 'SHIPPING',
        firstName: 'John',
        lastName: 'Doe',
        address1: '456 Oak Ave',
        city: 'Brooklyn',
        state: 'NY',
        postcode: '11201',
        country: 'US',
        isPrimary: true,
        createdAt: at('2024-01-01T10:00:00Z'),
        updatedAt: at('2024-01-01T10:00:00Z'),
      },
    ],
  });
  await db.prisma.order.createMany({
    data: [
      {
        id: 1n,
        customerId: 1n,
        status: 'COMPLETED',
        paymentStatus: 'PAID',
        totalAmount: 2500n,
        currency: 'USD',
        createdAt: at('2024-01-01T10:00:00Z'),
        updatedAt: at('2024-01-01T10:00:00Z'),
      },
      {
        id: 2n,
        customerId: 1n,
        status: 'PROCESSING',
        paymentStatus: 'PAID',
        totalAmount: 2500n,
        currency: 'USD',
        createdAt: at('2024-01-15T14:30:00Z'),
        updatedAt: at('2024-01-15T14:30:00Z'),
      },
    ],
  });
  for (const table of ['users', 'customers', 'customer_addresses', 'orders']) {
    await db.prisma.$executeRawUnsafe(
      `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT max(id) FROM "${table}"))`,
    );
  }
  await ensureAdministrator(db, ADMIN_LOGIN, ADMIN_PASSWORD);
}

/** A user of `role` with a known application password; returns its Basic credentials. */
export async function userWithRole(db: Database, login: string, role: Role): Promise<string> {
  const password = `${login}-password-0001`;
  const user = await db.prisma.user.upsert({
    where: { login },
    create: { login, email: `${login}@example.com`, displayName: login, role },
    update: { role },
  });
  await db.prisma.applicationPassword.create({
    data: { userId: user.id, name: 'test', hash: await hashPassword(password) },
  });
  return basicAuth(login, password);
}

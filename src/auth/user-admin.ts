/**
 * Account management behind `npm run users`: site users, their roles and application
 * passwords. New passwords are returned once and stored only as hashes.
 */
import type { Database } from '../db/database.js';
import type { Role } from '../graphql/context.js';
import { generateApplicationPassword, hashPassword } from './passwords.js';

export const roles: readonly Role[] = ['ADMINISTRATOR', 'SHOP_MANAGER', 'VIEWER', 'CUSTOMER'];

export class UserAdminError extends Error {}

export function parseRole(value: string): Role {
  const role = value.toUpperCase().replace(/-/g, '_') as Role;
  if (!roles.includes(role)) {
    throw new UserAdminError(
      `unknown role "${value}" (one of ${roles.map((r) => r.toLowerCase()).join(', ')})`,
    );
  }
  return role;
}

async function userId(db: Database, login: string): Promise<bigint> {
  const user = await db.prisma.user.findUnique({ where: { login }, select: { id: true } });
  if (!user) throw new UserAdminError(`no user with login "${login}"`);
  return user.id;
}

export async function createUser(
  db: Database,
  input: { login: string; email: string; displayName?: string; role: Role },
): Promise<{ id: bigint }> {
  if (await db.prisma.user.findUnique({ where: { login: input.login }, select: { id: true } })) {
    throw new UserAdminError(`a user with login "${input.login}" exists`);
  }
  return db.prisma.user.create({
    data: {
      login: input.login,
      email: input.email,
      displayName: input.displayName ?? input.login,
      role: input.role,
    },
    select: { id: true },
  });
}

export async function listUsers(db: Database) {
  return db.prisma.user.findMany({
    orderBy: { id: 'asc' },
    select: {
      id: true,
      login: true,
      email: true,
      displayName: true,
      role: true,
      customer: { select: { id: true } },
      applicationPasswords: { select: { id: true, name: true, createdAt: true }, orderBy: { id: 'asc' } },
    },
  });
}

export async function setRole(db: Database, login: string, role: Role): Promise<void> {
  await db.prisma.user.update({ where: { id: await userId(db, login) }, data: { role } });
}

/** Adds an application password and returns it: the only time it can be seen. */
export async function addPassword(
  db: Database,
  login: string,
  name: string,
): Promise<{ id: bigint; password: string }> {
  const id = await userId(db, login);
  const password = generateApplicationPassword();
  const created = await db.prisma.applicationPassword.create({
    data: { userId: id, name, hash: await hashPassword(password) },
    select: { id: true },
  });
  return { id: created.id, password };
}

/** Revokes a password by id or name; its sessions end with it (cascade). */
export async function revokePassword(db: Database, login: string, idOrName: string): Promise<number> {
  const id = await userId(db, login);
  const where = /^[0-9]+$/.test(idOrName)
    ? { userId: id, id: BigInt(idOrName) }
    : { userId: id, name: idOrName };
  const { count } = await db.prisma.applicationPassword.deleteMany({ where });
  if (count === 0) throw new UserAdminError(`"${login}" has no application password "${idOrName}"`);
  return count;
}

/** Deletes a user; its customer stays, unlinked (customers.user_id ON DELETE SET NULL). */
export async function deleteUser(db: Database, login: string): Promise<void> {
  await db.prisma.user.delete({ where: { id: await userId(db, login) } });
}

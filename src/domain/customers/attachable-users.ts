/**
 * Users that can be attached to a customer: every user linked to no customer, optionally
 * searched (case-insensitive substring of login, email or display name), oldest first (by id),
 * paginated (default 20, max 100). Page of ids + total in one raw statement, then hydration
 * with the caller's selection.
 */

import { type ErrorDetail, validationFailure } from '../../errors.js';
import { Prisma, type PrismaClient, type User } from '../../generated/prisma/client.js';
import { type Pagination, pageRequest, paginationOf } from '../pagination.js';
import { containsPattern, searchTerm } from './list-params.js';

export type UserSelection = { select?: Prisma.UserSelect; include?: Prisma.UserInclude };

export interface AttachableUsersRequest {
  search?: string | null;
  page?: number | null;
  perPage?: number | null;
}

export interface UserList {
  users: User[];
  pagination: Pagination;
}

/** `query` null: only the pagination is wanted, no rows are loaded. */
export async function listAttachableUsers(
  prisma: PrismaClient,
  request: AttachableUsersRequest,
  query: UserSelection | null = {},
): Promise<UserList> {
  const problems: ErrorDetail[] = [];
  const page = pageRequest(request, 20, problems);
  const search = searchTerm(request.search, problems);
  if (!page || problems.length > 0) throw validationFailure(problems);
  const conditions = [Prisma.sql`NOT EXISTS (SELECT 1 FROM customers AS c WHERE c.user_id = u.id)`];
  if (search !== null) {
    const pattern = containsPattern(search);
    conditions.push(
      Prisma.sql`(u.user_login ILIKE ${pattern} OR u.user_email ILIKE ${pattern} OR u.display_name ILIKE ${pattern})`,
    );
  }
  const where = Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}`;
  const rows = await prisma.$queryRaw<{ total: number; id: bigint | null }[]>(Prisma.sql`
    SELECT t.total, p.id
      FROM (SELECT count(*)::int AS total FROM users AS u ${where}) AS t
      LEFT JOIN (
        SELECT u.id FROM users AS u ${where} ORDER BY u.id LIMIT ${page.perPage} OFFSET ${BigInt(page.offset)}
      ) AS p ON true
     ORDER BY p.id`);
  const ids = rows.flatMap((r) => (r.id === null ? [] : [r.id]));
  let users: User[] = [];
  if (query !== null && ids.length > 0) {
    const found = (await prisma.user.findMany({ ...query, where: { id: { in: ids } } })) as User[];
    const byId = new Map(found.map((u) => [u.id.toString(), u]));
    users = ids.flatMap((id) => byId.get(id.toString()) ?? []);
  }
  return { users, pagination: paginationOf(page, rows[0]?.total ?? 0) };
}

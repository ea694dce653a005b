import { listAttachableUsers, type UserList } from '../../domain/customers/attachable-users.js';
import { builder } from '../builder.js';
import { rethrowAppError } from '../errors.js';
import { readPolicy } from '../policies.js';
import { nestedQuery } from '../selection.js';
import { UserRoleEnum } from './enums.js';
import { PaginationType } from './pagination.js';

export const UserType = builder.prismaObject('User', {
  description: 'A site account (a WordPress user). REST: id, user_login, user_email, display_name, role.',
  // Select mode: only the columns a query asks for are loaded.
  select: {},
  fields: (t) => ({
    // BIGINT columns arrive as bigint, which graphql 16's ID scalar cannot serialize.
    id: t.id({ description: 'User id (decimal string).', select: { id: true }, resolve: (u) => `${u.id}` }),
    login: t.exposeString('login', { description: 'Login name (REST `user_login`).' }),
    email: t.exposeString('email', { description: 'Email address (REST `user_email`).' }),
    displayName: t.exposeString('displayName', { description: 'Display name (REST `display_name`).' }),
    role: t.expose('role', { type: UserRoleEnum, description: 'Role; decides API permissions.' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.prismaField({
    type: 'User',
    nullable: true,
    authScopes: { authenticated: true },
    rateLimit: 'read',
    description: 'The authenticated user making this request.',
    resolve: (query, _root, _args, ctx) =>
      ctx.principal ? ctx.db.prisma.user.findUnique({ ...query, where: { id: ctx.principal.userId } }) : null,
  }),
);

export const UserListType = builder.objectRef<UserList>('UserList').implement({
  description: 'A page of users with its pagination.',
  fields: (t) => ({
    users: t.field({
      type: [UserType],
      description: 'The users of the page, by id.',
      resolve: (l) => l.users,
    }),
    pagination: t.field({
      type: PaginationType,
      description: 'Where the page sits in the whole list.',
      resolve: (l) => l.pagination,
    }),
  }),
});

builder.queryField('attachableUsers', (t) =>
  t.field({
    type: UserListType,
    ...readPolicy,
    description:
      'Users linked to no customer (candidates for attachUserToCustomer), by id, paginated (default 20, max 100).',
    args: {
      search: t.arg.string({
        description: 'Case-insensitive substring of the login, email or display name.',
      }),
      page: t.arg.int({ defaultValue: 1, description: 'Page number, from 1.' }),
      perPage: t.arg.int({
        defaultValue: 20,
        description: 'Users per page, 1 or more; above 100 means 100.',
      }),
    },
    resolve: (_root, args, context, info) =>
      listAttachableUsers(context.db.prisma, args, nestedQuery(context, info, 'User', [['users']])).catch(
        rethrowAppError,
      ),
  }),
);

import { builder } from '../builder.js';
import { UserRoleEnum } from './enums.js';

export const UserType = builder.prismaObject('User', {
  description: 'A site account (a WordPress user). REST: id, user_login, user_email, display_name, role.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'User id (decimal string).' }),
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
    description: 'The authenticated user making this request.',
    resolve: (query, _root, _args, ctx) =>
      ctx.principal ? ctx.db.prisma.user.findUnique({ ...query, where: { id: ctx.principal.userId } }) : null,
  }),
);

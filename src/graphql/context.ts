import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { RateLimitContext } from './plugins/rate-limit.js';

export type Role = 'ADMINISTRATOR' | 'SHOP_MANAGER' | 'VIEWER' | 'CUSTOMER';
export type Permission = 'customers/view' | 'customers/manage' | 'customers/delete';

/** The authenticated caller. */
export interface Principal {
  userId: bigint;
  login: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
}

export const permissionsOf: Record<Role, readonly Permission[]> = {
  ADMINISTRATOR: ['customers/view', 'customers/manage', 'customers/delete'],
  SHOP_MANAGER: ['customers/view', 'customers/manage'],
  VIEWER: ['customers/view'],
  CUSTOMER: [],
};

export function principalFor(user: { id: bigint; login: string; role: Role }): Principal {
  return {
    userId: user.id,
    login: user.login,
    role: user.role,
    permissions: new Set(permissionsOf[user.role]),
  };
}

/** What every resolver receives. */
export interface GatewayContext extends RateLimitContext {
  db: Database;
  principal: Principal | null;
  requestId: string;
  logger: Logger;
}

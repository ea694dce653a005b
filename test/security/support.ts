/**
 * Helpers of the security tests: callers of every role (made with the account tools of
 * src/auth/user-admin.ts), the REST paths of the route table, and the shapes of the
 * authentication and permission refusals on both surfaces.
 */
import { expect } from 'vitest';
import { addPassword, createUser } from '../../src/auth/user-admin.js';
import type { Database } from '../../src/db/database.js';
import type { Role } from '../../src/graphql/context.js';
import type { RestRoute } from '../../src/rest/route.js';
import { routes } from '../../src/rest/routes.js';
import { basicAuth, type HttpResult } from '../support/gateway.js';

export const V2 = '/wp-json/fluent-cart/v2';

export type Caller = 'anonymous' | 'customer' | 'viewer' | 'shop_manager' | 'administrator';
export const callers: readonly Caller[] = [
  'anonymous',
  'customer',
  'viewer',
  'shop_manager',
  'administrator',
];

export interface Account {
  login: string;
  password: string;
  /** The Basic Authorization header; null for the anonymous caller. */
  auth: string | null;
}

/** A user of each role with one application password; the anonymous caller has none. */
export async function createCallers(db: Database, prefix: string): Promise<Record<Caller, Account>> {
  const accounts = { anonymous: { login: '', password: '', auth: null } } as Record<Caller, Account>;
  for (const caller of callers) {
    if (caller === 'anonymous') continue;
    const login = `${prefix}-${caller}`;
    await createUser(db, { login, email: `${login}@example.com`, role: caller.toUpperCase() as Role });
    const { password } = await addPassword(db, login, 'security tests');
    accounts[caller] = { login, password, auth: basicAuth(login, password) };
  }
  return accounts;
}

export function routeNamed(name: string): RestRoute {
  const route = routes.find((r) => r.name === name);
  if (!route) throw new Error(`no REST route named ${name}`);
  return route;
}

/** The v2 path of a route with every `{param}` (all of them customer ids) filled in. */
export function restPath(route: RestRoute, customerId?: bigint | number | string, query = ''): string {
  return `${V2}${route.path.replace(/\{[^}]+\}/g, String(customerId))}${query}`;
}

/** Headers of a response but the ones that differ on every request. */
export function stableHeaders(headers: Headers): Record<string, string> {
  const volatile = new Set(['x-request-id', 'date', 'ratelimit-reset']);
  return Object.fromEntries([...headers].filter(([name]) => !volatile.has(name.toLowerCase())));
}

export function expectUnauthenticated(res: HttpResult, surface: 'graphql' | 'rest'): void {
  expect(res.status, res.text).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+"/);
  if (surface === 'graphql') expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  else expect(res.body.error?.code).toBe('unauthenticated');
  expect(res.text).not.toMatch(/"data"\s*:\s*\{/);
}

/** GraphQL refusal: HTTP 200, one top-level INSUFFICIENT_PERMISSIONS at the field, no data for it. */
export function expectGraphQLForbidden(res: HttpResult, field: string): void {
  expect(res.status, res.text).toBe(200);
  expect(res.body.errors, res.text).toHaveLength(1);
  expect(res.body.errors[0].extensions.code).toBe('INSUFFICIENT_PERMISSIONS');
  expect(res.body.errors[0].path).toEqual([field]);
  // null (a nullable field) or no data at all (a non-null one) — never an empty list.
  expect(res.body.data === null || res.body.data?.[field] === null, res.text).toBe(true);
}

export function expectRestForbidden(res: HttpResult): void {
  expect(res.status, res.text).toBe(403);
  expect(res.body).toEqual({
    success: false,
    error: { code: 'insufficient_permissions', message: expect.any(String) },
  });
}

/**
 * The permission and rate-limit class of each root field, declared on the field itself
 * (`...readPolicy`, `...managePolicy('update')`): scope-auth checks the permission (403
 * INSUFFICIENT_PERMISSIONS) before the rate-limit plugin counts the call (429 RATE_LIMITED).
 * The contract's table: customers/view — every read and the export; customers/manage —
 * create, update, additional info, address create/update/make-primary, attach, detach,
 * bulk status; customers/delete — address delete and bulk delete.
 */
import type { RateClass } from '../rate-limit/limiter.js';
import type { Permission } from './context.js';

export const readPolicy = { authScopes: { permission: 'customers/view' }, rateLimit: 'read' } as const;

export function writePolicy<P extends Permission, C extends RateClass>(permission: P, rateClass: C) {
  return { authScopes: { permission }, rateLimit: rateClass } as const;
}

/**
 * The Pothos schema builder: plugins, scalars and the context type. It defines no object
 * types; those live in `types/<entity>.ts`, and `schema.ts` assembles them.
 */
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, Kind } from 'graphql';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { GatewayContext, Permission } from './context.js';
import RateLimitPlugin from './plugins/rate-limit.js';

export interface BuilderOptions {
  /** Fail when a resolver ignores Pothos' `query` selection (tests turn this on). */
  onUnusedQuery?: 'error' | 'warn' | null;
}

export const builderOptions: BuilderOptions = {};

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: {
    /** The caller's role grants this permission. */
    permission: Permission;
    /** Any authenticated caller. */
    authenticated: boolean;
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    SafeInt: { Input: number; Output: number | bigint };
    JSONObject: { Input: Record<string, unknown>; Output: unknown };
  };
}>({
  // scope-auth first: plugins wrap resolvers in reverse order, so permissions are checked
  // (403) before the rate limiter counts the call (429).
  plugins: [ScopeAuthPlugin, RateLimitPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      permission: (permission) => ctx.principal?.permissions.has(permission) ?? false,
      authenticated: ctx.principal !== null,
    }),
    unauthorizedError: () =>
      new GraphQLError('Sorry, you are not allowed to do that.', {
        extensions: { code: 'INSUFFICIENT_PERMISSIONS' },
      }),
  },
  prisma: {
    client: (ctx) => ctx.db.prisma as PrismaClient,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    // A getter: the test harness switches this on after the schema module has loaded.
    get onUnusedQuery() {
      return builderOptions.onUnusedQuery ?? null;
    },
  },
});

/** ISO 8601 UTC with `Z`, second precision: `2024-01-01T10:00:00Z`. */
export function formatDateTime(value: Date): string {
  return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

builder.scalarType('DateTime', {
  description: 'An instant in UTC, ISO 8601 with `Z` and second precision: `2024-01-01T10:00:00Z`.',
  serialize: (value) => formatDateTime(value instanceof Date ? value : new Date(value)),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO 8601 string');
    return date;
  },
});

builder.scalarType('SafeInt', {
  description: 'An integer within ±(2^53 − 1), serialized as a JSON number. Money is in minor units (cents).',
  serialize: (value) => {
    const n = typeof value === 'bigint' ? Number(value) : value;
    if (!Number.isSafeInteger(n)) throw new GraphQLError(`SafeInt cannot represent ${String(value)}`);
    return n;
  },
  parseValue: (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new GraphQLError('SafeInt must be an integer within ±(2^53 − 1)');
    }
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw new GraphQLError('SafeInt must be an integer literal');
    const n = Number(ast.value);
    if (!Number.isSafeInteger(n)) throw new GraphQLError('SafeInt must be within ±(2^53 − 1)');
    return n;
  },
});

builder.scalarType('JSONObject', {
  description: 'A JSON object (not an array, not a scalar).',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new GraphQLError('JSONObject must be a JSON object');
    }
    return value as Record<string, unknown>;
  },
});

builder.queryType({ description: 'Reads. Every field needs the `customers/view` permission.' });

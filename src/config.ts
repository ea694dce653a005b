/**
 * Typed configuration, parsed once from the environment by `loadConfig` and passed in.
 * No other module reads `process.env`. Every key is documented in the README's table.
 */
import { z } from 'zod';
import type { QueryLimits } from './graphql/query-limits.js';
import type { RateLimitSettings } from './rate-limit/limiter.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** `https://shop.example,http://localhost:3000`: exact origins, no path, no wildcard. */
const originList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine(
          (o) => /^https?:\/\/[^/\s*]+$/i.test(o) && URL.canParse(o),
          'must be origins like https://shop.example',
        ),
    ),
  )
  // As browsers send them: lower case, no default port.
  .transform((origins) => origins.map((o) => new URL(o).origin));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  DATA_DIR: z.string().default('./data'),
  MIGRATE_ON_START: bool.default(true),
  SEED_DEMO: bool.optional(),
  ADMIN_USER: z.string().min(1).max(60).optional(),
  ADMIN_APP_PASSWORD: z.string().min(8).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(30_000),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .default(8 * 3600),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  RATE_LIMIT_REDIS_PREFIX: z.string().min(1).max(100).default('fcgw:rl:'),
  RATE_LIMIT_ENABLED: bool.default(true),
  RATE_LIMIT_WINDOW: z.coerce.number().int().min(1).default(3600),
  RATE_LIMIT_READS: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_CREATES: z.coerce.number().int().min(1).default(50),
  RATE_LIMIT_UPDATES: z.coerce.number().int().min(1).default(200),
  RATE_LIMIT_DELETES: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_ON_REDIS_ERROR: z.enum(['open', 'closed']).default('open'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).default(10),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(15),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(1).default(5000),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(25_000),
  GRAPHQL_MAX_BATCH: z.coerce.number().int().min(1).default(10),
  CORS_ORIGINS: originList.default([]),
});

export interface Config {
  port: number;
  host: string;
  /** Set: real PostgreSQL through @prisma/adapter-pg; unset: embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  migrateOnStart: boolean;
  seedDemo: boolean;
  admin: { login: string; password: string } | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  shutdownTimeoutMs: number;
  /** How long a verified credential is trusted without re-hashing (≤ 60 s). */
  authCacheTtlMs: number;
  /** Signs session cookies; unset: random per process (sessions do not survive restarts or
   * work across instances). */
  sessionSecret: string | undefined;
  sessionTtlMs: number;
  /** Bearer token that may scrape /metrics (administrators may too). */
  metricsToken: string | undefined;
  /** Shared rate-limit store for several instances; unset: in-process memory. */
  redisUrl: string | undefined;
  /** Key prefix of the rate-limit budgets in Redis (separates deployments sharing a Redis). */
  rateLimitRedisPrefix: string;
  rateLimit: RateLimitSettings;
  queryLimits: QueryLimits;
  /** Browser origins allowed to call the API cross-origin (with credentials); empty: CORS off. */
  corsOrigins: string[];
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.ADMIN_USER === undefined) !== (e.ADMIN_APP_PASSWORD === undefined)) {
    throw new ConfigError('Invalid configuration: ADMIN_USER and ADMIN_APP_PASSWORD go together');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: e.DATA_DIR,
    migrateOnStart: e.MIGRATE_ON_START,
    seedDemo: e.SEED_DEMO ?? e.DATABASE_URL === undefined,
    admin:
      e.ADMIN_USER && e.ADMIN_APP_PASSWORD
        ? { login: e.ADMIN_USER, password: e.ADMIN_APP_PASSWORD }
        : undefined,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    authCacheTtlMs: e.AUTH_CACHE_TTL_MS,
    sessionSecret: e.SESSION_SECRET,
    sessionTtlMs: e.SESSION_TTL * 1000,
    metricsToken: e.METRICS_TOKEN,
    redisUrl: e.REDIS_URL,
    rateLimitRedisPrefix: e.RATE_LIMIT_REDIS_PREFIX,
    rateLimit: {
      enabled: e.RATE_LIMIT_ENABLED,
      windowMs: e.RATE_LIMIT_WINDOW * 1000,
      max: {
        read: e.RATE_LIMIT_READS,
        create: e.RATE_LIMIT_CREATES,
        update: e.RATE_LIMIT_UPDATES,
        delete: e.RATE_LIMIT_DELETES,
      },
      onStoreError: e.RATE_LIMIT_ON_REDIS_ERROR,
    },
    queryLimits: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxCost: e.GRAPHQL_MAX_COST,
      maxBatch: e.GRAPHQL_MAX_BATCH,
    },
    corsOrigins: e.CORS_ORIGINS,
  };
}

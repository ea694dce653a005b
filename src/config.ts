/**
 * Typed configuration, parsed once from the environment by `loadConfig` and passed in.
 * No other module reads `process.env`. Every key is documented in the README's table.
 */
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

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
  };
}

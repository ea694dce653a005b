/**
 * `npm start`: read the configuration, open the database (PGlite in DATA_DIR unless
 * DATABASE_URL is set), apply pending migrations, bootstrap accounts and demo data, serve.
 */

import type { Redis } from 'ioredis';
import { ConfigError, loadConfig } from './config.js';
import { bootstrap } from './db/bootstrap.js';
import { DataDirBusyError } from './db/data-dir-lock.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrations.js';
import { createLogger } from './logger.js';
import type { LockingStore } from './rate-limit/store.js';

/** How long after the drain timeout a shutdown that is stuck releasing resources is cut short. */
const SHUTDOWN_GRACE_MS = 1_500;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // The GraphQL schema and HTTP layers load while the database opens (PGlite compiles its
  // Wasm off the main thread), which shortens a cold start; Redis code only when configured.
  const serving = Promise.all([import('./gateway.js'), import('./http/server.js')]);
  const limiting = config.redisUrl
    ? Promise.all([import('./rate-limit/redis.js'), import('./rate-limit/redis-store.js')])
    : undefined;
  const db = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    onConnectionError: (error) =>
      logger.warn({ err: error.message }, 'database connection lost; the pool reconnects on demand'),
  });
  logger.info(
    { database: db.kind, dataDir: db.kind === 'pglite' ? config.dataDir : undefined },
    'database opened',
  );

  if (config.migrateOnStart) {
    const applied = await migrate(db, (m) => logger.debug({ engine: m }, 'schema engine'));
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  await bootstrap(db, config, logger);

  const [{ createGateway }, { listen }] = await serving;
  let redis: Redis | undefined;
  let rateLimitStore: LockingStore | undefined;
  if (config.redisUrl && limiting) {
    const [{ connectRedis }, { RedisStore }] = await limiting;
    redis = await connectRedis(config.redisUrl, logger);
    rateLimitStore = new RedisStore(redis, config.rateLimitRedisPrefix);
  }
  const gateway = createGateway({ config, db, logger, rateLimitStore });
  const running = await listen(gateway, config.port, config.host);
  logger.info(
    { port: running.port, host: config.host },
    `gateway listening on http://localhost:${running.port}/graphql`,
  );

  // Graceful shutdown: stop accepting (new connections refused, requests on kept-alive ones
  // 503), let in-flight requests finish within SHUTDOWN_TIMEOUT_MS, release Redis and the
  // database, exit 0. Closing what is already broken (the database is down) is logged, not
  // fatal; should anything hang, the process exits 1 shortly after the drain timeout.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    setTimeout(() => {
      logger.error('shutdown did not complete in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + SHUTDOWN_GRACE_MS).unref();
    await running.shutdown(config.shutdownTimeoutMs, () =>
      logger.info('stopped accepting: new requests are refused'),
    );
    const release: [string, () => unknown][] = [
      ['gateway', () => gateway.dispose()],
      ['redis', () => redis?.disconnect()],
      ['database', () => db.close()],
    ];
    for (const [what, close] of release) {
      try {
        await close();
      } catch (error) {
        logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          `closing ${what} failed`,
        );
      }
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirBusyError) {
    console.error(error.message);
  } else {
    console.error('Failed to start:', error);
  }
  process.exit(1);
});

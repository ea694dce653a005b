/**
 * `npm start`: read the configuration, open the database (PGlite in DATA_DIR unless
 * DATABASE_URL is set), apply pending migrations, bootstrap accounts and demo data, serve.
 */

import { ConfigError, loadConfig } from './config.js';
import { bootstrap } from './db/bootstrap.js';
import { DataDirBusyError } from './db/data-dir-lock.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrations.js';
import { createGateway } from './gateway.js';
import { listen } from './http/server.js';
import { createLogger } from './logger.js';
import { connectRedis } from './rate-limit/redis.js';
import { RedisStore } from './rate-limit/redis-store.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
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

  const redis = config.redisUrl ? await connectRedis(config.redisUrl, logger) : undefined;
  const gateway = createGateway({
    config,
    db,
    logger,
    rateLimitStore: redis ? new RedisStore(redis, config.rateLimitRedisPrefix) : undefined,
  });
  const running = await listen(gateway, config.port, config.host);
  logger.info(
    { port: running.port, host: config.host },
    `gateway listening on http://localhost:${running.port}/graphql`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    await running.shutdown(config.shutdownTimeoutMs);
    await gateway.dispose();
    redis?.disconnect();
    await db.close();
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

import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/**
 * A Redis client for the rate-limit store. Commands fail fast while Redis is unreachable
 * (no offline queue, one retry), so the limiter can fail open or closed at once instead of
 * hanging requests; the client keeps reconnecting in the background and recovers on its own.
 */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let healthy = true;
  redis.on('error', (error) => {
    if (healthy) logger.warn({ err: error.message }, 'redis unreachable; reconnecting');
    healthy = false;
  });
  redis.on('ready', () => {
    if (!healthy) logger.info('redis reconnected');
    healthy = true;
  });
  await redis.connect().catch((error: Error) => {
    logger.warn(
      { err: error.message },
      'redis unreachable at start; rate limiting follows RATE_LIMIT_ON_REDIS_ERROR',
    );
  });
  return redis;
}

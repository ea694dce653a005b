/**
 * The Redis store against the real Redis (REDIS_URL, default 127.0.0.1:6379): several
 * clients (as several gateway instances would be) never admit more than max per window.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { RateLimitedError, RateLimiter, type RateLimitSettings } from '../../src/rate-limit/limiter.js';
import { connectRedis } from '../../src/rate-limit/redis.js';
import { RedisStore } from '../../src/rate-limit/redis-store.js';
import { type Identity, LockLostError } from '../../src/rate-limit/store.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger('silent');
const clients: Redis[] = [];

async function client(url = REDIS_URL): Promise<Redis> {
  const redis = await connectRedis(url, logger);
  clients.push(redis);
  return redis;
}

afterAll(async () => {
  for (const c of clients) c.disconnect();
});

const settings = (max: number, onStoreError: 'open' | 'closed' = 'open'): RateLimitSettings => ({
  enabled: true,
  windowMs: 60_000,
  max: { read: max, create: max, update: max, delete: max },
  onStoreError,
});

describe('RedisStore', () => {
  it('when three clients fire 3× the limit concurrently, then exactly max are admitted', async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const limiters = (await Promise.all([client(), client(), client()])).map(
      (redis) => new RateLimiter(new RedisStore(redis, prefix), settings(15), logger),
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: 45 }, (_, i) => limiters[i % 3]!.consume('user:7', 'update')),
    );
    const admitted = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.filter(
      (o) => o.status === 'rejected' && o.reason instanceof RateLimitedError,
    ).length;
    expect({ admitted, refused }).toEqual({ admitted: 15, refused: 30 });
  });

  it('when a holder outlives its lock and another caller decides meanwhile, then the late write is refused and nothing is overwritten', async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const redis = await client();
    const [slow, fast] = [new RedisStore(redis, prefix), new RedisStore(redis, prefix)];
    const identity = { contextIdentity: 'user:9', fieldIdentity: 'update' } as Identity;
    await slow.getForIdentity(identity);
    // The slow holder is starved past the lock's lifetime: its lock expires …
    await redis.del(`${prefix}user:9:update:lock`);
    // … and another caller reads, decides and writes.
    expect(await fast.getForIdentity(identity)).toEqual([]);
    await fast.setForIdentity(identity, [1000]);
    await expect(slow.setForIdentity(identity, [2000])).rejects.toBeInstanceOf(LockLostError);
    expect(JSON.parse((await redis.get(`${prefix}user:9:update`)) ?? 'null')).toEqual([1000]);
  });

  it('when the lock is lost between read and write, then the limiter decides again and counts the call once', async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const redis = await client();
    const store = new RedisStore(redis, prefix);
    let stolen = false;
    const starved = {
      getForIdentity: async (identity: Identity) => {
        const timestamps = await store.getForIdentity(identity);
        if (!stolen) {
          stolen = true;
          await redis.del(`${prefix}${identity.contextIdentity}:${identity.fieldIdentity}:lock`);
        }
        return timestamps;
      },
      setForIdentity: store.setForIdentity.bind(store),
    };
    const limiter = new RateLimiter(starved, settings(2), logger);
    await expect(limiter.consume('user:3', 'create')).resolves.toMatchObject({ remaining: 1 });
    expect(stolen).toBe(true);
    expect(JSON.parse((await redis.get(`${prefix}user:3:create`)) ?? '[]')).toHaveLength(1);
  });

  it('when Redis is unreachable and failing open, then calls are admitted', async () => {
    const down = await client('redis://127.0.0.1:1');
    const limiter = new RateLimiter(new RedisStore(down), settings(1, 'open'), logger);
    await expect(limiter.consume('u', 'read')).resolves.toBeUndefined();
    await expect(limiter.consume('u', 'read')).resolves.toBeUndefined();
  });

  it('when Redis is unreachable and failing closed, then SERVICE_UNAVAILABLE', async () => {
    const down = await client('redis://127.0.0.1:1');
    const limiter = new RateLimiter(new RedisStore(down), settings(1, 'closed'), logger);
    await expect(limiter.consume('u', 'read')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});

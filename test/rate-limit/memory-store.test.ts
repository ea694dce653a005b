import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { RateLimitedError, RateLimiter, type RateLimitSettings } from '../../src/rate-limit/limiter.js';
import { MemoryStore } from '../../src/rate-limit/memory-store.js';

const settings = (max: number, windowMs = 60_000): RateLimitSettings => ({
  enabled: true,
  windowMs,
  max: { read: max, create: max, update: max, delete: max },
  onStoreError: 'open',
});
const logger = createLogger('silent');

async function fire(limiter: RateLimiter, identity: string, calls: number, cost = 1) {
  const outcomes = await Promise.allSettled(
    Array.from({ length: calls }, () => limiter.consume(identity, 'read', cost)),
  );
  return {
    admitted: outcomes.filter((o) => o.status === 'fulfilled').length,
    refused: outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof RateLimitedError).length,
  };
}

describe('MemoryStore with the limiter', () => {
  it('when 3× the limit arrive concurrently, then exactly max are admitted', async () => {
    const limiter = new RateLimiter(new MemoryStore(), settings(10), logger);
    expect(await fire(limiter, 'user:1', 30)).toEqual({ admitted: 10, refused: 20 });
  });

  it('budgets are per identity and per class', async () => {
    const limiter = new RateLimiter(new MemoryStore(), settings(2), logger);
    await limiter.consume('user:1', 'read');
    await limiter.consume('user:1', 'read');
    await expect(limiter.consume('user:1', 'read')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limiter.consume('user:1', 'update')).resolves.toMatchObject({ remaining: 1 });
    await expect(limiter.consume('user:2', 'read')).resolves.toMatchObject({ remaining: 1 });
  });

  it('refused calls are not counted, and a cost counts as that many calls', async () => {
    const limiter = new RateLimiter(new MemoryStore(), settings(5), logger);
    await expect(limiter.consume('u', 'read', 4)).resolves.toMatchObject({ remaining: 1 });
    await expect(limiter.consume('u', 'read', 2)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(limiter.consume('u', 'read', 1)).resolves.toMatchObject({ remaining: 0 });
  });

  it('reports Retry-After from the oldest counted call', async () => {
    const limiter = new RateLimiter(new MemoryStore(), settings(1, 30_000), logger);
    await limiter.consume('u', 'read');
    const error = await limiter.consume('u', 'read').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(30);
  });

  it('keeps one entry per identity and evicts identities whose window has passed', async () => {
    let now = 1_000_000;
    const store = new MemoryStore(() => now, 1_000);
    for (let i = 0; i < 50; i++) {
      await store.getForIdentity({ contextIdentity: `user:${i}`, fieldIdentity: 'read' });
      await store.setForIdentity({ contextIdentity: `user:${i}`, fieldIdentity: 'read' }, [now], 10_000);
    }
    expect(store.size).toBe(50);
    now += 10_001;
    store.sweep();
    expect(store.size).toBe(0);
  });

  it('is off when disabled', async () => {
    const limiter = new RateLimiter(new MemoryStore(), { ...settings(1), enabled: false }, logger);
    expect(await fire(limiter, 'u', 5)).toEqual({ admitted: 5, refused: 0 });
  });
});

/**
 * Redis store shared by every gateway instance. Atomic across processes: `getForIdentity`
 * takes a per-identity lock (`SET lock NX PX` with a random token, retried for a bounded
 * time), and `setForIdentity` writes the timestamps and releases the lock in one Lua script
 * that first checks the token. A holder whose lock expired meanwhile (a process starved for
 * longer than LOCK_TTL_MS) writes nothing and gets LockLostError: the token is a fence, so a
 * late write can neither overwrite a newer decision nor be admitted uncounted.
 * graphql-rate-limit's own RedisStore (GET, filter in JS, SET) over-admits under concurrency.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type Identity, keyOf, type LockingStore, LockLostError, StoreUnavailableError } from './store.js';

const LOCK_TTL_MS = 2_000;
const LOCK_WAIT_MS = 3_000;

const WRITE_AND_UNLOCK = `
if redis.call('GET', KEYS[2]) == ARGV[1] then
  if ARGV[3] == '' then
    redis.call('DEL', KEYS[1])
  else
    redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
  end
  redis.call('DEL', KEYS[2])
  return 1
end
return 0
`;

export class RedisStore implements LockingStore {
  /** Lock tokens held by this process, per key (the limiter writes right after it reads). */
  private readonly tokens = new Map<string, string[]>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'fcgw:rl:',
  ) {}

  async getForIdentity(identity: Identity): Promise<readonly number[]> {
    const key = this.prefix + keyOf(identity);
    const token = randomBytes(12).toString('base64');
    try {
      const deadline = Date.now() + LOCK_WAIT_MS;
      let delay = 2;
      while ((await this.redis.set(`${key}:lock`, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new Error(`lock wait for ${key} exceeded ${LOCK_WAIT_MS} ms`);
        await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
        delay = Math.min(delay * 2, 50);
      }
      this.tokens.set(key, [...(this.tokens.get(key) ?? []), token]);
      const raw = await this.redis.get(key);
      return raw ? (JSON.parse(raw) as number[]) : [];
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  async setForIdentity(identity: Identity, timestamps: readonly number[], windowMs = 60_000): Promise<void> {
    const key = this.prefix + keyOf(identity);
    const held = this.tokens.get(key) ?? [];
    const token = held.shift();
    if (held.length === 0) this.tokens.delete(key);
    if (!token) return;
    let written: unknown;
    try {
      written = await this.redis.eval(
        WRITE_AND_UNLOCK,
        2,
        key,
        `${key}:lock`,
        token,
        String(windowMs),
        timestamps.length > 0 ? JSON.stringify(timestamps) : '',
      );
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
    if (written !== 1) throw new LockLostError(key);
  }
}

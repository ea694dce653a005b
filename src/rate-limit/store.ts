/**
 * graphql-rate-limit reads an identity's timestamps (`getForIdentity`), decides, then writes
 * them back (`setForIdentity`). Two concurrent calls for one identity would both read before
 * either writes and both be admitted. Our stores therefore hold a per-identity lock from the
 * read to the write, making read-decide-write one step. The limiter always writes after it
 * reads (we never use `readOnly`); the lock also expires on its own as a safety net, and a
 * write whose lock expired meanwhile is refused with LockLostError so the caller decides again
 * instead of being admitted uncounted.
 */
import type { Store } from 'graphql-rate-limit';

export type Identity = Parameters<Store['getForIdentity']>[0];

export interface LockingStore {
  getForIdentity(identity: Identity): Promise<readonly number[]>;
  setForIdentity(identity: Identity, timestamps: readonly number[], windowMs?: number): Promise<void>;
}

export function keyOf(identity: Identity): string {
  return `${identity.contextIdentity}:${identity.fieldIdentity}`;
}

/** Raised when a store cannot be reached (Redis down); the limiter fails open or closed. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`rate-limit store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The write came after the lock had expired (the holder was starved for longer than the lock's
 * lifetime): another caller may have decided on the same timestamps, so nothing was written
 * and the whole read-decide-write must run again.
 */
export class LockLostError extends Error {
  constructor(key: string) {
    super(`rate-limit lock on ${key} expired before the write`);
    this.name = 'LockLostError';
  }
}

/**
 * In-process store: one entry per identity (not one state object copied on every write, as
 * graphql-rate-limit's InMemoryStore does, whose cost grows with the number of callers), a
 * mutex per identity held from read to write, and eviction of identities whose window has
 * passed.
 */
import { type Identity, keyOf, type LockingStore } from './store.js';

interface Entry {
  timestamps: readonly number[];
  expiresAt: number;
}

/** A holder that never writes back must not block its identity forever. */
const LOCK_TIMEOUT_MS = 5_000;

/** FIFO mutex; the lock is handed straight to the next waiter, so it is never up for grabs. */
class Mutex {
  private readonly waiters: (() => void)[] = [];
  private holder = 0;
  private nextTicket = 1;
  private timer: NodeJS.Timeout | undefined;

  get idle(): boolean {
    return this.holder === 0;
  }

  acquire(): Promise<void> {
    if (this.holder === 0) {
      this.grant();
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiters.push(() => {
        this.grant();
        resolve();
      }),
    );
  }

  release(ticket = this.holder): void {
    if (ticket === 0 || ticket !== this.holder) return;
    clearTimeout(this.timer);
    const next = this.waiters.shift();
    if (next) next();
    else this.holder = 0;
  }

  private grant(): void {
    const ticket = this.nextTicket++;
    this.holder = ticket;
    this.timer = setTimeout(() => this.release(ticket), LOCK_TIMEOUT_MS);
    this.timer.unref();
  }
}

export class MemoryStore implements LockingStore {
  private readonly entries = new Map<string, Entry>();
  private readonly locks = new Map<string, Mutex>();
  private lastSweep = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sweepEveryMs = 60_000,
  ) {}

  /** Identities currently kept (tests check that expired ones go). */
  get size(): number {
    return this.entries.size;
  }

  async getForIdentity(identity: Identity): Promise<readonly number[]> {
    const key = keyOf(identity);
    let mutex = this.locks.get(key);
    if (!mutex) {
      mutex = new Mutex();
      this.locks.set(key, mutex);
    }
    await mutex.acquire();
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > this.now() ? entry.timestamps : [];
  }

  async setForIdentity(identity: Identity, timestamps: readonly number[], windowMs = 60_000): Promise<void> {
    const key = keyOf(identity);
    if (timestamps.length === 0) this.entries.delete(key);
    else this.entries.set(key, { timestamps, expiresAt: Math.max(...timestamps) + windowMs });
    const mutex = this.locks.get(key);
    mutex?.release();
    if (mutex?.idle) this.locks.delete(key);
    if (this.now() - this.lastSweep >= this.sweepEveryMs) this.sweep();
  }

  /** Drops every identity whose window has passed. */
  sweep(): void {
    const now = this.now();
    this.lastSweep = now;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

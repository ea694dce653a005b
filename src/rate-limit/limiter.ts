/**
 * One budget per (user, class) per window, shared by both surfaces (REST runs through
 * GraphQL). graphql-rate-limit's `getGraphQLRateLimiter` makes the decision; the store makes
 * it atomic (see store.ts). Refused calls are not counted (`uncountRejected`);
 * `enableBatchRequestCache` stays off: with the lock it would double-count, and yoga builds
 * one context per batched operation anyway.
 */

import type { GraphQLResolveInfo } from 'graphql';
import { getGraphQLRateLimiter } from 'graphql-rate-limit';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type Identity, type LockingStore, LockLostError, StoreUnavailableError } from './store.js';

/** Decisions retried after a lost lock before the store counts as unavailable. */
const LOST_LOCK_RETRIES = 5;

export const rateClasses = ['read', 'create', 'update', 'delete'] as const;
export type RateClass = (typeof rateClasses)[number];

export interface RateLimitSettings {
  enabled: boolean;
  windowMs: number;
  max: Record<RateClass, number>;
  /** When the store (Redis) is unreachable: admit with a logged warning, or refuse with 503. */
  onStoreError: 'open' | 'closed';
}

export interface RateLimitDecision {
  rateClass: RateClass;
  limit: number;
  remaining: number;
  /** Seconds until the oldest counted call leaves the window. */
  resetSeconds: number;
}

export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly decision: RateLimitDecision,
  ) {
    super('RATE_LIMITED', message);
  }
}

export class RateLimiter {
  constructor(
    private readonly store: LockingStore,
    readonly settings: RateLimitSettings,
    private readonly logger: Logger,
  ) {}

  /**
   * Counts `cost` calls of `rateClass` for `identity`. Resolves with the budget left, or
   * throws RateLimitedError (not counted) / AppError SERVICE_UNAVAILABLE (store down, closed).
   */
  async consume(identity: string, rateClass: RateClass, cost = 1): Promise<RateLimitDecision | undefined> {
    if (!this.settings.enabled) return undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.decide(identity, rateClass, cost);
      } catch (error) {
        if (!(error instanceof LockLostError)) throw error;
        if (attempt < LOST_LOCK_RETRIES) continue;
        return this.storeUnavailable(new StoreUnavailableError(error));
      }
    }
  }

  private storeUnavailable(error: StoreUnavailableError): undefined {
    if (this.settings.onStoreError === 'closed') {
      this.logger.error({ err: error.message }, 'rate-limit store unavailable: refusing (fail closed)');
      throw new AppError('SERVICE_UNAVAILABLE', 'Rate limiting is unavailable; try again shortly');
    }
    this.logger.warn({ err: error.message }, 'rate-limit store unavailable: admitting (fail open)');
    return undefined;
  }

  /** One read-decide-write through graphql-rate-limit. */
  private async decide(
    identity: string,
    rateClass: RateClass,
    cost: number,
  ): Promise<RateLimitDecision | undefined> {
    const max = this.settings.max[rateClass];
    const windowMs = this.settings.windowMs;
    let written: readonly number[] = [];
    const observing: LockingStore = {
      getForIdentity: (id: Identity) => this.store.getForIdentity(id),
      setForIdentity: (id: Identity, timestamps: readonly number[], ms?: number) => {
        written = timestamps;
        return this.store.setForIdentity(id, timestamps, ms);
      },
    };
    const limiter = getGraphQLRateLimiter({
      store: observing,
      identifyContext: () => identity,
      enableBatchRequestCache: false,
    });
    let refusal: string | undefined;
    try {
      refusal = await limiter(
        {
          parent: undefined,
          args: { calls: new Array(cost) },
          context: {},
          info: { fieldName: rateClass } as GraphQLResolveInfo,
        },
        { max, window: `${windowMs}ms`, arrayLengthField: 'calls', uncountRejected: true },
      );
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      return this.storeUnavailable(error);
    }
    const now = Date.now();
    const oldest = written.length > 0 ? Math.min(...written) : now;
    const decision: RateLimitDecision = {
      rateClass,
      limit: max,
      remaining: Math.max(0, max - written.length),
      resetSeconds: Math.max(0, Math.ceil((oldest + windowMs - now) / 1000)),
    };
    if (refusal !== undefined) {
      // Enough room for `cost` calls comes back when the oldest calls leave the window.
      const needed = written.length + cost - max;
      const sorted = [...written].sort((a, b) => a - b);
      const freeAt = (sorted[Math.max(0, needed - 1)] ?? now) + windowMs;
      const retryAfter = Math.max(1, Math.ceil((freeAt - now) / 1000));
      throw new RateLimitedError(
        `Rate limit of ${max} ${rateClass} operations per ${Math.round(windowMs / 1000)} s reached; retry in ${retryAfter} s`,
        retryAfter,
        decision,
      );
    }
    return decision;
  }
}

import type { Plugin } from 'graphql-yoga';
import type { RateLimitContext } from './plugins/rate-limit.js';

/**
 * Reports the budgets an operation consumed in `extensions.rateLimit` (newest decision per
 * class): GraphQL clients can pace themselves, and the REST router turns it into the
 * `RateLimit-*` headers of the route's class.
 */
export function useRateLimitExtensions(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, args, setResult }) {
          if (!result || Symbol.asyncIterator in result) return;
          const decisions = (args.contextValue as unknown as Partial<RateLimitContext>).rateLimitDecisions;
          if (!decisions || decisions.length === 0) return;
          const byClass = Object.fromEntries(
            decisions.map((d) => [
              d.rateClass,
              { limit: d.limit, remaining: d.remaining, reset: d.resetSeconds },
            ]),
          );
          setResult({ ...result, extensions: { ...result.extensions, rateLimit: byClass } });
        },
      };
    },
  };
}

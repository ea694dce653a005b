/**
 * A small Pothos plugin: a field declares `rateLimit: 'read' | …` (or a function of its
 * args giving the class and cost), and its resolver is wrapped so that the call is counted
 * against the caller's budget before it runs. Refusals are top-level `RATE_LIMITED` errors
 * with `extensions.retryAfter`. scope-auth is listed before this plugin, so a caller without
 * permission is refused (403) before anything is counted (429).
 */
import SchemaBuilder, {
  BasePlugin,
  type FieldNullability,
  type InputFieldMap,
  type InputShapeFromFields,
  type PothosOutputFieldConfig,
  type SchemaTypes,
  type TypeParam,
} from '@pothos/core';
import { GraphQLError, type GraphQLFieldResolver } from 'graphql';
import { AppError } from '../../errors.js';
import {
  type RateClass,
  type RateLimitDecision,
  RateLimitedError,
  type RateLimiter,
} from '../../rate-limit/limiter.js';
import { serviceUnavailableError } from '../mask-error.js';

export interface RateLimitCost {
  rateClass: RateClass;
  /** Number of calls this field counts for (bulk actions: distinct ids). */
  cost: number;
}

export type RateLimitOption<Args extends InputFieldMap> =
  | RateClass
  | ((args: InputShapeFromFields<Args>) => RateLimitCost);

/** What the plugin needs from the context. */
export interface RateLimitContext {
  rateLimiter: RateLimiter | undefined;
  /** `user:<id>`: the identity budgets are kept for. */
  rateLimitIdentity: string | undefined;
  /** Decisions of this operation, newest last (exposed as `extensions.rateLimit`). */
  rateLimitDecisions: RateLimitDecision[];
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      rateLimit: PothosRateLimitPlugin<Types>;
    }
    export interface FieldOptions<
      Types extends SchemaTypes,
      ParentShape,
      Type extends TypeParam<Types>,
      Nullable extends FieldNullability<Type>,
      Args extends InputFieldMap,
      ResolveShape,
      ResolveReturnShape,
    > {
      /** Counts each call of this field against the caller's budget of that class. */
      rateLimit?: RateLimitOption<Args>;
    }
  }
}

/** A cost above the class maximum can never be admitted: it is an input error instead. */
export function exceedsClassMaximum(
  limiter: RateLimiter | undefined,
  { rateClass, cost }: RateLimitCost,
): boolean {
  return Boolean(limiter?.settings.enabled && cost > limiter.settings.max[rateClass]);
}

export class PothosRateLimitPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const option = fieldConfig.pothosOptions.rateLimit as RateLimitOption<InputFieldMap> | undefined;
    if (!option) return resolver;
    return async (parent, args, context, info) => {
      const ctx = context as unknown as RateLimitContext;
      const cost: RateLimitCost =
        typeof option === 'function' ? option(args as never) : { rateClass: option, cost: 1 };
      if (ctx.rateLimiter && ctx.rateLimitIdentity && !exceedsClassMaximum(ctx.rateLimiter, cost)) {
        try {
          const decision = await ctx.rateLimiter.consume(ctx.rateLimitIdentity, cost.rateClass, cost.cost);
          if (decision) ctx.rateLimitDecisions.push(decision);
        } catch (error) {
          if (error instanceof RateLimitedError) {
            ctx.rateLimitDecisions.push(error.decision);
            throw new GraphQLError(error.message, {
              extensions: { code: 'RATE_LIMITED', retryAfter: error.retryAfterSeconds },
            });
          }
          if (error instanceof AppError && error.code === 'SERVICE_UNAVAILABLE') {
            throw serviceUnavailableError(undefined, error.message);
          }
          throw error;
        }
      }
      return resolver(parent, args, context, info);
    };
  }
}

const pluginName = 'rateLimit';
SchemaBuilder.registerPlugin(pluginName, PothosRateLimitPlugin);
export default pluginName;

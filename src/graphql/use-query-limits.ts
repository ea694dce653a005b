import { GraphQLError, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type QueryLimits, queryLimitsRule, tooComplex } from './query-limits.js';

/**
 * Enforces the query limits on every GraphQL request (REST routes included, since they run
 * through the same pipeline): the cost/depth/alias validation rule, the token limit while
 * parsing (so an oversized document is never fully parsed) and the batch size.
 * Give yoga a batching limit above `maxBatch` so that this plugin answers first.
 */
export function useQueryLimits(limits: QueryLimits): Plugin {
  return {
    onRequestParse() {
      return {
        onRequestParseDone({ requestParserResult }) {
          if (Array.isArray(requestParserResult) && requestParserResult.length > limits.maxBatch) {
            throw tooComplex(
              `A batch of ${requestParserResult.length} operations exceeds the limit of ${limits.maxBatch}`,
              { batch: requestParserResult.length, maxBatch: limits.maxBatch },
            );
          }
        },
      };
    },
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parse(source, { ...options, maxTokens: limits.maxTokens });
        } catch (error) {
          if (error instanceof GraphQLError && /contains more th(?:an|at) \d+ tokens/.test(error.message)) {
            throw tooComplex(`The document exceeds the limit of ${limits.maxTokens} tokens`, {
              maxTokens: limits.maxTokens,
            });
          }
          throw error;
        }
      });
    },
    onValidate({ addValidationRule, context }) {
      const variables = (context as { params?: { variables?: Record<string, unknown> } }).params?.variables;
      addValidationRule(queryLimitsRule(limits, variables ?? {}));
    },
  };
}

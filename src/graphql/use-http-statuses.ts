import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * The contract's GraphQL-over-HTTP statuses, whatever the Accept header: parse errors 400
 * GRAPHQL_PARSE_FAILED, validation errors 400 GRAPHQL_VALIDATION_FAILED (or their own code,
 * e.g. QUERY_TOO_COMPLEX), variable errors 400 BAD_USER_INPUT. yoga marks such errors as
 * "spec" errors and answers them with 200 to `Accept: application/json` clients (the legacy
 * media type), which a legacy client would read as success; the flag is cleared right before
 * the response status is computed.
 */
export function useHttpStatuses(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result }) {
          // Variable coercion fails before execution: graphql-js then answers errors, no data.
          if (!result || Symbol.asyncIterator in result || 'data' in result || !result.errors) return;
          for (const error of result.errors) {
            if (!(error instanceof GraphQLError) || error.path) continue;
            const extensions = error.extensions as Record<string, any>;
            extensions.code ??= 'BAD_USER_INPUT';
            extensions.http = { ...extensions.http, status: 400 };
          }
        },
      };
    },
    onResultProcess({ result }) {
      if (Symbol.asyncIterator in result) return;
      for (const single of Array.isArray(result) ? result : [result]) {
        for (const error of single.errors ?? []) {
          const http = (error.extensions as { http?: { status?: number; spec?: boolean } } | undefined)?.http;
          if (http?.status === 400) http.spec = false;
        }
      }
    },
  };
}

import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * The contract's GraphQL-over-HTTP statuses, whatever the Accept header: parse errors 400
 * GRAPHQL_PARSE_FAILED, validation errors 400 GRAPHQL_VALIDATION_FAILED (or their own code,
 * e.g. QUERY_TOO_COMPLEX), variable errors 400 BAD_USER_INPUT. yoga marks such errors as
 * "spec" errors and answers them with 200 to `Accept: application/json` clients (the legacy
 * media type), which a legacy client would read as success; the flag is cleared right before
 * the response status is computed.
 *
 * yoga refuses a malformed GraphQL-over-HTTP request (body not JSON or not an object, missing
 * or non-string `query`, `variables` not an object, unexpected parameters) with 400 and its own
 * code `BAD_REQUEST`, which is not in the contract's list: a request that cannot be read as a
 * GraphQL request is `GRAPHQL_PARSE_FAILED`, bad `variables` are `BAD_USER_INPUT`. The JSON
 * parser's own error (`extensions.originalError`) is dropped. yoga's `OPERATION_RESOLUTION_FAILURE`
 * (several operations and no or an unknown `operationName`) is `GRAPHQL_VALIDATION_FAILED`, and
 * so is a subscription (the schema has none).
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
    onSubscribe() {
      return {
        onSubscribeResult({ result }) {
          // The schema has no subscription type: graphql-js refuses the operation with an
          // error and no stream (validation in graphql 16 does not check operation types).
          if (!result || Symbol.asyncIterator in result || !result.errors) return;
          for (const error of result.errors) {
            if (!(error instanceof GraphQLError) || error.path) continue;
            const extensions = error.extensions as Record<string, any>;
            extensions.code ??= 'GRAPHQL_VALIDATION_FAILED';
            extensions.http = { ...extensions.http, status: 400 };
          }
        },
      };
    },
    onResultProcess({ result }) {
      if (Symbol.asyncIterator in result) return;
      for (const single of Array.isArray(result) ? result : [result]) {
        for (const error of single.errors ?? []) {
          const extensions = error.extensions as Record<string, any> | undefined;
          const http = extensions?.http as { status?: number; spec?: boolean } | undefined;
          if (http?.status === 400) http.spec = false;
          if (extensions && http?.status === 400 && extensions.code === 'BAD_REQUEST') {
            extensions.code = /"variables"/.test(error.message) ? 'BAD_USER_INPUT' : 'GRAPHQL_PARSE_FAILED';
            delete extensions.originalError;
          }
          // Several operations and no (or an unknown) operationName: the document does not
          // validate against the request.
          if (extensions?.code === 'OPERATION_RESOLUTION_FAILURE')
            extensions.code = 'GRAPHQL_VALIDATION_FAILED';
        }
      }
    },
  };
}

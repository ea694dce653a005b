/**
 * How an `AppError` reaches a GraphQL client as a top-level error: a GraphQLError with
 * `extensions.code` and, for validation, `extensions.details: [{field, message}]`. yoga masks
 * every error that did not start as a GraphQLError, so resolvers that may throw an AppError
 * end in `.catch(rethrowAppError)` (queries; mutations turn AppErrors into userErrors instead).
 */
import { GraphQLError } from 'graphql';
import { AppError } from '../errors.js';

export function toGraphQLError(error: AppError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      code: error.code,
      ...(error.details.length > 0 ? { details: error.details.map((d) => ({ ...d })) } : {}),
    },
  });
}

/** Rethrows an AppError as its GraphQLError; anything else unchanged (yoga masks it). */
export function rethrowAppError(error: unknown): never {
  throw error instanceof AppError ? toGraphQLError(error) : error;
}

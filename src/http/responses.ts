import { type ErrorCode, type ErrorDetail, httpStatusOf } from '../errors.js';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function isGraphQLPath(url: URL): boolean {
  return url.pathname === '/graphql';
}

/**
 * An error answered before GraphQL runs (authentication, routing, body limits), in the
 * envelope of the surface that was called: GraphQL's `{errors}` on /graphql, the REST
 * `{success: false, error}` envelope elsewhere.
 */
export function errorResponse(
  url: URL,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
  details?: ErrorDetail[],
): Response {
  return new Response(JSON.stringify(errorBody(url, code, message, details)), {
    status: httpStatusOf[code],
    headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
  });
}

/** The body of `errorResponse`: GraphQL's `{errors}` on /graphql, the REST envelope elsewhere. */
export function errorBody(url: URL, code: ErrorCode, message: string, details?: ErrorDetail[]) {
  return isGraphQLPath(url)
    ? { errors: [{ message, extensions: { code, ...(details ? { details } : {}) } }] }
    : { success: false, error: { code: code.toLowerCase(), message, ...(details ? { details } : {}) } };
}

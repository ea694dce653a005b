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
  const status = httpStatusOf[code];
  const body = isGraphQLPath(url)
    ? { errors: [{ message, extensions: { code, ...(details ? { details } : {}) } }] }
    : { success: false, error: { code: code.toLowerCase(), message, ...(details ? { details } : {}) } };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
  });
}

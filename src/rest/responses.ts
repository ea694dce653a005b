/**
 * REST response bodies: `{"success": true, …}` as the route table builds it, or the error
 * envelope `{"success": false, "error": {code, message, details?}}`, always JSON in UTF-8.
 * Three codes exist only on REST: route_not_found, method_not_allowed, payload_too_large.
 */
import { type ErrorCode, type ErrorDetail, httpStatusOf } from '../errors.js';
import { JSON_CONTENT_TYPE } from '../http/responses.js';

export const REST_ONLY_ERROR_CODES = ['ROUTE_NOT_FOUND', 'METHOD_NOT_ALLOWED', 'PAYLOAD_TOO_LARGE'] as const;
export type RestErrorCode = ErrorCode | (typeof REST_ONLY_ERROR_CODES)[number];

const restOnlyStatus: Record<(typeof REST_ONLY_ERROR_CODES)[number], number> = {
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
};

export function statusOf(code: RestErrorCode): number {
  return code in restOnlyStatus
    ? restOnlyStatus[code as keyof typeof restOnlyStatus]
    : httpStatusOf[code as ErrorCode];
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, 'content-type': JSON_CONTENT_TYPE },
  });
}

export function restErrorResponse(
  code: RestErrorCode,
  message: string,
  details?: ErrorDetail[],
  headers: Record<string, string> = {},
): Response {
  const error = { code: code.toLowerCase(), message, ...(details && details.length > 0 ? { details } : {}) };
  return jsonResponse(statusOf(code), { success: false, error }, headers);
}

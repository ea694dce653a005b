/**
 * GraphQL outcome → REST error. Top-level errors (queries, permissions, limits, masked
 * failures) and payload `userErrors` (mutations) become one `{code, message, details?}`:
 * - the code is the most significant one by the contract's REST precedence (403 → 429 →
 *   invalid input 422 → missing entity 404; server faults first);
 * - `details[].field` is the REST name of the camelCase GraphQL field (`address1` →
 *   `address_1`, `filters.status` → `filters[status]`, `customerIds` → `customer_ids`),
 *   mapped through the route's parameters;
 * - anything that is not a catalog error (masked exceptions, a document the schema rejects)
 *   is a generic `internal_error`: no message of unknown origin reaches a client.
 */
import { type ErrorCode, type ErrorDetail, errorCodes, httpStatusOf } from '../errors.js';
import type { CompiledRoute } from './compile-routes.js';
import { type Json, restNameOf } from './route.js';

export interface RestError {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  headers?: Record<string, string>;
}

export const INTERNAL_ERROR_MESSAGE = 'An internal error occurred. It has been logged.';

interface GraphQLErrorJson {
  message?: unknown;
  extensions?: { code?: unknown; details?: unknown; retryAfter?: unknown };
}

interface UserErrorJson {
  code?: unknown;
  message?: unknown;
  field?: unknown;
}

/** Order in which codes win when several errors come back (first wins). */
const PRECEDENCE: readonly ErrorCode[] = [
  'UNAUTHENTICATED',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
  'QUERY_TOO_COMPLEX',
  'INSUFFICIENT_PERMISSIONS',
  'INVALID_NONCE',
  'RATE_LIMITED',
  'VALIDATION_ERROR',
  'INVALID_EMAIL',
  'INVALID_USER',
  'CUSTOMER_NOT_FOUND',
  'ADDRESS_NOT_FOUND',
];

const catalog = new Set<string>(errorCodes);
const isCatalogCode = (code: unknown): code is ErrorCode => typeof code === 'string' && catalog.has(code);

/** The REST error of a GraphQL response body, or null when it succeeded. */
export function restErrorOf(route: CompiledRoute, body: Json | undefined): RestError | null {
  if (!body || typeof body !== 'object') return internalError();
  const errors = Array.isArray(body.errors) ? (body.errors as GraphQLErrorJson[]) : [];
  if (errors.length > 0) return fromTopLevelErrors(route, errors);

  const data = body.data;
  if (!data || typeof data !== 'object') return internalError();
  const userErrors: UserErrorJson[] = [];
  for (const value of Object.values(data as Json)) {
    if (value && typeof value === 'object' && Array.isArray(value.userErrors)) {
      userErrors.push(...(value.userErrors as UserErrorJson[]));
    }
  }
  return userErrors.length > 0 ? fromUserErrors(route, userErrors) : null;
}

export function internalError(): RestError {
  return { code: 'INTERNAL_ERROR', message: INTERNAL_ERROR_MESSAGE };
}

function fromTopLevelErrors(route: CompiledRoute, errors: GraphQLErrorJson[]): RestError {
  const classified = errors.map((error) => ({ error, code: classify(error) }));
  const winner = pickCode(classified.map((c) => c.code));
  const chosen = classified.filter((c) => sameClass(c.code, winner)).map((c) => c.error);
  if (winner === 'INTERNAL_ERROR') return internalError();

  const details = chosen.flatMap((error) => detailsOf(route, error.extensions?.details));
  const first = chosen[0];
  const message = is422(winner)
    ? (summarize(details) ?? textOf(first?.message) ?? 'Invalid input')
    : (textOf(first?.message) ?? winner.toLowerCase());
  const headers: Record<string, string> = {};
  const retryAfter = first?.extensions?.retryAfter;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter)) {
    headers['retry-after'] = String(Math.max(0, Math.ceil(retryAfter)));
  }
  return { code: winner, message, ...(details.length > 0 ? { details } : {}), headers };
}

function fromUserErrors(route: CompiledRoute, userErrors: UserErrorJson[]): RestError {
  const codes = userErrors.map((e) => (isCatalogCode(e.code) ? e.code : 'INTERNAL_ERROR'));
  const winner = pickCode(codes);
  if (winner === 'INTERNAL_ERROR') return internalError();
  const chosen = userErrors.filter((_, i) => sameClass(codes[i]!, winner));
  const details = chosen.flatMap((e) =>
    typeof e.field === 'string' && e.field !== ''
      ? [{ field: restFieldName(route, e.field), message: textOf(e.message) ?? 'is invalid' }]
      : [],
  );
  const message = is422(winner)
    ? (summarize(details) ?? textOf(chosen[0]?.message) ?? 'Invalid input')
    : (textOf(chosen[0]?.message) ?? winner.toLowerCase());
  return { code: winner, message, ...(details.length > 0 ? { details } : {}) };
}

/** The catalog code of a top-level error; GraphQL's own input errors are validation errors. */
function classify(error: GraphQLErrorJson): ErrorCode {
  const code = error.extensions?.code;
  if (isCatalogCode(code)) return code;
  if (code === 'BAD_USER_INPUT') return 'VALIDATION_ERROR';
  return 'INTERNAL_ERROR';
}

const is422 = (code: ErrorCode) => httpStatusOf[code] === 422;

/** Codes of one HTTP class are reported together; mixed 422 codes become validation_error. */
function sameClass(code: ErrorCode, winner: ErrorCode): boolean {
  return code === winner || (is422(code) && is422(winner));
}

function pickCode(codes: ErrorCode[]): ErrorCode {
  const ranked = [...codes].sort((a, b) => PRECEDENCE.indexOf(a) - PRECEDENCE.indexOf(b));
  const winner = ranked[0] ?? 'INTERNAL_ERROR';
  if (is422(winner) && new Set(codes.filter(is422)).size > 1) return 'VALIDATION_ERROR';
  return winner;
}

function detailsOf(route: CompiledRoute, details: unknown): ErrorDetail[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d) =>
    d && typeof d === 'object' && typeof d.field === 'string'
      ? [{ field: restFieldName(route, d.field), message: textOf(d.message) ?? 'is invalid' }]
      : [],
  );
}

/**
 * The message of field failures: one failure reads `per_page: must be …` (a message that is
 * already a sentence, `Email must look like …`, stays as it is); several read
 * `Invalid input: email, first_name`.
 */
export function summarize(details: readonly ErrorDetail[]): string | undefined {
  const [first] = details;
  if (!first) return undefined;
  if (details.length === 1)
    return /^[A-Z]/.test(first.message) ? first.message : `${first.field}: ${first.message}`;
  return `Invalid input: ${[...new Set(details.map((d) => d.field))].join(', ')}`;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * REST name of a GraphQL input path, through the route's parameters: the longest prefix
 * that a parameter fills (with or without the `input.` wrapper) takes that parameter's REST
 * name; further segments are appended in bracket syntax.
 */
export function restFieldName(route: CompiledRoute, field: string): string {
  const parts = field.split('.');
  for (let n = parts.length; n > 0; n--) {
    const prefix = parts.slice(0, n).join('.');
    const param = route.params.find(
      (p) =>
        p.variable === prefix ||
        p.variable === `input.${prefix}` ||
        // the customer id is `id` on some operations, `customerId` on others
        (p.in.includes('path') &&
          (prefix === 'id' || prefix === 'customerId') &&
          isCustomerIdVariable(p.variable)),
    );
    if (param?.names[0] !== undefined) {
      return (
        param.names[0] +
        parts
          .slice(n)
          .map((s) => `[${segmentName(s)}]`)
          .join('')
      );
    }
  }
  const rest = parts[0] === 'input' && parts.length > 1 ? parts.slice(1) : parts;
  const [head = '', ...tail] = rest;
  return restNameOf(head) + tail.map((s) => `[${segmentName(s)}]`).join('');
}

const isCustomerIdVariable = (variable: string) => variable === 'id' || variable === 'customerId';
const segmentName = (segment: string) => (/^\d+$/.test(segment) ? segment : restNameOf(segment));

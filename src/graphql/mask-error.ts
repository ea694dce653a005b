/**
 * What an unexpected error becomes for a client (yoga's `maskedErrors.maskError`), per the
 * contract's error table:
 * - the database is unreachable or dropped the connection — PostgreSQL shutting down,
 *   restarting or refusing connections (57P01–57P03, 08xxx, 53300), a terminated backend,
 *   refused or reset sockets, pool connect timeouts, Prisma's P1001/P1002/P1017/P2024 and the
 *   driver adapter's DatabaseNotReachable/ConnectionClosed/SocketTimeout — is a top-level
 *   `SERVICE_UNAVAILABLE` error, HTTP 503 with `Retry-After` (REST: 503 `service_unavailable`);
 * - anything else is `INTERNAL_ERROR` with a generic message: no message, stack or SQL of
 *   unknown origin reaches a client (HTTP 500 when the operation has no data).
 * Errors that started as GraphQLErrors (catalog errors, validation) pass unchanged.
 *
 * `useFaultMasking` applies the same masking to execution results while the GraphQL context
 * is at hand, so each masked error is logged once with the request id; yoga's own masking
 * then sees errors that are already masked and only handles the rare failure outside
 * execution. `faultResponse` answers a failure in an HTTP-level hook (authentication reads
 * the database before GraphQL runs) the same way, in the envelope of the surface called.
 */
import { GraphQLError } from 'graphql';
import type { MaskError, Plugin } from 'graphql-yoga';
import { errorResponse } from '../http/responses.js';
import type { Logger } from '../logger.js';
import { INTERNAL_ERROR_MESSAGE } from '../rest/graphql-errors.js';

/** Seconds a client is asked to wait before retrying while the database is unavailable. */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
export const SERVICE_UNAVAILABLE_MESSAGE = 'The database is temporarily unavailable; retry shortly';

/** Prisma's codes for an unreachable server, a connect timeout, a closed connection, a pool timeout. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
/**
 * SQLSTATEs of a server that is going away or not there yet: admin_shutdown, crash_shutdown,
 * cannot_connect_now, idle_session_timeout, too_many_connections; class 08 is matched apart.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P05', '53300']);
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** @prisma/adapter-pg's kinds for socket-level failures (see its convertDriverError). */
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
/** node-postgres errors that carry no code (it rethrows them through the adapter as they are). */
const PG_MESSAGES = [
  /^Connection terminated/, // "… unexpectedly", "… due to connection timeout"
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
];

interface ErrorLike {
  code?: unknown;
  errorCode?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
  meta?: { driverAdapterError?: unknown };
}

/** The error and what it wraps: GraphQL's originalError, `cause`, Prisma's adapter error, aggregates. */
function* chainOf(error: unknown): Generator<ErrorLike> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 32) {
    const next = queue.shift();
    if (next === null || typeof next !== 'object' || seen.has(next)) continue;
    seen.add(next);
    const e = next as ErrorLike;
    yield e;
    queue.push(e.originalError, e.cause, e.meta?.driverAdapterError);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
  }
}

function signalsOutage(e: ErrorLike): boolean {
  for (const code of [e.code, e.errorCode]) {
    if (typeof code !== 'string') continue;
    if (PRISMA_CODES.has(code) || SQLSTATES.has(code) || SOCKET_CODES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true; // connection_exception
  }
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return e.code === undefined && PG_MESSAGES.some((pattern) => pattern.test(message));
}

/** Whether an error (or anything it wraps) says the database is unreachable or went away. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of chainOf(error)) if (signalsOutage(e)) return true;
  return false;
}

/** A GraphQLError thrown as such (not wrapping some other error): its message is meant for clients. */
export function isOriginalGraphQLError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || isOriginalGraphQLError(error.originalError);
}

function located(error: unknown) {
  if (!(error instanceof GraphQLError)) return {};
  return { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
}

/**
 * The client-facing error of an outage (the database, or Redis when rate limiting fails
 * closed): SERVICE_UNAVAILABLE, `extensions.retryAfter`, HTTP 503 with Retry-After.
 */
export function serviceUnavailableError(
  error?: unknown,
  message = SERVICE_UNAVAILABLE_MESSAGE,
): GraphQLError {
  return new GraphQLError(message, {
    ...located(error),
    extensions: {
      code: 'SERVICE_UNAVAILABLE',
      retryAfter: SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS,
      http: { status: 503, headers: { 'retry-after': String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS) } },
    },
  });
}

/** The client-facing error of anything unexpected: INTERNAL_ERROR and a generic message. */
export function internalError(error?: unknown, message = INTERNAL_ERROR_MESSAGE): GraphQLError {
  // `unexpected` (not serialized) keeps yoga's HTTP 500 for a result without data.
  return new GraphQLError(message, {
    ...located(error),
    extensions: { code: 'INTERNAL_ERROR', unexpected: true },
  });
}

/** yoga's `maskedErrors.maskError`: never exposes the original (whatever NODE_ENV says). */
export const maskError: MaskError = (error) => {
  if (isOriginalGraphQLError(error)) return error;
  return isDatabaseUnavailable(error) ? serviceUnavailableError(error) : internalError(error);
};

/** Logs a masked error with the request id: outages as warnings, anything else as an error. */
export function logFault(logger: Logger | undefined, error: unknown, requestId: string | undefined): void {
  if (!logger) return;
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const path = error instanceof GraphQLError && error.path ? error.path.join('.') : undefined;
  if (isDatabaseUnavailable(error)) {
    logger.warn({ reqId: requestId, path, cause: describe(original) }, 'database unavailable: answering 503');
  } else {
    logger.error({ reqId: requestId, path, err: original }, 'unexpected error (masked as INTERNAL_ERROR)');
  }
}

/** One line about an outage error (its codes and message), without the stack. */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (const e of chainOf(error)) {
    const code = typeof e.code === 'string' ? e.code : typeof e.kind === 'string' ? e.kind : undefined;
    if (code && !parts.includes(code)) parts.push(code);
  }
  const message = error instanceof Error ? error.message.trim().split('\n').at(-1) : String(error);
  return `${parts.join('/')}${parts.length > 0 ? ': ' : ''}${message}`.slice(0, 300);
}

interface FaultContext {
  logger?: Logger;
  requestId?: string;
}

/**
 * Masks the unexpected errors of each execution result with the GraphQL context at hand, so
 * each is logged once with its request id. List it first: later plugins (observability)
 * then see the codes clients get.
 */
export function useFaultMasking(): Plugin {
  return {
    onExecute({ args }) {
      const context = args.contextValue as FaultContext;
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || Symbol.asyncIterator in result || !result.errors) return;
          if (result.errors.every(isOriginalGraphQLError)) return;
          setResult({
            ...result,
            errors: result.errors.map((error) => {
              if (isOriginalGraphQLError(error)) return error;
              logFault(context.logger, error, context.requestId);
              return maskError(error, INTERNAL_ERROR_MESSAGE) as GraphQLError;
            }),
          });
        },
      };
    },
  };
}

/**
 * The response to a failure in an HTTP-level hook (before GraphQL runs), in the envelope of
 * the surface called: 503 `service_unavailable` with Retry-After when the database is
 * unavailable, else a generic 500 `internal_error`. Logged with the request id.
 */
export function faultResponse(url: URL, error: unknown, logger?: Logger, requestId?: string): Response {
  logFault(logger, error, requestId);
  return isDatabaseUnavailable(error)
    ? errorResponse(url, 'SERVICE_UNAVAILABLE', SERVICE_UNAVAILABLE_MESSAGE, {
        'retry-after': String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS),
        'cache-control': 'no-store',
      })
    : errorResponse(url, 'INTERNAL_ERROR', INTERNAL_ERROR_MESSAGE, { 'cache-control': 'no-store' });
}

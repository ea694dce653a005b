/**
 * Request ids, access logs, metrics and security headers for every response:
 * - the request id comes from `X-Request-Id` (when sane) or is generated, is echoed in the
 *   response header and carried by the GraphQL context and every log line of the request;
 * - one JSON log line per request: method, route, status, latency, GraphQL root fields,
 *   outcome;
 * - security headers; API responses are not cacheable.
 */
import { randomUUID } from 'node:crypto';
import { type DocumentNode, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import { type Metrics, routeLabel } from './metrics.js';

interface RequestInfo {
  id: string;
  start: number;
  operation?: string;
  outcome?: string;
}

const requests = new WeakMap<Request, RequestInfo>();
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(request: Request): string {
  return requests.get(request)?.id ?? randomUUID();
}

/** Root fields of the executed operation: a bounded label (the schema's field names). */
export function operationLabel(document: DocumentNode, operationName?: string | null): string {
  const op = getOperationAST(document, operationName);
  if (!op) return 'unknown';
  const fields = op.selectionSet.selections
    .map((s) => (s.kind === 'Field' ? s.name.value : '…'))
    .filter((name, i, all) => all.indexOf(name) === i)
    .sort();
  return `${op.operation}:${fields.join('+')}`.slice(0, 200);
}

const securityHeaders: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

export function useObservability(logger: Logger, metrics: Metrics): Plugin {
  const track = (request: Request): RequestInfo => {
    const given = request.headers.get('x-request-id');
    const info = { id: given && SANE_ID.test(given) ? given : randomUUID(), start: performance.now() };
    requests.set(request, info);
    return info;
  };
  return {
    onRequest({ request }) {
      if (requests.has(request)) return; // an in-process sub-request keeps the outer id
      track(request);
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const info = request ? requests.get(request) : undefined;
      const operation = operationLabel(args.document, args.operationName);
      if (info) info.operation = info.operation ? `${info.operation},${operation}` : operation;
      return {
        onExecuteDone({ result }) {
          if (!result || Symbol.asyncIterator in result) return;
          const codes = (result.errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_ERROR'));
          const outcome = codes.length === 0 ? 'ok' : codes[0]!.toLowerCase();
          if (info) info.outcome = outcome;
          metrics.operations.inc({ operation, outcome });
          if (codes.includes('RATE_LIMITED')) {
            const decisions = (args.contextValue as { rateLimitDecisions?: { rateClass: string }[] })
              .rateLimitDecisions;
            metrics.rateLimited.inc({ class: decisions?.at(-1)?.rateClass ?? 'unknown' });
          }
        },
      };
    },
    onResponse({ request, response }) {
      // Responses of yoga's own plugins (GraphiQL, CORS preflights) end before onRequest ran.
      const info = requests.get(request) ?? track(request);
      const url = new URL(request.url);
      const route = routeLabel(url);
      const seconds = (performance.now() - info.start) / 1000;
      const status = String(response.status);
      response.headers.set('x-request-id', info.id);
      for (const [name, value] of Object.entries(securityHeaders)) {
        if (!response.headers.has(name)) response.headers.set(name, value);
      }
      if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
      metrics.requests.inc({ route, method: request.method, status });
      metrics.duration.observe({ route, method: request.method, status }, seconds);
      logger.info(
        {
          reqId: info.id,
          method: request.method,
          route,
          status: response.status,
          ms: Math.round(seconds * 1000 * 10) / 10,
          operation: info.operation,
          outcome: info.outcome,
        },
        'request',
      );
    },
  };
}

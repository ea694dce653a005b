/**
 * `useRestRouter`: the FluentCart REST surface as a yoga plugin. In `onRequest` (after
 * authentication, so 401 comes first) it takes every `/wp-json/…` or `?rest_route=…` request,
 * and for a route of the table:
 *   route 404/405 → body 413 → unparseable body 422 → unconvertible values 422
 * then runs the route's GraphQL operation through the gateway's own pipeline: a POST to
 * the GraphQL endpoint handed to `yoga.fetch`, carrying the caller's principal. Permission
 * checks, validation, limits and error masking are therefore those of /graphql. The result
 * becomes the documented body, or the REST error envelope with the status of its code.
 */
import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { forwardPrincipal } from '../http/authentication.js';
import { MAX_BODY_BYTES } from '../http/body-limit.js';
import { requestIdOf } from '../http/observability.js';
import { JSON_CONTENT_TYPE } from '../http/responses.js';
import type { Logger } from '../logger.js';
import { MAX_NESTING, nestedTooDeeply, readBody } from './body.js';
import { parseBracketParams } from './brackets.js';
import { type CompiledRoute, compileRoutes, describeRoute } from './compile-routes.js';
import { INTERNAL_ERROR_MESSAGE, internalError, restErrorOf, summarize } from './graphql-errors.js';
import { createMatcher, effectiveMethod, namespacePathOf, restRouteOf } from './match.js';
import { buildOpenApiDocument } from './openapi.js';
import { jsonResponse, restErrorResponse } from './responses.js';
import type { Json, RestRoute } from './route.js';
import { routes as defaultRoutes } from './routes.js';
import { buildVariables } from './variables.js';

export interface RestRouterOptions {
  schema: GraphQLSchema;
  /** Runs a request through the whole gateway (`yoga.fetch`). */
  fetch(request: Request): Promise<Response> | Response;
  logger?: Logger;
  routes?: readonly RestRoute[];
  graphqlEndpoint?: string;
  maxBodyBytes?: number;
}

/** Query parameters that steer WordPress itself and are never route values. */
const CONTROL_PARAMS = new Set(['rest_route', '_method']);
/**
 * Request headers the GraphQL sub-request keeps: the session nonce (checked on mutations of
 * cookie sessions). Its caller is the outer request's (`forwardPrincipal`).
 */
const FORWARDED_REQUEST_HEADERS = ['x-wp-nonce'];
/** Response headers of the GraphQL sub-request that a REST client must see too. */
const FORWARDED_HEADERS = [
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
  'ratelimit',
  'retry-after',
];
const OPENAPI_PATH = '/openapi.json';

/** Requests the router made itself (for plugins that count or log only client requests). */
const subrequests = new WeakSet<Request>();
export function isRestSubrequest(request: Request): boolean {
  return subrequests.has(request);
}

export function useRestRouter(options: RestRouterOptions): Plugin {
  // Fails at start-up, naming the route, when a document does not fit the schema.
  const compiled = compileRoutes(options.schema, options.routes ?? defaultRoutes);
  const match = createMatcher(compiled);
  const openApiJson = JSON.stringify(buildOpenApiDocument(compiled));
  const endpoint = options.graphqlEndpoint ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;

  async function execute(route: CompiledRoute, request: Request, url: URL, variables: Json) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    // The same request id in the logs of both, whether the client gave one or not.
    headers['x-request-id'] = requestIdOf(request);
    const inner = new Request(new URL(endpoint, url.origin), {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: route.document, variables, operationName: route.operationName }),
    });
    forwardPrincipal(request, inner);
    subrequests.add(inner);
    const response = await options.fetch(inner);
    const text = await response.text();
    let body: Json | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      options.logger?.error(
        { route: describeRoute(route), status: response.status },
        'REST route: the GraphQL response is not JSON',
      );
    }
    const forwarded: Record<string, string> = { ...rateLimitHeaders(body?.extensions?.rateLimit) };
    for (const name of FORWARDED_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) forwarded[name] = value;
    }
    return { body, forwarded };
  }

  async function handle(request: Request, url: URL, restRoute: string): Promise<Response> {
    const method = effectiveMethod(request, url);
    const path = namespacePathOf(restRoute);
    if (path === null) return notFound();
    if (path.toLowerCase() === OPENAPI_PATH) {
      if (method !== 'GET') return methodNotAllowed(['GET']);
      return new Response(openApiJson, { headers: { 'content-type': JSON_CONTENT_TYPE } });
    }

    const matched = match(method, path);
    if (matched.kind === 'not_found') return notFound();
    if (matched.kind === 'method_not_allowed') return methodNotAllowed(matched.allow);
    const { route, pathValues } = matched;

    const body = await readBody(request, maxBodyBytes);
    if (!body.ok) {
      return body.reason === 'too_large'
        ? restErrorResponse('PAYLOAD_TOO_LARGE', `The request body is over ${maxBodyBytes} bytes`)
        : restErrorResponse('VALIDATION_ERROR', body.message);
    }
    const query = parseBracketParams([...url.searchParams].filter(([key]) => !CONTROL_PARAMS.has(key)));
    if (nestedTooDeeply(query)) {
      return restErrorResponse(
        'VALIDATION_ERROR',
        `The query string is nested more than ${MAX_NESTING} levels deep`,
      );
    }
    const variables = buildVariables(route, { path: pathValues, body: body.body, query });
    if (!variables.ok) {
      return restErrorResponse('VALIDATION_ERROR', summarize(variables.details)!, variables.details);
    }

    const { body: result, forwarded } = await execute(route, request, url, variables.variables);
    const error = restErrorOf(route, result);
    if (error) {
      return restErrorResponse(error.code, error.message, error.details, { ...forwarded, ...error.headers });
    }
    try {
      return jsonResponse(route.status, route.respond(result!.data), forwarded);
    } catch (cause) {
      options.logger?.error({ route: describeRoute(route), err: cause }, 'REST route: unexpected data');
      const fault = internalError();
      return restErrorResponse(fault.code, fault.message);
    }
  }

  return {
    async onRequest({ request, url, endResponse }) {
      const restRoute = restRouteOf(url);
      if (restRoute === null) return;
      try {
        endResponse(await handle(request, url, restRoute));
      } catch (cause) {
        options.logger?.error({ err: cause, path: url.pathname }, 'REST router failure');
        endResponse(restErrorResponse('INTERNAL_ERROR', INTERNAL_ERROR_MESSAGE));
      }
    },
  };
}

/**
 * `RateLimit-*` headers from the budgets the operation reported in `extensions.rateLimit`
 * (`{class: {limit, remaining, reset}}`); a route runs one root field, so one class, else
 * the tightest one is shown.
 */
function rateLimitHeaders(report: unknown): Record<string, string> {
  if (!report || typeof report !== 'object') return {};
  const budgets = Object.values(
    report as Record<string, { limit?: unknown; remaining?: unknown; reset?: unknown }>,
  )
    .filter((b) => typeof b?.limit === 'number' && typeof b.remaining === 'number')
    .sort((a, b) => (a.remaining as number) - (b.remaining as number));
  const budget = budgets[0];
  if (!budget) return {};
  return {
    'ratelimit-limit': String(budget.limit),
    'ratelimit-remaining': String(budget.remaining),
    ...(typeof budget.reset === 'number'
      ? { 'ratelimit-reset': String(Math.max(0, Math.ceil(budget.reset))) }
      : {}),
  };
}

function notFound(): Response {
  return restErrorResponse('ROUTE_NOT_FOUND', 'No route was found matching the URL and request method');
}

function methodNotAllowed(allow: readonly string[]): Response {
  return restErrorResponse(
    'METHOD_NOT_ALLOWED',
    `Method not allowed; this route accepts ${allow.join(', ')}`,
    undefined,
    { allow: allow.join(', ') },
  );
}

/**
 * The composition root of the HTTP surface: one yoga instance serving GraphQL at /graphql,
 * the probes and (later) the REST router, all through yoga's plugin pipeline so that both
 * surfaces share authentication, validation, limits and error handling.
 */
import { randomBytes } from 'node:crypto';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { Authenticator } from './auth/authenticator.js';
import { Sessions } from './auth/sessions.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { pendingMigrations } from './db/migrations.js';
import type { GatewayContext } from './graphql/context.js';
import { maskError, useFaultMasking } from './graphql/mask-error.js';
import { schema } from './graphql/schema.js';
import { useHttpStatuses } from './graphql/use-http-statuses.js';
import { useQueryLimits } from './graphql/use-query-limits.js';
import { useRateLimitExtensions } from './graphql/use-rate-limit-extensions.js';
import { principalOf, useAuthentication } from './http/authentication.js';
import { useGraphQLBodyLimit } from './http/body-limit.js';
import { useAuthenticatedGraphiQL } from './http/graphiql.js';
import { Metrics } from './http/metrics.js';
import { useMetricsEndpoint } from './http/metrics-endpoint.js';
import { requestIdOf, useObservability } from './http/observability.js';
import { useProbes } from './http/probes.js';
import type { Logger } from './logger.js';
import { RateLimiter } from './rate-limit/limiter.js';
import { MemoryStore } from './rate-limit/memory-store.js';
import type { LockingStore } from './rate-limit/store.js';
import { INTERNAL_ERROR_MESSAGE } from './rest/graphql-errors.js';
import { useRestRouter } from './rest/router.js';

export interface GatewayDeps {
  config: Config;
  db: Database;
  logger: Logger;
  /** Shared rate-limit store (Redis); defaults to an in-process store. */
  rateLimitStore?: LockingStore;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GatewayContext>;

const exampleQuery = /* GraphQL */ `# Customers with their addresses, latest orders and stats.
query Customers {
  customers(page: 1, perPage: 10, orderBy: ID, orderType: DESC) {
    pagination { currentPage perPage total totalPages }
    customers {
      id email firstName lastName status
      stats { totalSpent orderCount averageOrderValue lastOrderDate }
      addresses { type isPrimary address1 city country }
      orders(perPage: 5) { orders { id status paymentStatus totalAmount currency createdAt } }
    }
  }
}
`;

/** Headers a browser may send and read cross-origin, for the origins CORS_ORIGINS allows. */
const CORS_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'x-wp-nonce',
  'x-http-method-override',
  'x-request-id',
];
const CORS_RESPONSE_HEADERS = [
  'x-request-id',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'retry-after',
];

export function createGateway({ config, db, logger, rateLimitStore }: GatewayDeps): Gateway {
  const metrics = new Metrics(db);
  const rateLimiter = new RateLimiter(rateLimitStore ?? new MemoryStore(), config.rateLimit, logger);
  const authenticator = new Authenticator(db, config.authCacheTtlMs);
  if (!config.sessionSecret) {
    logger.warn('SESSION_SECRET is not set: session cookies are signed with a random per-process key');
  }
  const sessions = new Sessions(
    db,
    config.sessionSecret ? Buffer.from(config.sessionSecret) : randomBytes(32),
    config.sessionTtlMs,
    config.authCacheTtlMs,
  );
  let migrationsChecked = false;
  const isReady = async () => {
    await db.prisma.$queryRaw`SELECT 1`;
    if (!migrationsChecked) migrationsChecked = (await pendingMigrations(db)).length === 0;
    return migrationsChecked;
  };

  const gateway: Gateway = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    // yoga's own health check answers every path that ends in its endpoint; ours (useProbes)
    // matches exactly, so the built-in one is given a path no request can have.
    healthCheckEndpoint: '/\u0000',
    landingPage: false,
    // Served by useAuthenticatedGraphiQL, after authentication.
    graphiql: false,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    // Database outages → 503 SERVICE_UNAVAILABLE; anything else unexpected → INTERNAL_ERROR.
    maskedErrors: { maskError, errorMessage: INTERNAL_ERROR_MESSAGE },
    // yoga answers every origin by default; only the configured ones are allowed (never
    // `null` or a reflection of an unlisted origin, since credentials are allowed).
    cors: config.corsOrigins.length
      ? (request) => {
          const origin = request.headers.get('origin');
          return origin && config.corsOrigins.includes(origin)
            ? {
                origin: [origin],
                credentials: true,
                methods: ['GET', 'POST', 'PUT', 'DELETE'],
                allowedHeaders: CORS_REQUEST_HEADERS,
                exposedHeaders: CORS_RESPONSE_HEADERS,
              }
            : false;
        }
      : false,
    // Batches are limited by useQueryLimits (400 QUERY_TOO_COMPLEX), so yoga's own check
    // (413 past its limit) must never trigger first.
    batching: { limit: Number.MAX_SAFE_INTEGER },
    plugins: [
      useFaultMasking(),
      useObservability(logger, metrics),
      useProbes({ isReady }),
      useAuthentication(authenticator, sessions, config.metricsToken, logger),
      useAuthenticatedGraphiQL({ title: 'FluentCart Customers GraphQL', defaultQuery: exampleQuery }),
      useMetricsEndpoint(metrics, config.metricsToken),
      // After authentication (401 first); REST routes run their GraphQL operation through
      // this same gateway, so every plugin below applies to them as to /graphql.
      useRestRouter({ schema, logger, fetch: (request) => gateway.fetch(request) }),
      useGraphQLBodyLimit(),
      useHttpStatuses(),
      useQueryLimits(config.queryLimits),
      useRateLimitExtensions(),
    ],
    context: ({ request }): GatewayContext => {
      const principal = principalOf(request);
      return {
        db,
        principal,
        requestId: requestIdOf(request),
        logger,
        rateLimiter,
        rateLimitIdentity: principal ? `user:${principal.userId}` : undefined,
        rateLimitDecisions: [],
      };
    },
  });
  return gateway;
}

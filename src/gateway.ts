/**
 * The composition root of the HTTP surface: one yoga instance serving GraphQL at /graphql,
 * the probes and (later) the REST router, all through yoga's plugin pipeline so that both
 * surfaces share authentication, validation, limits and error handling.
 */
import { randomUUID } from 'node:crypto';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { Authenticator } from './auth/authenticator.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { pendingMigrations } from './db/migrations.js';
import type { GatewayContext } from './graphql/context.js';
import { schema } from './graphql/schema.js';
import { principalOf, useAuthentication } from './http/authentication.js';
import { useProbes } from './http/probes.js';
import type { Logger } from './logger.js';

export interface GatewayDeps {
  config: Config;
  db: Database;
  logger: Logger;
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

export function createGateway({ config, db, logger }: GatewayDeps): Gateway {
  const authenticator = new Authenticator(db, config.authCacheTtlMs);
  let migrationsChecked = false;
  const isReady = async () => {
    await db.prisma.$queryRaw`SELECT 1`;
    if (!migrationsChecked) migrationsChecked = (await pendingMigrations(db)).length === 0;
    return migrationsChecked;
  };

  return createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    // yoga's own health check answers every path that ends in its endpoint; ours (useProbes)
    // matches exactly, so the built-in one is given a path no request can have.
    healthCheckEndpoint: '/\u0000',
    landingPage: false,
    graphiql: { title: 'FluentCart Customers GraphQL', defaultQuery: exampleQuery },
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    maskedErrors: true,
    plugins: [useProbes({ isReady }), useAuthentication(authenticator)],
    context: ({ request }): GatewayContext => ({
      db,
      principal: principalOf(request),
      requestId: request.headers.get('x-request-id') ?? randomUUID(),
      logger,
    }),
  });
}

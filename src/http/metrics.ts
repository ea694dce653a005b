/**
 * Prometheus metrics (`GET /metrics`): request counts and latency by route and status,
 * GraphQL operations by root field, rate-limit refusals, and the database pool.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/database.js';

export class Metrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'HTTP requests by route (ids folded to {id}), method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly duration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'HTTP request latency by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly operations = new Counter({
    name: 'gateway_graphql_operations_total',
    help: 'GraphQL operations (REST routes included) by root fields and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'gateway_rate_limit_refusals_total',
    help: 'Calls refused by the rate limiter, by class.',
    labelNames: ['class'] as const,
    registers: [this.registry],
  });

  constructor(db: Database) {
    collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });
    const pool = db.pool;
    new Gauge({
      name: 'gateway_db_pool_connections',
      help: 'Database pool connections by state (PostgreSQL; the embedded database has one).',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        if (!pool) {
          this.set({ state: 'total' }, 1);
          return;
        }
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
}

/** `/wp-json/fluent-cart/v2/customers/12/address` → `/wp-json/fluent-cart/v2/customers/{id}/address`. */
export function routeLabel(url: URL): string {
  const restRoute = url.searchParams.get('rest_route');
  const path = url.pathname === '/' && restRoute ? `/?rest_route=${restRoute}` : url.pathname;
  const folded = path.replace(/\/[0-9]+(?=\/|$)/g, '/{id}').replace(/\/+$/, '');
  // Unknown paths are folded into one label so that scanners cannot blow up cardinality.
  return /^(\/graphql|\/health|\/ready|\/metrics|\/auth\/session|\/wp-json\/fluent-cart\/v[12]\/|\/\?rest_route=)/.test(
    folded || '/',
  )
    ? folded.slice(0, 120)
    : 'other';
}

export const METRICS_PATH = '/metrics';

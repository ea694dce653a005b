import { timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { principalOf } from './authentication.js';
import { METRICS_PATH, type Metrics } from './metrics.js';
import { errorResponse } from './responses.js';

/** True when the request carries `Authorization: Bearer <METRICS_TOKEN>`. */
export function hasMetricsToken(request: Request, token: string | undefined): boolean {
  if (!token) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `GET /metrics` for an administrator or the holder of METRICS_TOKEN. */
export function useMetricsEndpoint(metrics: Metrics, token: string | undefined): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== METRICS_PATH) return;
      if (!hasMetricsToken(request, token) && principalOf(request)?.role !== 'ADMINISTRATOR') {
        endResponse(errorResponse(url, 'INSUFFICIENT_PERMISSIONS', 'Metrics are for administrators'));
        return;
      }
      endResponse(
        new Response(await metrics.registry.metrics(), {
          headers: { 'content-type': metrics.registry.contentType },
        }),
      );
    },
  };
}

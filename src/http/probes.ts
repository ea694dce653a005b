import type { Plugin } from 'graphql-yoga';

export interface ProbeOptions {
  /** Resolves true when the gateway can serve (database reachable, migrations applied). */
  isReady(): Promise<boolean>;
}

/**
 * `/health` (the process is alive) and `/ready` (it can serve: 503 otherwise), public and
 * JSON. Matched on the exact path, unlike yoga's built-in check (which answers any path
 * ending in `/health`).
 */
export function useProbes({ isReady }: ProbeOptions): Plugin {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/health') {
        endResponse(Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } }));
        return;
      }
      if (url.pathname === '/ready') {
        const ready = await isReady().catch(() => false);
        endResponse(
          fetchAPI.Response.json(
            { status: ready ? 'ready' : 'not_ready' },
            {
              status: ready ? 200 : 503,
              headers: ready
                ? { 'cache-control': 'no-store' }
                : { 'cache-control': 'no-store', 'retry-after': '5' },
            },
          ),
        );
      }
    },
  };
}

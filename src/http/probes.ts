import type { Plugin } from 'graphql-yoga';

export interface ProbeOptions {
  /** Resolves true when the gateway can serve (database reachable, migrations applied). */
  isReady(): Promise<boolean>;
  /**
   * How long `/ready` waits for `isReady` before answering not_ready (default 2 s): a
   * database that does not answer (a lost network, a saturated pool) must not hang the probe.
   */
  timeoutMs?: number;
}

export const READY_TIMEOUT_MS = 2_000;

/**
 * `/health` (the process is alive) and `/ready` (it can serve: 503 otherwise), public and
 * JSON. Matched on the exact path, unlike yoga's built-in check (which answers any path
 * ending in `/health`). Readiness is checked on each call — it turns 503 while the database is
 * unreachable and 200 again once it is back, without a restart — and concurrent probes share
 * one check, so a slow database never piles checks up.
 */
export function useProbes({ isReady, timeoutMs = READY_TIMEOUT_MS }: ProbeOptions): Plugin {
  let pending: Promise<boolean> | undefined;
  const check = (): Promise<boolean> => {
    pending ??= isReady()
      .catch(() => false)
      .finally(() => {
        pending = undefined;
      });
    return withTimeout(pending, timeoutMs);
  };

  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/health') {
        endResponse(Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } }));
        return;
      }
      if (url.pathname === '/ready') {
        const ready = await check();
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

/** `check`'s outcome, or false once `ms` have passed. */
function withTimeout(check: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref?.();
  });
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
}

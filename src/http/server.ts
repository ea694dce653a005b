/**
 * node:http around the gateway, with graceful shutdown: stop accepting, answer requests
 * that arrive on kept-alive connections with 503, let in-flight requests finish (bounded by
 * a timeout), then close every connection.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway } from '../gateway.js';

export interface RunningServer {
  server: Server;
  port: number;
  /** Resolves once every in-flight request has finished or the timeout has passed. */
  shutdown(timeoutMs: number): Promise<void>;
}

export async function listen(gateway: Gateway, port: number, host: string): Promise<RunningServer> {
  let draining = false;
  let inFlight = 0;
  let onIdle: (() => void) | undefined;

  const server = createServer((req, res) => {
    if (draining) {
      res.writeHead(503, {
        'content-type': 'application/json; charset=utf-8',
        connection: 'close',
        'retry-after': '1',
      });
      res.end(
        JSON.stringify({
          success: false,
          error: { code: 'service_unavailable', message: 'The server is shutting down' },
        }),
      );
      return;
    }
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (draining && inFlight === 0) onIdle?.();
    });
    void gateway.handle(req, res);
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    server,
    port: (server.address() as AddressInfo).port,
    async shutdown(timeoutMs) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const idle = inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (onIdle = r));
      const timeout = new Promise<void>((r) => setTimeout(r, timeoutMs).unref());
      await Promise.race([idle, timeout]);
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * node:http around the gateway, with graceful shutdown: stop accepting (new connections are
 * refused), answer requests that arrive on kept-alive connections with 503
 * service_unavailable (in the envelope of the surface called), let in-flight requests finish
 * — their responses close their connection — bounded by a timeout, then close every
 * connection.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway } from '../gateway.js';
import { errorBody, JSON_CONTENT_TYPE } from './responses.js';

const SHUTTING_DOWN = 'The server is shutting down; retry shortly';

export interface RunningServer {
  server: Server;
  port: number;
  /**
   * Resolves once every in-flight request has finished or the timeout has passed;
   * `onStopAccepting` is called once new requests are refused.
   */
  shutdown(timeoutMs: number, onStopAccepting?: () => void): Promise<void>;
}

export async function listen(gateway: Gateway, port: number, host: string): Promise<RunningServer> {
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  let onIdle: (() => void) | undefined;

  const server = createServer((req, res) => {
    if (draining) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      res.writeHead(503, {
        'content-type': JSON_CONTENT_TYPE,
        'cache-control': 'no-store',
        connection: 'close',
        'retry-after': '1',
      });
      res.end(JSON.stringify(errorBody(url, 'SERVICE_UNAVAILABLE', SHUTTING_DOWN)));
      return;
    }
    inFlight.add(res);
    res.on('close', () => {
      inFlight.delete(res);
      if (draining && inFlight.size === 0) onIdle?.();
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
    async shutdown(timeoutMs, onStopAccepting) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      onStopAccepting?.();
      // In-flight responses not yet started tell their client not to reuse the connection.
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      const idle = inFlight.size === 0 ? Promise.resolve() : new Promise<void>((r) => (onIdle = r));
      const timeout = new Promise<void>((r) => setTimeout(r, timeoutMs).unref());
      await Promise.race([idle, timeout]);
      server.closeAllConnections();
      await closed;
    },
  };
}

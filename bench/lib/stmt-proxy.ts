/**
 * A PostgreSQL wire-protocol proxy that counts the SQL statements its clients execute.
 * pg_stat_statements is not loaded on the shared server (it needs shared_preload_libraries and a
 * restart), so each contender is started once more with its DATABASE_URL pointing here for a
 * short instrumented run, separate from the timed runs (the proxy adds a hop and CPU).
 *
 * Counted: every simple-protocol Query ('Q') and every extended-protocol Execute ('E'), with
 * the SQL text found through Bind → (named or unnamed) Parse. BEGIN/COMMIT/ROLLBACK and SET
 * count as statements too (they are round trips); `kinds` lets the report tell them apart.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface StatementLog {
  total: number;
  /** Normalised first words of each statement → count. */
  kinds: Map<string, number>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

function normalise(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function cstring(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  return [buf.toString('utf8', offset, end), end + 1];
}

export class StatementCountingProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  log: StatementLog = { total: 0, kinds: new Map() };
  port = 0;

  constructor(
    private readonly upstreamHost: string,
    private readonly upstreamPort: number,
  ) {}

  reset(): void {
    this.log = { total: 0, kinds: new Map() };
  }

  private count(sql: string): void {
    this.log.total++;
    const key = normalise(sql);
    this.log.kinds.set(key, (this.log.kinds.get(key) ?? 0) + 1);
  }

  async start(): Promise<number> {
    this.server = createServer((client) => this.onConnection(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this.port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private onConnection(client: Socket): void {
    const upstream = connect(this.upstreamPort, this.upstreamHost);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    upstream.pipe(client);

    let pending: Buffer = Buffer.alloc(0);
    let startup = true;
    const statements = new Map<string, string>();
    const portals = new Map<string, string>();
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        if (startup) {
          if (pending.length < 8) break;
          const len = pending.readInt32BE(0);
          if (pending.length < len) break;
          const code = pending.readInt32BE(4);
          pending = pending.subarray(len);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
          continue;
        }
        if (pending.length < 5) break;
        const type = String.fromCharCode(pending[0]!);
        const len = pending.readInt32BE(1);
        if (pending.length < len + 1) break;
        const body = pending.subarray(5, len + 1);
        pending = pending.subarray(len + 1);
        if (type === 'Q') {
          this.count(cstring(body, 0)[0]);
        } else if (type === 'P') {
          const [name, next] = cstring(body, 0);
          statements.set(name, cstring(body, next)[0]);
        } else if (type === 'B') {
          const [portal, next] = cstring(body, 0);
          portals.set(portal, statements.get(cstring(body, next)[0]) ?? '?');
        } else if (type === 'E') {
          this.count(portals.get(cstring(body, 0)[0]) ?? '?');
        } else if (type === 'C' && body[0] === 'S'.charCodeAt(0)) {
          statements.delete(cstring(body, 1)[0]);
        }
      }
    });
  }
}

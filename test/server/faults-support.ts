/**
 * Helpers of the fault-injection tests (test/server/faults-*.test.ts): private PostgreSQL and
 * Redis servers on free ports that a test may stop and start at will (the machine's shared
 * servers are never touched), plain HTTP calls that report refused connections instead of
 * throwing, and a load generator that records every request's outcome and timing.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { type Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/processes.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `intervalMs` until it holds; throws after `timeoutMs` (bounded). */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------

export interface Outcome {
  /** HTTP status, or 0 when no response came (refused, reset). */
  status: number;
  /** The socket error code when there was no response (ECONNREFUSED, ECONNRESET, …). */
  error?: string;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
  /** Milliseconds since the epoch when the request was sent and when it settled. */
  start: number;
  end: number;
}

/**
 * One request on a fresh connection (no keep-alive agent, so a connection the server closed
 * is never reused): resolves with the status, or status 0 and the socket error.
 */
export function call(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    timeoutMs?: number;
    /** A keep-alive agent whose open connections to use instead of a fresh one. */
    agent?: Agent;
  } = {},
): Promise<Outcome> {
  const start = Date.now();
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? (payload ? 'POST' : 'GET'),
        agent: options.agent ?? false,
        headers: {
          ...(options.agent ? {} : { connection: 'close' }),
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('error', (error: NodeJS.ErrnoException) =>
          resolve({
            status: 0,
            error: error.code ?? error.message,
            headers: {},
            text,
            body: undefined,
            start,
            end: Date.now(),
          }),
        );
        res.on('end', () => {
          let body: unknown;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body, start, end: Date.now() });
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({
        status: 0,
        error: error.code ?? error.message,
        headers: {},
        text: '',
        body: undefined,
        start,
        end: Date.now(),
      }),
    );
    req.end(payload);
  });
}

export function graphql(
  baseUrl: string,
  auth: string,
  query: string,
  variables?: Record<string, unknown>,
  agent?: Agent,
) {
  return call(`${baseUrl}/graphql`, {
    headers: { authorization: auth, accept: 'application/json' },
    body: { query, variables },
    agent,
  });
}

export function rest(baseUrl: string, auth: string, path: string) {
  return call(`${baseUrl}/wp-json/fluent-cart/v2${path}`, { headers: { authorization: auth } });
}

/** The error code a response carries: GraphQL's first `extensions.code` or REST's `error.code`. */
export function errorCodeOf(outcome: Outcome): string | undefined {
  const body = outcome.body;
  return body?.errors?.[0]?.extensions?.code ?? body?.error?.code;
}

export interface LoadResult extends Outcome {
  kind: string;
}

/**
 * `workers` concurrent loops, each sending `next(i)` requests back to back until `stop()`;
 * every outcome is recorded (in order of completion).
 */
export function startLoad(
  workers: number,
  next: (n: number) => { kind: string; send: () => Promise<Outcome> },
) {
  const results: LoadResult[] = [];
  let running = true;
  let n = 0;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const { kind, send } = next(n++);
      results.push({ kind, ...(await send()) });
    }
  });
  return {
    results,
    async stop() {
      running = false;
      await Promise.all(loops);
      return results;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Private PostgreSQL
// ---------------------------------------------------------------------------------------

function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error(`no PostgreSQL server binaries under ${root}`);
  return join(root, versions[0], 'bin');
}

export interface PrivatePostgres {
  port: number;
  /** postgres:// URL of a database of this server (default `postgres`). */
  url(database?: string, params?: Record<string, string>): string;
  /** Stops the server (`pg_ctl stop -m <mode>`): in-flight queries get 57P01, then refused. */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /**
   * Freezes the server (SIGSTOP to the postmaster and its backends): it neither answers nor
   * closes anything, like a host that went silent. `thaw()` resumes it (SIGCONT).
   */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Stops it (immediate) and removes its data folder. */
  dispose(): Promise<void>;
}

/**
 * A throw-away PostgreSQL server: `initdb` into a temporary folder and `pg_ctl start` on a
 * free port (trust authentication, no fsync). initdb refuses to run as root: when the tests
 * do, the server runs as the `postgres` user (`runuser`).
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gw-faults-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(uid.trim()), Number(gid.trim()));
  }
  const tool = (name: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args], { cwd: dir })
      : run(join(bin, name), args, { cwd: dir });
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = async () => {
    await tool('pg_ctl', [
      'start',
      '-D',
      data,
      '-o',
      options,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
    ]);
  };
  /** This server's processes only: its postmaster (postmaster.pid) and that one's children. */
  const signalServer = async (signal: NodeJS.Signals) => {
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(postmaster)]);
    const children = stdout
      .split('\n')
      .map(Number)
      .filter((pid) => pid > 0);
    for (const pid of [postmaster, ...children]) process.kill(pid, signal);
  };
  await tool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  await start();
  return {
    port,
    url(database = 'postgres', params = {}) {
      const u = new URL(`postgres://postgres@127.0.0.1:${port}/${database}`);
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
      return u.toString();
    },
    async stop(mode = 'fast') {
      await tool('pg_ctl', ['stop', '-D', data, '-m', mode, '-w', '-t', '60']);
    },
    start,
    freeze: () => signalServer('SIGSTOP'),
    thaw: () => signalServer('SIGCONT'),
    async dispose() {
      await signalServer('SIGCONT').catch(() => {});
      await tool('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------
// Private Redis
// ---------------------------------------------------------------------------------------

export interface PrivateRedis {
  port: number;
  url: string;
  /** Stops the server (SIGTERM, no persistence: its data is gone). */
  stop(): Promise<void>;
  /** Starts a new server on the same port (empty); resolves once it answers PING. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d;
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

/** A redis-server child process on a free port, without persistence. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const server = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
      ],
      { stdio: 'ignore' },
    );
    child = server;
    await waitFor('redis-server to answer PING', async () => {
      if (server.exitCode !== null) throw new Error(`redis-server exited (${server.exitCode})`);
      return pingRedis(port);
    });
  };
  const stop = async () => {
    const server = child;
    child = undefined;
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, stop, start, dispose: stop };
}

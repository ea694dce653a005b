/**
 * The contenders' server processes: spawned with `node` directly (so the pid we sample is the
 * server's), each on a free port, ready when GET /ready answers 200. Memory comes from
 * /proc/<pid>/status (VmHWM = peak resident set, VmRSS = now), CPU from /proc/<pid>/stat.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, sleep } from './util.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export type ServerKind = 'gateway' | 'raw' | 'postgraphile';

export interface ServerProcess {
  kind: ServerKind;
  url: string;
  pid: number;
  child: ChildProcess;
  startMs: number;
  output(): string;
  stop(): Promise<void>;
}

export const ADMIN_USER = 'bench-admin';
export const ADMIN_PASSWORD = 'bench-app-password-0001';
export const BASIC_AUTH = `Basic ${Buffer.from(`${ADMIN_USER}:${ADMIN_PASSWORD}`).toString('base64')}`;

function commandFor(kind: ServerKind, extraNodeArgs: string[]): string[] {
  switch (kind) {
    case 'gateway':
      return [...extraNodeArgs, '--import', 'tsx', 'src/main.ts'];
    case 'raw':
      return [...extraNodeArgs, '--import', 'tsx', 'bench/raw-server.ts'];
    case 'postgraphile':
      return [...extraNodeArgs, '--import', './bench/polyfill.mjs', 'bench/postgraphile-server.mjs'];
  }
}

export interface StartOptions {
  databaseUrl: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export async function startServer(kind: ServerKind, o: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: o.databaseUrl,
    ...o.env,
  };
  if (kind === 'gateway') {
    Object.assign(env, {
      RATE_LIMIT_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      ADMIN_USER,
      ADMIN_APP_PASSWORD: ADMIN_PASSWORD,
      SEED_DEMO: 'false',
      REDIS_URL: '',
      ...o.env,
    });
  }
  const started = performance.now();
  const child = spawn(process.execPath, commandFor(kind, o.nodeArgs ?? []), {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (o.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} exited early (${child.exitCode}):\n${output}`);
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${kind} not ready in time:\n${output}`);
    }
    await sleep(50);
  }
  return {
    kind,
    url,
    pid: child.pid!,
    child,
    startMs: performance.now() - started,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface MemoryInfo {
  rssMb: number;
  peakRssMb: number;
}

export function memoryOf(pid: number): MemoryInfo | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

const CLOCK_TICKS = 100;

/** Resets the peak RSS (VmHWM) of a process to its current RSS (Linux ≥ 4.0, own processes). */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Busy and total CPU time of the whole machine so far, in ms (from /proc/stat). */
export function machineCpuMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (line[3] ?? 0) + (line[4] ?? 0);
  return { busy: ((total - idle) * 1000) / CLOCK_TICKS, total: (total * 1000) / CLOCK_TICKS };
}

/** User + system CPU time of the process so far, in ms. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

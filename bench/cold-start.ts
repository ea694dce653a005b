/**
 * Cold start of `npm start` on an existing embedded (PGlite) database, to the first 200 from
 * GET /ready. A DATA_DIR is prepared once (first start: migrations, administrator, demo data)
 * and kept in the OS temp folder; each timed run then spawns the command in its own process
 * group, polls /ready every 20 ms, and stops the group with SIGTERM before the next run.
 * `node --import tsx src/main.ts` is timed too, to show npm's own share.
 *
 * Standalone: npx tsx bench/cold-start.ts [--runs 5]
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ADMIN_PASSWORD, ADMIN_USER, root } from './lib/processes.js';
import { freePort, log, median, sleep } from './lib/util.js';

export interface ColdStartResult {
  dataDir: string;
  npmStartMs: number[];
  nodeDirectMs: number[];
  npmStartMedianMs: number;
  nodeDirectMedianMs: number;
}

const DATA_DIR = join(tmpdir(), 'fcgw-bench-cold-start');
const MARKER = join(DATA_DIR, '.bench-prepared');

async function timeStart(command: string, args: string[]): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: '',
      DATA_DIR,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ADMIN_USER,
      ADMIN_APP_PASSWORD: ADMIN_PASSWORD,
      RATE_LIMIT_ENABLED: 'false',
    },
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let elapsed = Number.NaN;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`start failed (${child.exitCode}): ${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) {
      elapsed = performance.now() - started;
      break;
    }
    await sleep(20);
  }
  // The whole group we created (npm → sh → node), and nothing else.
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {}
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {}
  }, 15_000);
  await exited;
  // npm exits before its child has released the data folder lock: wait for the port to close.
  for (let i = 0; i < 200; i++) {
    const open = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => true,
      () => false,
    );
    if (!open) break;
    await sleep(50);
  }
  clearTimeout(timer);
  await sleep(200);
  if (Number.isNaN(elapsed)) throw new Error(`not ready within 60 s: ${stderr}`);
  return elapsed;
}

export async function coldStart(runs: number, alsoDirect = true): Promise<ColdStartResult> {
  if (!existsSync(MARKER)) {
    log(`cold start: preparing ${DATA_DIR} (first start: migrations, administrator, demo data)`);
    await timeStart('npm', ['start', '--silent']);
    writeFileSync(MARKER, new Date().toISOString());
  }
  const npmStartMs: number[] = [];
  const nodeDirectMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    npmStartMs.push(await timeStart('npm', ['start', '--silent']));
    if (alsoDirect) nodeDirectMs.push(await timeStart(process.execPath, ['--import', 'tsx', 'src/main.ts']));
    log(
      `cold start run ${i + 1}/${runs}: npm start ${npmStartMs.at(-1)!.toFixed(0)} ms` +
        (alsoDirect ? `, node directly ${nodeDirectMs.at(-1)!.toFixed(0)} ms` : ''),
    );
  }
  return {
    dataDir: DATA_DIR,
    npmStartMs,
    nodeDirectMs,
    npmStartMedianMs: median(npmStartMs),
    nodeDirectMedianMs: median(nodeDirectMs),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const result = await coldStart(Number(values.runs));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

/**
 * `npm run bench [-- options]`: the gateway against a raw-SQL floor and PostGraphile, side by
 * side in one run. See bench/README.md.
 *
 *   --quick              20,000 customers, 2 short rounds (a smoke run, < 3 minutes)
 *   --reseed             drop and re-seed the bench database
 *   --customers N        data size (default 100,000; --quick 20,000)
 *   --rounds N           rounds of A B A B alternation (default 3; --quick 2)
 *   --duration S         measured seconds per run (default 5; --quick 1; S5 at least 2)
 *   --warmup S           discarded warm-up seconds per run (default 2; --quick 0.3)
 *   --connections N      autocannon connections (default 16)
 *   --writers N          S5 concurrent writers (default 8)
 *   --only S1,S2,...     scenarios to run (default all)
 *   --contenders gql,rest,raw,pgl   contenders to time (default all)
 *   --no-pgl             leave PostGraphile out
 *   --no-stmts           skip the statement counting
 *   --no-cold-start      skip the cold start measurement
 *   --cold-start-runs N  (default 3; --quick 1)
 *   --profile            run the gateway under --cpu-prof and summarise the profile
 *   --print-scenarios    print the exact request texts and exit
 *   --out NAME           results file name without extension (default the date)
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/gw_bench, gw_bench_quick with
 * --quick) is created when missing; it is reused while it holds the same seeded data set.
 */
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { coldStart } from './cold-start.js';
import {
  type DataParams,
  deleteWriteScenarioRows,
  prepareDatabase,
  S5_EMAIL_DOMAIN,
  vacuumAnalyze,
  withClient,
} from './lib/db.js';
import { normalise } from './lib/normalise.js';
import {
  BASIC_AUTH,
  cpuMsOf,
  machineCpuMs,
  memoryOf,
  resetPeakRss,
  root,
  type ServerKind,
  type ServerProcess,
  startServer,
} from './lib/processes.js';
import { monotonicMicros, summariseProfile, type Window } from './lib/profile.js';
import { renderMarkdown } from './lib/report.js';
import { StatementCountingProxy } from './lib/stmt-proxy.js';
import type { BenchResults, InvariantResult } from './lib/types.js';
import { log, median, prng } from './lib/util.js';
import type { ReadJob, ReadResult, WriteAck, WriteJob, WriteResult } from './load-worker.js';
import {
  CONTENDER_NAMES,
  type Contender,
  LIST_GRAPHQL,
  type ReadScenario,
  type RequestSpec,
  readScenarios,
  S1_GRAPHQL,
  S1_POSTGRAPHILE,
  S1_SEARCH_POSTGRAPHILE,
  S2_GRAPHQL,
  S2_POSTGRAPHILE,
  type ScenarioId,
} from './scenarios.js';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reseed: { type: 'boolean', default: false },
    customers: { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    writers: { type: 'string' },
    only: { type: 'string' },
    contenders: { type: 'string' },
    'no-pgl': { type: 'boolean', default: false },
    'no-stmts': { type: 'boolean', default: false },
    'no-cold-start': { type: 'boolean', default: false },
    'cold-start-runs': { type: 'string' },
    profile: { type: 'boolean', default: false },
    'print-scenarios': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const quick = args.quick!;
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const options = {
  quick,
  customers: num(args.customers, quick ? 20_000 : 100_000),
  rounds: num(args.rounds, quick ? 2 : 3),
  duration: num(args.duration, quick ? 1 : 5),
  warmup: num(args.warmup, quick ? 0.3 : 2),
  connections: num(args.connections, 16),
  writers: num(args.writers, 8),
  writeDuration: num(args.duration, quick ? 2 : 5),
  coldStartRuns: num(args['cold-start-runs'], quick ? 1 : 3),
  seed: 1,
  statementSamples: quick ? 5 : 20,
  databaseUrl:
    process.env.BENCH_DATABASE_URL ??
    `postgres://postgres@127.0.0.1:5432/${quick ? 'gw_bench_quick' : 'gw_bench'}`,
  only: args.only ? new Set(args.only.split(',').map((s) => s.trim())) : null,
  pgl: !args['no-pgl'],
  profile: args.profile!,
};

const wanted = (id: ScenarioId) => !options.only || options.only.has(id);
const timedContenders = args.contenders ? new Set(args.contenders.split(',').map((s) => s.trim())) : null;
const timed = (c: Contender) => !timedContenders || timedContenders.has(c);

// ---------------------------------------------------------------------------------------------
// The load worker (a separate process)
// ---------------------------------------------------------------------------------------------

class LoadWorker {
  private child: ChildProcess;
  private ready: Promise<void>;

  constructor() {
    this.child = fork(join(root, 'bench/load-worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve) => {
      const onMessage = (m: any) => {
        if (m?.ready) {
          this.child.off('message', onMessage);
          resolve();
        }
      };
      this.child.on('message', onMessage);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Runs a job; `onMeasure` runs between a read job's warm-up and its measured part. */
  async run<R>(job: ReadJob | WriteJob, onMeasure?: () => Promise<void>): Promise<R> {
    await this.ready;
    return new Promise((resolve, reject) => {
      const onMessage = (m: any) => {
        if (m?.phase === 'measure') {
          (onMeasure ?? (async () => {}))().then(
            () => this.child.send({ go: true }),
            () => this.child.send({ go: true }),
          );
        } else if (m && 'ok' in m) {
          this.child.off('message', onMessage);
          if (m.ok) resolve(m.result as R);
          else reject(new Error(m.error));
        }
      };
      this.child.on('message', onMessage);
      this.child.send(job);
    });
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

// ---------------------------------------------------------------------------------------------
// CPU accounting: the server's own CPU, and how much of the machine went to other work
// ---------------------------------------------------------------------------------------------

interface CpuSnapshot {
  at: number;
  machine: { busy: number; total: number };
  pids: Map<number, number>;
  backends: Set<number>;
}

class CpuAccount {
  constructor(
    private readonly client: pg.Client,
    private readonly ownPids: () => number[],
  ) {}

  private async backendPids(): Promise<number[]> {
    const r = await this.client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
    );
    return r.rows.map((x) => x.pid);
  }

  async snapshot(): Promise<CpuSnapshot> {
    const backends = await this.backendPids();
    const pids = [...new Set([...this.ownPids(), ...backends])];
    return {
      at: performance.now(),
      machine: machineCpuMs(),
      pids: new Map(pids.map((p) => [p, cpuMsOf(p)])),
      backends: new Set(backends),
    };
  }

  /** Our CPU (bench processes and the bench database's backends) vs the machine's, since `before`. */
  async since(before: CpuSnapshot): Promise<{ foreignShare: number; busyShare: number; postgresMs: number }> {
    const machine = machineCpuMs();
    const backends = new Set([...before.backends, ...(await this.backendPids())]);
    const pids = [...new Set([...before.pids.keys(), ...this.ownPids(), ...backends])];
    let ours = 0;
    let postgresMs = 0;
    for (const pid of pids) {
      const now = cpuMsOf(pid);
      if (Number.isNaN(now)) continue;
      // A backend that was not there at the snapshot was started since: all its CPU counts.
      const used = now - (before.pids.get(pid) ?? (backends.has(pid) ? 0 : now));
      ours += used;
      if (backends.has(pid)) postgresMs += used;
    }
    const busy = machine.busy - before.machine.busy;
    const total = machine.total - before.machine.total;
    return {
      foreignShare: busy > 0 ? Math.max(0, Math.min(1, 1 - ours / busy)) : 0,
      busyShare: total > 0 ? busy / total : 0,
      postgresMs,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const serverOf: Record<Contender, ServerKind> = {
  gql: 'gateway',
  rest: 'gateway',
  raw: 'raw',
  pgl: 'postgraphile',
};

function headersFor(contender: Contender): Record<string, string> {
  return contender === 'gql' || contender === 'rest' ? { authorization: BASIC_AUTH } : {};
}

async function send(baseUrl: string, contender: Contender, spec: RequestSpec, id?: string): Promise<any> {
  const path = id ? spec.path.replace('{{id}}', id) : spec.path;
  const body = id && spec.body ? spec.body.replace('{{id}}', id) : spec.body;
  const res = await fetch(`${baseUrl}${path}`, {
    method: spec.method,
    headers: { ...headersFor(contender), ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${spec.method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Contender order of a round: the base order, reversed every other round (A B C, C B A, …). */
function ordered<T>(items: T[], round: number): T[] {
  return round % 2 === 0 ? items : [...items].reverse();
}

async function checkInvariant(url: string, acks: WriteAck[]): Promise<InvariantResult> {
  const problems: string[] = [];
  const ids = acks.map((a) => a.customerId);
  const addressIds = acks.flatMap((a) => a.addresses.map((x) => x.id));
  const keys = acks.flatMap((a) => a.keys.map((k) => [a.customerId, k] as const));
  await withClient(url, async (c) => {
    const customers = await c.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM customers WHERE id = ANY($1::bigint[])',
      [ids],
    );
    if (customers.rows[0]!.n !== ids.length) {
      problems.push(`lost customers: ${ids.length - customers.rows[0]!.n} of ${ids.length}`);
    }
    const addresses = await c.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM customer_addresses WHERE id = ANY($1::bigint[])',
      [addressIds],
    );
    if (addresses.rows[0]!.n !== addressIds.length) {
      problems.push(`lost addresses: ${addressIds.length - addresses.rows[0]!.n} of ${addressIds.length}`);
    }
    const extra = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM customer_addresses a JOIN customers c ON c.id = a.customer_id
        WHERE c.email::text LIKE $1 AND NOT (a.id = ANY($2::bigint[]))`,
      [`%@${S5_EMAIL_DOMAIN}`, addressIds],
    );
    if (extra.rows[0]!.n > 0) problems.push(`unacknowledged addresses: ${extra.rows[0]!.n}`);
    const missingKeys = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n
         FROM unnest($1::bigint[], $2::text[]) AS k(customer_id, key)
         LEFT JOIN customers c ON c.id = k.customer_id
        WHERE c.id IS NULL OR NOT (c.additional_info ? k.key)`,
      [keys.map((k) => k[0]), keys.map((k) => k[1])],
    );
    if (missingKeys.rows[0]!.n > 0)
      problems.push(`lost additional-info keys: ${missingKeys.rows[0]!.n} of ${keys.length}`);
    const primaries = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT a.customer_id, a.type FROM customer_addresses a JOIN customers c ON c.id = a.customer_id
          WHERE c.email::text LIKE $1
          GROUP BY 1, 2 HAVING count(*) FILTER (WHERE a.is_primary) <> 1) AS bad`,
      [`%@${S5_EMAIL_DOMAIN}`],
    );
    if (primaries.rows[0]!.n > 0)
      problems.push(`(customer, type) without exactly one primary: ${primaries.rows[0]!.n}`);
  });
  return {
    ok: problems.length === 0,
    customers: ids.length,
    addresses: addressIds.length,
    keys: keys.length,
    problems,
  };
}

function printScenarios(p: DataParams): void {
  const out: string[] = [];
  for (const s of readScenarios(p)) {
    out.push(`## ${s.id}: ${s.title}`);
    for (const [c, spec] of Object.entries(s.contenders) as [Contender, RequestSpec][]) {
      out.push(
        `- ${CONTENDER_NAMES[c]}: ${spec.method} ${spec.path}${spec.body ? `\n  body: ${spec.body}` : ''}`,
      );
    }
  }
  out.push('', '--- S1 GraphQL ---', S1_GRAPHQL, '--- S1 PostGraphile ---', S1_POSTGRAPHILE);
  out.push('--- S1-search PostGraphile ---', S1_SEARCH_POSTGRAPHILE, '--- S2 GraphQL ---', S2_GRAPHQL);
  out.push('--- S2 PostGraphile ---', S2_POSTGRAPHILE, '--- S3/S4 GraphQL ---', LIST_GRAPHQL);
  process.stdout.write(`${out.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function countStatements(
  scenarios: ReadScenario[],
  kind: ServerKind,
  server: ServerProcess,
  proxy: StatementCountingProxy,
  worker: LoadWorker,
  results: BenchResults,
): Promise<void> {
  const record = (scenario: ScenarioId, contender: Contender, n: number, latencies: number[] = []) =>
    results.statements.push({
      scenario,
      contender,
      perRequest: proxy.log.total / Math.max(1, n),
      samples: n,
      sequentialP50Ms: latencies.length ? median(latencies) : null,
      kinds: [...proxy.log.kinds.entries()]
        .map(([sql, count]) => ({ sql, perRequest: count / Math.max(1, n) }))
        .sort((a, b) => b.perRequest - a.perRequest)
        .slice(0, 12),
    });
  for (const s of scenarios) {
    for (const [contender, spec] of Object.entries(s.contenders) as [Contender, RequestSpec][]) {
      if (serverOf[contender] !== kind) continue;
      const next = prng(99);
      const id = () =>
        spec.randomId
          ? String(spec.randomId.min + Math.floor(next() * (spec.randomId.max - spec.randomId.min + 1)))
          : undefined;
      try {
        for (let i = 0; i < 3; i++) await send(server.url, contender, spec, id());
        proxy.reset();
        const latencies: number[] = [];
        for (let i = 0; i < options.statementSamples; i++) {
          const t = performance.now();
          await send(server.url, contender, spec, id());
          latencies.push(performance.now() - t);
        }
        record(s.id, contender, options.statementSamples, latencies);
      } catch (error) {
        results.notes.push(`statement count ${s.id}/${contender}: ${(error as Error).message.slice(0, 300)}`);
      }
    }
  }
  if (wanted('S5') && kind !== 'postgraphile') {
    for (const contender of (kind === 'gateway' ? ['gql', 'rest'] : ['raw']) as Contender[]) {
      proxy.reset();
      const r = await worker.run<WriteResult>({
        type: 'write',
        baseUrl: server.url,
        surface: contender as WriteJob['surface'],
        headers: headersFor(contender),
        concurrency: 1,
        durationSeconds: 1,
        tag: `stmt${contender}${Date.now()}`,
        emailDomain: S5_EMAIL_DOMAIN,
      });
      record('S5', contender, r.requests);
    }
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const notes: string[] = [];
  const loadavgStart = os.loadavg();
  log(
    `options: ${options.customers} customers, ${options.rounds} rounds × (${options.warmup} s warm-up + ` +
      `${options.duration} s), ${options.connections} connections; load average ${loadavgStart.map((l) => l.toFixed(1)).join(' ')}`,
  );

  const { params, reused } = await prepareDatabase({
    url: options.databaseUrl,
    customers: options.customers,
    seed: options.seed,
    reseed: args.reseed!,
  });
  if (args['print-scenarios']) return printScenarios(params);
  const leftover = await deleteWriteScenarioRows(options.databaseUrl);
  if (leftover > 0) log(`deleted ${leftover} customers left by an earlier S5 run`);
  if (reused) await vacuumAnalyze(options.databaseUrl);

  const postgresVersion = await withClient(options.databaseUrl, async (c) => {
    const r = await c.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return r.rows[0]!.v;
  });

  const scenarios = readScenarios(params).filter((s) => wanted(s.id));
  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    options: { ...options, only: options.only ? [...options.only] : null },
    machine: {
      cpus: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      postgres: postgresVersion,
      os: `${os.type()} ${os.release()}`,
      loadavgStart,
      loadavgEnd: [],
    },
    data: { ...params, reused, databaseUrl: options.databaseUrl },
    contenders: {},
    equivalence: [],
    statements: [],
    runs: [],
    memory: {},
    coldStart: null,
    profile: null,
    notes,
  };

  // ----- start everything at once: the timed contenders, and (for the statement counts) each
  // contender once more with its DATABASE_URL pointing at the counting proxy -----
  const dbUrl = new URL(options.databaseUrl);
  const kinds: ServerKind[] = ['gateway', 'raw', ...(options.pgl ? (['postgraphile'] as const) : [])];
  const worker = new LoadWorker();
  const countStatementsToo = !args['no-stmts'];
  const proxy = new StatementCountingProxy(dbUrl.hostname, Number(dbUrl.port || 5432));
  const proxied = new URL(options.databaseUrl);
  if (countStatementsToo) {
    await proxy.start();
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
  }
  const profileDir = join(root, 'bench/results/profiles', startedAt.toISOString().replace(/[:.]/g, '-'));
  log(
    `starting ${kinds.join(', ')}${countStatementsToo ? ' (twice: timed, and through the statement-counting proxy)' : ''}`,
  );
  const servers: Partial<Record<ServerKind, ServerProcess>> = {};
  const counted: Partial<Record<ServerKind, ServerProcess>> = {};
  await Promise.all([
    ...kinds.map(async (kind) => {
      try {
        const nodeArgs =
          options.profile && kind === 'gateway' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
        const server = await startServer(kind, { databaseUrl: options.databaseUrl, nodeArgs });
        servers[kind] = server;
        results.contenders[kind] = { started: true, startMs: Math.round(server.startMs) };
        log(`${kind} ready in ${server.startMs.toFixed(0)} ms (pid ${server.pid}) at ${server.url}`);
      } catch (error) {
        const message = (error as Error).message;
        results.contenders[kind] = { started: false, error: message.slice(0, 2000) };
        notes.push(`${kind} could not be started: ${message.slice(0, 500)}`);
        log(`${kind} could not be started: ${message.slice(0, 500)}`);
      }
    }),
    ...(countStatementsToo ? kinds : []).map(async (kind) => {
      try {
        // The schema is migrated already (by the seeding, and by the timed gateway's start).
        counted[kind] = await startServer(kind, {
          databaseUrl: proxied.toString(),
          env: { MIGRATE_ON_START: 'false' },
        });
      } catch (error) {
        notes.push(`statement count: ${kind} did not start: ${(error as Error).message.slice(0, 300)}`);
      }
    }),
  ]);

  const startupPeak: Partial<Record<ServerKind, number>> = {};
  /** The gateway's measured runs, for --profile (start-up and other contenders' runs left out). */
  const gatewayWindows: Window[] = [];
  try {
    // ----- statements per request (sequential requests, nothing else running) -----
    if (countStatementsToo) {
      log(
        `counting SQL statements per request through a wire-protocol proxy (${options.statementSamples} requests each)`,
      );
      for (const kind of kinds) {
        const server = counted[kind];
        if (!server) continue;
        try {
          await countStatements(scenarios, kind, server, proxy, worker, results);
        } finally {
          await server.stop();
        }
      }
      await proxy.stop();
      await deleteWriteScenarioRows(options.databaseUrl);
      for (const s of results.statements) {
        log(
          `  ${s.scenario.padEnd(9)} ${CONTENDER_NAMES[s.contender].padEnd(16)} ${s.perRequest.toFixed(2)} statements/request`,
        );
      }
    }

    // Peak RSS from here on is the peak under load; the startup peak is kept apart.
    for (const [kind, server] of Object.entries(servers) as [ServerKind, ServerProcess][]) {
      startupPeak[kind] = memoryOf(server.pid)?.peakRssMb ?? Number.NaN;
      if (!resetPeakRss(server.pid))
        notes.push(`could not reset the peak RSS of ${kind}; its peak includes startup`);
    }

    // ----- every contender answers the same data -----
    for (const s of scenarios) {
      const reference: Record<string, string> = {};
      const ids = s.contenders.gql?.randomId
        ? [params.minId, Math.floor((params.minId + params.maxId) / 2), params.maxId].map(String)
        : [undefined];
      for (const [contender, spec] of Object.entries(s.contenders) as [Contender, RequestSpec][]) {
        const server = servers[serverOf[contender]];
        if (!server) continue;
        try {
          const got: string[] = [];
          for (const id of ids)
            got.push(JSON.stringify(normalise(s.id, contender, await send(server.url, contender, spec, id))));
          const key = got.join('\n');
          const base = reference.raw ?? Object.values(reference)[0];
          reference[contender] = key;
          const same = base === undefined || base === key;
          results.equivalence.push({
            scenario: s.id,
            contender,
            same,
            ...(same ? {} : { detail: `expected ${base?.slice(0, 300)} got ${key.slice(0, 300)}` }),
          });
          if (!same) log(`!! ${s.id} ${contender} answers different data than the others`);
        } catch (error) {
          results.equivalence.push({
            scenario: s.id,
            contender,
            same: false,
            detail: (error as Error).message.slice(0, 500),
          });
          log(`!! ${s.id} ${contender}: ${(error as Error).message.slice(0, 300)}`);
        }
      }
    }

    // ----- timed rounds, contenders alternated -----
    const monitor = new pg.Client({ connectionString: options.databaseUrl });
    await monitor.connect();
    const ownPids = () => [process.pid, worker.pid, ...Object.values(servers).map((x) => x.pid)];
    const account = new CpuAccount(monitor, ownPids);
    try {
      for (let round = 0; round < options.rounds; round++) {
        log(`round ${round + 1}/${options.rounds}`);
        for (const s of scenarios) {
          const entries = ordered(
            (Object.entries(s.contenders) as [Contender, RequestSpec][]).filter(([c]) => timed(c)),
            round,
          );
          for (const [contender, spec] of entries) {
            const server = servers[serverOf[contender]];
            if (!server) continue;
            let before: CpuSnapshot | undefined;
            let serverCpuBefore = Number.NaN;
            const r = await worker.run<ReadResult>(
              {
                type: 'read',
                baseUrl: server.url,
                spec,
                headers: headersFor(contender),
                connections: options.connections,
                warmupSeconds: options.warmup,
                durationSeconds: options.duration,
              },
              async () => {
                before = await account.snapshot();
                serverCpuBefore = cpuMsOf(server.pid);
                if (server.kind === 'gateway')
                  gatewayWindows.push({ start: monotonicMicros(), end: Infinity });
              },
            );
            const window = gatewayWindows.at(-1);
            if (server.kind === 'gateway' && window && window.end === Infinity)
              window.end = monotonicMicros();
            const serverCpu = cpuMsOf(server.pid) - serverCpuBefore;
            const share = before ? await account.since(before) : null;
            results.runs.push({
              scenario: s.id,
              contender,
              round,
              rps: r.rps,
              p50: r.p50,
              p99: r.p99,
              requests: r.requests,
              non2xx: r.non2xx,
              errors: r.errors,
              cpuMsPerRequest: r.requests > 0 ? serverCpu / r.requests : null,
              postgresCpuMsPerRequest: share && r.requests > 0 ? share.postgresMs / r.requests : null,
              foreignCpuShare: share?.foreignShare ?? null,
              machineBusyShare: share?.busyShare ?? null,
              loadavg1: os.loadavg()[0]!,
            });
            log(
              `  ${s.id.padEnd(9)} ${CONTENDER_NAMES[contender].padEnd(16)} ${r.rps.toFixed(0).padStart(6)} req/s  ` +
                `p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  other work ${share ? (100 * share.foreignShare).toFixed(0) : '?'} % of busy CPU` +
                `${r.non2xx || r.errors ? `  (${r.non2xx} non-2xx, ${r.errors} errors)` : ''}`,
            );
          }
        }
        if (wanted('S5')) {
          for (const contender of ordered<Contender>(['gql', 'rest', 'raw'], round).filter(timed)) {
            const server = servers[serverOf[contender]];
            if (!server) continue;
            const before = await account.snapshot();
            const serverCpuBefore = cpuMsOf(server.pid);
            const r = await worker.run<WriteResult>({
              type: 'write',
              baseUrl: server.url,
              surface: contender as WriteJob['surface'],
              headers: headersFor(contender),
              concurrency: options.writers,
              durationSeconds: options.writeDuration,
              tag: `r${round}${contender}${Date.now()}`,
              emailDomain: S5_EMAIL_DOMAIN,
            });
            const serverCpu = cpuMsOf(server.pid) - serverCpuBefore;
            const share = await account.since(before);
            const invariant = await checkInvariant(options.databaseUrl, r.acks);
            await deleteWriteScenarioRows(options.databaseUrl);
            const { acks: _acks, ...write } = r;
            results.runs.push({
              scenario: 'S5',
              contender,
              round,
              rps: r.rps,
              p50: r.p50,
              p99: r.p99,
              requests: r.requests,
              non2xx: r.failures,
              errors: 0,
              cpuMsPerRequest: r.requests > 0 ? serverCpu / r.requests : null,
              postgresCpuMsPerRequest: r.requests > 0 ? share.postgresMs / r.requests : null,
              foreignCpuShare: share.foreignShare,
              machineBusyShare: share.busyShare,
              loadavg1: os.loadavg()[0]!,
              write: { ...write, invariant },
            });
            log(
              `  S5        ${CONTENDER_NAMES[contender].padEnd(16)} ${r.rps.toFixed(0).padStart(6)} req/s  ` +
                `p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ${r.failures} failures; invariant ` +
                `${invariant.ok ? 'ok' : `BROKEN: ${invariant.problems.join('; ')}`} ` +
                `(${invariant.customers} customers, ${invariant.addresses} addresses, ${invariant.keys} keys; ` +
                `${r.ops.create} creates, ${r.ops.merge} merges, ${r.ops.setPrimary} set-primary)`,
            );
            if (r.failureSamples.length > 0) log(`    e.g. ${r.failureSamples[0]}`);
          }
        }
      }
    } finally {
      await monitor.end();
    }
  } finally {
    worker.stop();
    for (const server of Object.values(counted)) await server.stop();
    for (const [kind, server] of Object.entries(servers) as [ServerKind, ServerProcess][]) {
      const mem = memoryOf(server.pid);
      results.memory[kind] = mem
        ? {
            startupPeakRssMb: startupPeak[kind] ?? Number.NaN,
            peakRssMb: mem.peakRssMb,
            rssMbAfter: mem.rssMb,
          }
        : null;
      await server.stop();
    }
  }

  if (options.profile) {
    try {
      const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
      const biggest = files
        .map((f) => join(profileDir, f))
        .sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
      if (biggest) {
        results.profile = summariseProfile(biggest, gatewayWindows);
        log(`profile (${biggest}):\n${results.profile}`);
      }
    } catch (error) {
      notes.push(`profile: ${(error as Error).message}`);
    }
  }

  if (!args['no-cold-start']) {
    try {
      results.coldStart = await coldStart(options.coldStartRuns, !quick);
    } catch (error) {
      results.coldStart = { error: (error as Error).message.slice(0, 1000) };
      log(`cold start failed: ${(error as Error).message.slice(0, 300)}`);
    }
  }

  results.machine.loadavgEnd = os.loadavg();
  results.finishedAt = new Date().toISOString();
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const name = args.out ?? `${startedAt.toISOString().slice(0, 10)}${quick ? '-quick' : ''}`;
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  // In the project's format, so that `biome check .` stays clean with new results committed.
  spawnSync(join(root, 'node_modules/.bin/biome'), ['format', '--write', join(dir, `${name}.json`)], {
    stdio: 'ignore',
  });
  const md = renderMarkdown(results);
  writeFileSync(join(dir, `${name}.md`), md);
  process.stdout.write(`\n${md}\n`);
  log(
    `results: bench/results/${name}.json and .md (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);

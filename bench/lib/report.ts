/** The Markdown summary of a bench run (bench/results/<date>.md), targets first. */
import { CONTENDER_NAMES, type Contender, type ScenarioId } from '../scenarios.js';
import type { BenchResults, RunRecord } from './types.js';
import { fmt, median, stats } from './util.js';

type Ratio = { label: string; a: Contender; b: Contender };

/** Ratios of throughput (a / b), computed per round from the same round's runs. */
const RATIOS: Partial<Record<ScenarioId, Ratio[]>> = {
  S1: [
    { label: 'gateway GraphQL / PostGraphile', a: 'gql', b: 'pgl' },
    { label: 'gateway GraphQL / raw floor', a: 'gql', b: 'raw' },
  ],
  S2: [
    { label: 'gateway REST / raw floor', a: 'rest', b: 'raw' },
    { label: 'gateway GraphQL / raw floor', a: 'gql', b: 'raw' },
    { label: 'gateway GraphQL / PostGraphile', a: 'gql', b: 'pgl' },
    { label: 'gateway REST / gateway GraphQL', a: 'rest', b: 'gql' },
  ],
  S3: [
    { label: 'gateway REST / raw floor', a: 'rest', b: 'raw' },
    { label: 'gateway GraphQL / raw floor', a: 'gql', b: 'raw' },
    { label: 'gateway REST / gateway GraphQL', a: 'rest', b: 'gql' },
  ],
  S4: [
    { label: 'gateway REST / gateway GraphQL', a: 'rest', b: 'gql' },
    { label: 'gateway REST / raw floor', a: 'rest', b: 'raw' },
  ],
  S5: [
    { label: 'gateway REST / raw floor', a: 'rest', b: 'raw' },
    { label: 'gateway GraphQL / raw floor', a: 'gql', b: 'raw' },
    { label: 'gateway REST / gateway GraphQL', a: 'rest', b: 'gql' },
  ],
};
RATIOS['S1-deep'] = RATIOS.S1;
RATIOS['S1-search'] = RATIOS.S1;

const SCENARIOS: ScenarioId[] = ['S1', 'S1-deep', 'S1-search', 'S2', 'S3', 'S4', 'S5'];

function runsOf(r: BenchResults, s: ScenarioId, c: Contender): RunRecord[] {
  return r.runs.filter((x) => x.scenario === s && x.contender === c);
}

export function ratioStats(r: BenchResults, s: ScenarioId, a: Contender, b: Contender) {
  const values: number[] = [];
  for (let round = 0; round < r.options.rounds; round++) {
    const x = r.runs.find((v) => v.scenario === s && v.contender === a && v.round === round);
    const y = r.runs.find((v) => v.scenario === s && v.contender === b && v.round === round);
    if (x && y && y.rps > 0) values.push(x.rps / y.rps);
  }
  return values.length ? { ...stats(values), values } : null;
}

/** Server + PostgreSQL CPU per request of B ÷ that of A, per round: a throughput ratio estimate
 * that does not depend on how much CPU other work left to each run. */
export function cpuCostRatioStats(r: BenchResults, s: ScenarioId, a: Contender, b: Contender) {
  const values: number[] = [];
  const cost = (x: RunRecord) =>
    x.cpuMsPerRequest !== null && x.postgresCpuMsPerRequest != null
      ? x.cpuMsPerRequest + x.postgresCpuMsPerRequest
      : null;
  for (let round = 0; round < r.options.rounds; round++) {
    const x = r.runs.find((v) => v.scenario === s && v.contender === a && v.round === round);
    const y = r.runs.find((v) => v.scenario === s && v.contender === b && v.round === round);
    const cx = x ? cost(x) : null;
    const cy = y ? cost(y) : null;
    if (cx && cy) values.push(cy / cx);
  }
  return values.length ? { ...stats(values), values } : null;
}

const medianOf = (
  runs: RunRecord[],
  key:
    | 'rps'
    | 'p50'
    | 'p99'
    | 'cpuMsPerRequest'
    | 'postgresCpuMsPerRequest'
    | 'foreignCpuShare'
    | 'machineBusyShare',
) => (runs.length ? median(runs.map((x) => x[key] ?? Number.NaN)) : Number.NaN);

function statementsOf(r: BenchResults, s: ScenarioId, c: Contender): number | null {
  return r.statements.find((x) => x.scenario === s && x.contender === c)?.perRequest ?? null;
}

function sequentialOf(r: BenchResults, s: ScenarioId, c: Contender): number | null {
  return r.statements.find((x) => x.scenario === s && x.contender === c)?.sequentialP50Ms ?? null;
}

const ratioText = (v: { min: number; median: number; max: number } | null) =>
  v ? `**${v.median.toFixed(2)}×** (${v.min.toFixed(2)}–${v.max.toFixed(2)})` : '–';

export interface TargetRow {
  target: string;
  measured: string;
  met: boolean | null;
}

export function targets(r: BenchResults): TargetRow[] {
  const rows: TargetRow[] = [];
  const verdict = (ok: boolean | null) => ok;
  for (const s of ['S1', 'S1-deep', 'S1-search'] as ScenarioId[]) {
    const pgl = ratioStats(r, s, 'gql', 'pgl');
    const raw = ratioStats(r, s, 'gql', 'raw');

    const cpuPgl = cpuCostRatioStats(r, s, 'gql', 'pgl');
    const cpuRaw = cpuCostRatioStats(r, s, 'gql', 'raw');
    const cpuText = (v: ReturnType<typeof cpuCostRatioStats>) =>
      v ? `; CPU-cost ratio ${v.median.toFixed(2)}× (${v.min.toFixed(2)}–${v.max.toFixed(2)})` : '';
    rows.push({
      target: `${s}: gateway ≥ 1.0× PostGraphile`,
      measured: pgl
        ? `${ratioText(pgl)} req/s ratio, median (min–max) over rounds${cpuText(cpuPgl)}`
        : 'not measured',
      met: verdict(pgl ? pgl.median >= 1 : null),
    });
    rows.push({
      target: `${s}: gateway ≥ 0.5× raw floor`,
      measured: raw ? `${ratioText(raw)}${cpuText(cpuRaw)}` : 'not measured',
      met: verdict(raw ? raw.median >= 0.5 : null),
    });
  }
  const s1Statements = (['S1', 'S1-deep', 'S1-search'] as ScenarioId[]).map((s) => statementsOf(r, s, 'gql'));
  const known = s1Statements.filter((v): v is number => v !== null);
  rows.push({
    target: 'SQL statements per S1 request constant and ≤ 4 (gateway)',
    measured: known.length
      ? `S1 ${fmt(s1Statements[0], 2)}, S1-deep ${fmt(s1Statements[1], 2)}, S1-search ${fmt(s1Statements[2], 2)}`
      : 'not measured',
    met: known.length ? known.every((v) => v <= 4) && new Set(known).size === 1 : null,
  });
  const s3 = (['rest', 'gql'] as Contender[]).map((c) => medianOf(runsOf(r, 'S3', c), 'p50'));
  rows.push({
    target: 'S3 p50 ≤ 50 ms (gateway)',
    measured:
      `REST ${fmt(s3[0], 1)} ms, GraphQL ${fmt(s3[1], 1)} ms (median over rounds, ${r.options.connections} connections); ` +
      `one request at a time: REST ${fmt(sequentialOf(r, 'S3', 'rest'), 1)} ms, GraphQL ${fmt(sequentialOf(r, 'S3', 'gql'), 1)} ms, ` +
      `raw ${fmt(sequentialOf(r, 'S3', 'raw'), 1)} ms`,
    met: s3.some(Number.isNaN) ? null : Math.max(...s3) <= 50,
  });
  const s4 = ratioStats(r, 'S4', 'gql', 'rest');
  rows.push({
    target: 'S4 REST overhead ≤ 10 % vs GraphQL',
    measured: s4
      ? `${((s4.median - 1) * 100).toFixed(1)} % (GraphQL req/s ÷ REST req/s − 1; rounds ${((s4.min - 1) * 100).toFixed(1)} … ${((s4.max - 1) * 100).toFixed(1)} %)`
      : 'not measured',
    met: s4 ? s4.median - 1 <= 0.1 : null,
  });
  const mem = r.memory.gateway;
  const peak = mem
    ? Math.max(mem.peakRssMb, Number.isNaN(mem.startupPeakRssMb) ? 0 : mem.startupPeakRssMb)
    : null;
  rows.push({
    target: 'gateway peak RSS ≤ 300 MB',
    measured: mem
      ? `${fmt(peak)} MB (VmHWM; startup incl. migrations check ${fmt(mem.startupPeakRssMb)} MB, under load ${fmt(mem.peakRssMb)} MB)`
      : 'not measured',
    met: peak === null ? null : peak <= 300,
  });
  const cold = r.coldStart && 'npmStartMedianMs' in r.coldStart ? r.coldStart : null;
  rows.push({
    target: 'cold start of `npm start` on an existing embedded database to /ready ≤ 3 s',
    measured: cold
      ? `${fmt(cold.npmStartMedianMs / 1000, 2)} s median of ${cold.npmStartMs.length} (runs ${cold.npmStartMs.map((v) => (v / 1000).toFixed(2)).join(', ')} s${cold.nodeDirectMs.length ? `; \`node --import tsx src/main.ts\` ${fmt(cold.nodeDirectMedianMs / 1000, 2)} s` : ''})`
      : 'not measured',
    met: cold ? cold.npmStartMedianMs <= 3000 : null,
  });
  return rows;
}

export function renderMarkdown(r: BenchResults): string {
  const o = r.options;
  const m = r.machine;
  const out: string[] = [];
  out.push(`# Bench ${r.startedAt.slice(0, 10)}${o.quick ? ' (quick)' : ''}`);
  out.push('');
  out.push(
    `Machine: ${m.cores} × ${m.cpus}, ${m.memoryGb} GiB, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres}. ` +
      'Load generator, servers and PostgreSQL share these cores, and other work (tests, type checks of ' +
      `other engineers) may have been running: load average ${m.loadavgStart.map((v) => v.toFixed(1)).join(' / ')} at the start, ` +
      `${m.loadavgEnd.map((v) => v.toFixed(1)).join(' / ')} at the end. Only ratios from the same round mean anything.`,
  );
  out.push('');
  out.push(
    `Data: ${fmt(r.data.customers)} customers, ${fmt(r.data.addresses)} addresses, ${fmt(r.data.orders)} orders ` +
      `(seed ${r.data.seed}${r.data.reused ? ', database reused' : ', freshly seeded'}). Load: autocannon, ${o.connections} connections, ` +
      `${o.rounds} rounds of (${o.warmup} s warm-up discarded + ${o.duration} s measured) per contender and scenario, contenders ` +
      `alternated (A B C, C B A, …). S5: ${o.writers} concurrent writers for ${o.writeDuration} s. Gateway: authentication ON ` +
      '(Basic, verified once and cached), rate limiting OFF (`RATE_LIMIT_ENABLED=false`), no response caching, ' +
      'LOG_LEVEL=warn, pool 10; raw floor and PostGraphile pool 10.',
  );
  out.push('');
  out.push('## Targets');
  out.push('');
  out.push('| target | measured | met |');
  out.push('|---|---|---|');
  for (const t of targets(r))
    out.push(`| ${t.target} | ${t.measured} | ${t.met === null ? '–' : t.met ? 'yes' : '**no**'} |`);
  out.push('');
  out.push('## Scenarios');
  out.push('');
  out.push(
    'Medians over rounds (min–max for req/s). CPU = server process CPU per request; PG CPU = CPU of ' +
      "the bench database's PostgreSQL backends per request; statements = SQL " +
      'statements per request and seq. p50 = median latency of one request at a time (both from the ' +
      "counting run, through the proxy); other work = share of the machine's busy CPU during the " +
      'measured part used by processes outside this bench (a noise indicator).',
  );
  out.push('');
  out.push(
    '| scenario | contender | req/s | p50 ms | p99 ms | CPU ms/req | PG CPU ms/req | statements/req | seq. p50 ms | other work |',
  );
  out.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const s of SCENARIOS) {
    for (const c of ['gql', 'rest', 'raw', 'pgl'] as Contender[]) {
      const runs = runsOf(r, s, c);
      if (runs.length === 0) continue;
      const rps = stats(runs.map((x) => x.rps));
      out.push(
        `| ${s} | ${CONTENDER_NAMES[c]} | ${fmt(rps.median)} (${fmt(rps.min)}–${fmt(rps.max)}) | ${fmt(medianOf(runs, 'p50'), 1)} | ` +
          `${fmt(medianOf(runs, 'p99'), 1)} | ${fmt(medianOf(runs, 'cpuMsPerRequest'), 2)} | ` +
          `${fmt(medianOf(runs, 'postgresCpuMsPerRequest'), 2)} | ${fmt(statementsOf(r, s, c), 2)} | ` +
          `${fmt(sequentialOf(r, s, c), 1)} | ${fmt(100 * medianOf(runs, 'foreignCpuShare'))} % |`,
      );
    }
  }
  out.push('');
  out.push('## Ratios (A ÷ B, per round: median, min–max)');
  out.push('');
  out.push(
    "req/s ratio: A's req/s ÷ B's in the same round. CPU-cost ratio: B's (server + PostgreSQL) CPU per " +
      "request ÷ A's in the same round — what the req/s ratio would be if both were CPU-bound with the " +
      'same CPU available. It does not depend on how much CPU other work left to each run (the req/s ' +
      'ratio does), but ignores the load generator, waiting and parallelism.',
  );
  out.push('');
  out.push('| scenario | ratio | req/s ratio (min–max) | per round | CPU-cost ratio (min–max) |');
  out.push('|---|---|---|---|---|');
  for (const s of SCENARIOS) {
    for (const ratio of RATIOS[s] ?? []) {
      const v = ratioStats(r, s, ratio.a, ratio.b);
      if (!v) continue;
      const c = cpuCostRatioStats(r, s, ratio.a, ratio.b);
      out.push(
        `| ${s} | ${ratio.label} | ${ratioText(v)} | ${v.values.map((x) => x.toFixed(2)).join(', ')} | ${ratioText(c)} |`,
      );
    }
  }
  const writes = r.runs.filter((x) => x.write);
  if (writes.length) {
    out.push('');
    out.push('## S5 writes');
    out.push('');
    out.push(
      '| round | contender | req/s | p50 ms | p99 ms | creates / merges / set-primary | failures | invariant |',
    );
    out.push('|---|---|---|---|---|---|---|---|');
    for (const w of writes) {
      const inv = w.write!.invariant;
      out.push(
        `| ${w.round + 1} | ${CONTENDER_NAMES[w.contender]} | ${fmt(w.rps)} | ${fmt(w.p50, 1)} | ${fmt(w.p99, 1)} | ` +
          `${w.write!.ops.create} / ${w.write!.ops.merge} / ${w.write!.ops.setPrimary} | ${w.write!.failures} | ` +
          `${inv.ok ? 'ok' : `**broken**: ${inv.problems.join('; ')}`} (${inv.customers} customers, ${inv.addresses} addresses, ${inv.keys} keys) |`,
      );
    }
  }
  out.push('');
  out.push('## Memory (VmHWM of each server: after start-up, then reset and read again after the rounds)');
  out.push('');
  for (const [kind, mem] of Object.entries(r.memory)) {
    out.push(
      `- ${kind}: ${
        mem
          ? `startup peak ${fmt(mem.startupPeakRssMb)} MB, peak under load ${fmt(mem.peakRssMb)} MB, ${fmt(mem.rssMbAfter)} MB at the end`
          : 'unknown'
      }`,
    );
  }
  const problems = r.equivalence.filter((e) => !e.same);
  out.push('');
  out.push('## Same data');
  out.push('');
  out.push(
    problems.length === 0
      ? `Every contender answered the same data (ids, totals, child rows) in all ${r.equivalence.length} checks.`
      : problems.map((p) => `- ${p.scenario} ${CONTENDER_NAMES[p.contender]}: ${p.detail}`).join('\n'),
  );
  if (r.statements.length) {
    out.push('');
    out.push('## SQL statements per request');
    out.push('');
    for (const s of r.statements) {
      out.push(
        `- ${s.scenario} ${CONTENDER_NAMES[s.contender]}: ${fmt(s.perRequest, 2)} — ` +
          s.kinds
            .slice(0, 6)
            .map((k) => `${fmt(k.perRequest, 2)}× \`${k.sql.slice(0, 70).replace(/`/g, "'")}\``)
            .join('; '),
      );
    }
  }
  if (r.profile) {
    out.push('', '## Gateway CPU profile', '', '```', r.profile, '```');
  }
  if (r.notes.length) {
    out.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`));
  }
  out.push('');
  return out.join('\n');
}

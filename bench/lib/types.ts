/** The shapes of bench/results/<date>.json. */
import type { ColdStartResult } from '../cold-start.js';
import type { WriteResult } from '../load-worker.js';
import type { Contender, ScenarioId } from '../scenarios.js';
import type { DataParams } from './db.js';

export interface BenchOptions {
  quick: boolean;
  customers: number;
  rounds: number;
  duration: number;
  warmup: number;
  connections: number;
  writers: number;
  writeDuration: number;
  coldStartRuns: number;
  seed: number;
  statementSamples: number;
  databaseUrl: string;
  only: string[] | null;
  pgl: boolean;
  profile: boolean;
}

// ---------------------------------------------------------------------------------------------

export interface RunRecord {
  scenario: ScenarioId;
  contender: Contender;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Server process CPU per request during the measured part (ms), null when unknown. */
  cpuMsPerRequest: number | null;
  /** CPU of the bench database's PostgreSQL backends per request during the measured part (ms). */
  postgresCpuMsPerRequest?: number | null;
  /** Share of the machine's busy CPU during the measured part spent outside this bench
   * (not the server, load worker, orchestrator or the bench database's backends). */
  foreignCpuShare: number | null;
  /** Machine busy CPU ÷ (cores × wall time) during the measured part. */
  machineBusyShare: number | null;
  loadavg1: number;
  write?: Omit<WriteResult, 'acks'> & { invariant: InvariantResult };
}

export interface InvariantResult {
  ok: boolean;
  customers: number;
  addresses: number;
  keys: number;
  problems: string[];
}

export interface StatementRecord {
  scenario: ScenarioId;
  contender: Contender;
  perRequest: number;
  samples: number;
  /** Median latency of the counted requests, sent one at a time (through the proxy). */
  sequentialP50Ms: number | null;
  kinds: { sql: string; perRequest: number }[];
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  options: BenchOptions;
  machine: {
    cpus: string;
    cores: number;
    memoryGb: number;
    node: string;
    postgres: string;
    os: string;
    loadavgStart: number[];
    loadavgEnd: number[];
  };
  data: DataParams & { reused: boolean; databaseUrl: string };
  contenders: Record<string, { started: boolean; startMs?: number; error?: string }>;
  equivalence: { scenario: ScenarioId; contender: Contender; same: boolean; detail?: string }[];
  statements: StatementRecord[];
  runs: RunRecord[];
  memory: Record<string, { startupPeakRssMb: number; peakRssMb: number; rssMbAfter: number } | null>;
  coldStart: ColdStartResult | { error: string } | null;
  profile: string | null;
  notes: string[];
}

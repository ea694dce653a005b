/**
 * The load generator, a separate process (spawned by run.ts with an IPC channel): autocannon's
 * programmatic API for the read scenarios (fixed connections, warm-up run discarded, then the
 * measured run) and a closed-loop writer pool for S5. One request in, one result out.
 */
import autocannon from 'autocannon';
import { percentile, prng } from './lib/util.js';
import { type Contender, GATEWAY_REST_PREFIX, type RequestSpec, S5_GRAPHQL } from './scenarios.js';

export interface ReadJob {
  type: 'read';
  baseUrl: string;
  spec: RequestSpec;
  headers: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface ReadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface WriteJob {
  type: 'write';
  baseUrl: string;
  surface: Exclude<Contender, 'pgl'>;
  headers: Record<string, string>;
  concurrency: number;
  durationSeconds: number;
  /** Unique per run, part of every email. */
  tag: string;
  emailDomain: string;
}

export interface WriteAck {
  customerId: string;
  addresses: { id: string; type: 'billing' | 'shipping' }[];
  keys: string[];
}

export interface WriteResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  failures: number;
  failureSamples: string[];
  ops: { create: number; merge: number; setPrimary: number };
  acks: WriteAck[];
}

type Job = ReadJob | WriteJob;

function runAutocannon(job: ReadJob, seconds: number, seed: number): Promise<autocannon.Result> {
  const { spec } = job;
  const next = spec.randomId ? prng(seed) : null;
  const randomId = () => {
    const r = spec.randomId!;
    return String(r.min + Math.floor(next!() * (r.max - r.min + 1)));
  };
  const request: autocannon.Request = {
    method: spec.method,
    path: spec.path,
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    headers: {
      ...job.headers,
      ...(spec.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
  };
  if (spec.randomId) {
    request.setupRequest = (req: any) => {
      const id = randomId();
      req.path = spec.path.replace('{{id}}', id);
      if (spec.body !== undefined) req.body = spec.body.replace('{{id}}', id);
      return req;
    };
  }
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: job.baseUrl,
        connections: job.connections,
        pipelining: 1,
        duration: seconds,
        timeout: 30,
        requests: [request],
      },
      (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function read(job: ReadJob): Promise<ReadResult> {
  if (job.warmupSeconds > 0) await runAutocannon(job, job.warmupSeconds, 7);
  // The orchestrator snapshots CPU counters while nothing runs, then says go.
  await new Promise<void>((resolve) => {
    const onGo = (m: any) => {
      if (m?.go) {
        process.off('message', onGo);
        resolve();
      }
    };
    process.on('message', onGo);
    process.send!({ phase: 'measure' });
  });
  const r = await runAutocannon(job, job.durationSeconds, 42);
  // Completed requests over the measured time (autocannon's per-second average is 0 when a
  // run is shorter than its one-second sampling interval).
  return {
    rps: r.requests.total / Math.max(0.001, r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

// ---------------------------------------------------------------------------------------------
// S5
// ---------------------------------------------------------------------------------------------

class WriteError extends Error {}

interface Surface {
  createCustomer(email: string, n: number): Promise<string>;
  createAddress(customerId: string, type: 'billing' | 'shipping', n: number): Promise<string>;
  setPrimary(customerId: string, addressId: string): Promise<void>;
  mergeInfo(customerId: string, key: string, n: number): Promise<void>;
}

function surfaceFor(job: WriteJob, timed: <T>(fn: () => Promise<T>) => Promise<T>): Surface {
  const base = job.baseUrl;
  const call = async (method: string, path: string, body: unknown): Promise<any> =>
    timed(async () => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...job.headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new WriteError(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
      return JSON.parse(text);
    });
  const address = (type: 'billing' | 'shipping', n: number) => ({
    type,
    address_1: `${n} Bench Street`,
    city: 'Benchville',
    country: 'DE',
  });

  if (job.surface === 'gql') {
    const gql = async (query: string, variables: Record<string, unknown>, field: string) => {
      const out = await call('POST', '/graphql', { query, variables });
      const payload = out.data?.[field];
      if (out.errors || !payload || payload.userErrors?.length) {
        throw new WriteError(`${field}: ${JSON.stringify(out.errors ?? payload?.userErrors).slice(0, 200)}`);
      }
      return payload;
    };
    return {
      async createCustomer(email, n) {
        const p = await gql(
          S5_GRAPHQL.createCustomer,
          { input: { email, firstName: 'Bench', lastName: `Writer ${n}` } },
          'createCustomer',
        );
        return p.customer.id;
      },
      async createAddress(customerId, type, n) {
        const a = address(type, n);
        const input = { type: type.toUpperCase(), address1: a.address_1, city: a.city, country: a.country };
        const p = await gql(S5_GRAPHQL.createAddress, { customerId, input }, 'createCustomerAddress');
        return p.address.id;
      },
      async setPrimary(customerId, addressId) {
        await gql(S5_GRAPHQL.setPrimary, { customerId, addressId }, 'setPrimaryCustomerAddress');
      },
      async mergeInfo(id, key, n) {
        await gql(S5_GRAPHQL.mergeInfo, { id, additionalInfo: { [key]: n } }, 'updateCustomerAdditionalInfo');
      },
    };
  }
  const prefix = job.surface === 'rest' ? `${GATEWAY_REST_PREFIX}/customers` : '/customers';
  return {
    async createCustomer(email, n) {
      const out = await call('POST', prefix, { email, first_name: 'Bench', last_name: `Writer ${n}` });
      return String(out.data.customer.id);
    },
    async createAddress(customerId, type, n) {
      const out = await call('POST', `${prefix}/${customerId}/address`, address(type, n));
      return String(out.data.address.id);
    },
    async setPrimary(customerId, addressId) {
      await call('POST', `${prefix}/${customerId}/address/make-primary`, { address_id: Number(addressId) });
    },
    async mergeInfo(customerId, key, n) {
      await call('PUT', `${prefix}/${customerId}/additional-info`, { [key]: n });
    },
  };
}

async function write(job: WriteJob): Promise<WriteResult> {
  const latencies: number[] = [];
  let failures = 0;
  const failureSamples: string[] = [];
  const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      latencies.push(performance.now() - t);
    }
  };
  const surface = surfaceFor(job, timed);
  const acks: WriteAck[] = [];
  const ops = { create: 0, merge: 0, setPrimary: 0 };
  const deadline = performance.now() + job.durationSeconds * 1000;
  let sequence = 0;

  const writer = async (w: number) => {
    const random = prng(1000 + w);
    while (performance.now() < deadline) {
      const n = ++sequence;
      try {
        if (acks.length < job.concurrency || random() < 0.4) {
          const id = await surface.createCustomer(`w${w}.${n}.${job.tag}@${job.emailDomain}`, n);
          const ack: WriteAck = { customerId: id, addresses: [], keys: [] };
          acks.push(ack);
          const b1 = await surface.createAddress(id, 'billing', n);
          ack.addresses.push({ id: b1, type: 'billing' });
          const b2 = await surface.createAddress(id, 'billing', n + 1);
          ack.addresses.push({ id: b2, type: 'billing' });
          const s1 = await surface.createAddress(id, 'shipping', n + 2);
          ack.addresses.push({ id: s1, type: 'shipping' });
          await surface.setPrimary(id, b2);
          ops.create++;
        } else {
          // Any writer's customer (a shared list): updates of the same customer race on purpose.
          const target = acks[Math.floor(random() * acks.length)]!;
          if (random() < 0.5) {
            const key = `w${w}_${n}`;
            await surface.mergeInfo(target.customerId, key, n);
            target.keys.push(key);
            ops.merge++;
          } else {
            const billing = target.addresses.filter((a) => a.type === 'billing');
            if (billing.length === 0) continue;
            const pick = billing[Math.floor(random() * billing.length)]!;
            await surface.setPrimary(target.customerId, pick.id);
            ops.setPrimary++;
          }
        }
      } catch (error) {
        failures++;
        if (failureSamples.length < 5) failureSamples.push(String((error as Error).message ?? error));
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, (_, w) => writer(w)));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: latencies.length,
    failures,
    failureSamples,
    ops,
    acks,
  };
}

process.on('message', (job: Job) => {
  if (job?.type !== 'read' && job?.type !== 'write') return;
  const run = job.type === 'read' ? read(job) : write(job);
  run.then(
    (result) => process.send!({ ok: true, result }),
    (error: unknown) => process.send!({ ok: false, error: String((error as Error).stack ?? error) }),
  );
});
process.send?.({ ready: true });

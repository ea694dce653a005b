/**
 * Diagnostic: what a credential-cache expiry costs the gateway under concurrency. Starts the
 * gateway with a short AUTH_CACHE_TTL_MS, then fires N concurrent cheap authenticated requests
 * twice: once with the credential cached, once right after the cache entry expired, and reports
 * the server's CPU and peak RSS for each burst.
 *
 *   npx tsx bench/diagnose-auth.ts [--concurrency 16]
 */
import { parseArgs } from 'node:util';
import { BASIC_AUTH, cpuMsOf, memoryOf, resetPeakRss, startServer } from './lib/processes.js';
import { sleep } from './lib/util.js';

const { values } = parseArgs({ options: { concurrency: { type: 'string', default: '16' } } });
const n = Number(values.concurrency);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gw_bench_quick';
const ttl = 3000;
const server = await startServer('gateway', { databaseUrl: url, env: { AUTH_CACHE_TTL_MS: String(ttl) } });
const query = JSON.stringify({ query: '{ viewer { id } }' });
const request = () =>
  fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { authorization: BASIC_AUTH, 'content-type': 'application/json' },
    body: query,
  }).then((r) => r.text());

async function burst(label: string): Promise<void> {
  resetPeakRss(server.pid);
  const rssBefore = memoryOf(server.pid)!.rssMb;
  const cpu = cpuMsOf(server.pid);
  const t = performance.now();
  await Promise.all(Array.from({ length: n }, request));
  const ms = performance.now() - t;
  await sleep(100);
  const mem = memoryOf(server.pid)!;
  process.stdout.write(
    `${label.padEnd(28)} ${n} concurrent requests: ${ms.toFixed(0)} ms wall, ` +
      `${(cpuMsOf(server.pid) - cpu).toFixed(0)} ms server CPU, RSS ${rssBefore.toFixed(0)} → peak ${mem.peakRssMb.toFixed(0)} MB\n`,
  );
}

try {
  await request(); // fills the cache
  await burst('credential cached');
  await burst('credential cached (again)');
  await sleep(ttl + 200);
  await burst('right after cache expiry');
  await burst('cached again');
} finally {
  await server.stop();
}

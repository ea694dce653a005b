/**
 * The bench database: a real PostgreSQL database seeded once with the foundation seeder and
 * reused while its marker (a JSON comment on the database) says it holds the same data set.
 * Also the few objects PostGraphile needs to answer the same scenarios (a computed column and
 * a search function), the parameters derived from the data (search term, S3 range, id range)
 * and the S5 clean-up.
 */
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrations.js';
import { seed } from '../../src/db/seed.js';
import { log } from './util.js';

/** Bump when the seeded data or the derived parameters change shape. */
const MARKER_VERSION = 2;

export interface DataParams {
  customers: number;
  addresses: number;
  orders: number;
  seed: number;
  minId: number;
  maxId: number;
  /** A search term matching about 2 % of the customers, and how many it matches. */
  searchTerm: string;
  searchMatches: number;
  /** S3: total_spent range (cents, inclusive), how many customers it holds, the page used. */
  s3Min: number;
  s3Max: number;
  s3Matches: number;
  s3Page: number;
}

interface Marker extends DataParams {
  version: number;
}

export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`BENCH_DATABASE_URL has no database name: ${url}`);
  return name;
}

function maintenanceUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function readMarker(url: string): Promise<Marker | null | 'missing-db'> {
  const name = databaseName(url);
  return withClient(maintenanceUrl(url), async (c) => {
    const { rows } = await c.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    if (rows.length === 0) return 'missing-db';
    try {
      const parsed = JSON.parse(rows[0]?.comment ?? 'null') as Marker | null;
      return parsed && parsed.version === MARKER_VERSION ? parsed : null;
    } catch {
      return null;
    }
  });
}

async function recreateDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withClient(maintenanceUrl(url), async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
}

async function customerCount(url: string): Promise<number | null> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ t: string | null }>(`SELECT to_regclass('customers')::text AS t`);
    if (!rows[0]?.t) return null;
    const count = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
    return count.rows[0]?.n ?? 0;
  });
}

/** The search predicate of the gateway (list-params / customer-queries), for $1 = '%term%'. */
export const SEARCH_PREDICATE = `((c.first_name || ' ' || c.last_name) ILIKE $1 OR c.email::text ILIKE $1 OR c.phone ILIKE $1)`;

/** Picks the data-derived scenario parameters. */
async function deriveParams(
  c: pg.Client,
  seeded: { customers: number; addresses: number; orders: number; seed: number },
): Promise<DataParams> {
  const range = await c.query<{ min: string; max: string; n: number }>(
    'SELECT min(id)::text AS min, max(id)::text AS max, count(*)::int AS n FROM customers',
  );
  const total = range.rows[0]?.n ?? 0;

  // Search: the candidate whose match count is closest to 2 % of the customers. Candidates are
  // the seeded names and their 3–5 letter fragments, tried most promising first.
  const names = await c.query<{ name: string; n: number }>(
    `SELECT lower(name) AS name, count(*)::int AS n FROM (
       SELECT first_name AS name FROM customers UNION ALL SELECT last_name FROM customers) AS t
      GROUP BY 1 ORDER BY 2 DESC`,
  );
  const target = total * 0.02;
  const candidates = new Set<string>();
  for (const { name } of names.rows) {
    if (!/^[a-z]+$/.test(name)) continue;
    candidates.add(name);
    for (const len of [5, 4, 3]) {
      for (let i = 0; i + len <= name.length; i++) candidates.add(name.slice(i, i + len));
    }
  }
  let best = { term: names.rows[0]?.name ?? 'a', n: 0 };
  let tried = 0;
  for (const term of candidates) {
    if (tried++ > 400) break;
    const { rows } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM customers AS c WHERE ${SEARCH_PREDICATE}`,
      [`%${term}%`],
    );
    const n = rows[0]?.n ?? 0;
    if (Math.abs(n - target) < Math.abs(best.n - target)) best = { term, n };
    if (Math.abs(n - target) <= target * 0.05) break;
  }

  // S3: a total_spent range (the 10th to 95th percentile of spending customers), page 2,000
  // at 25 per page when the range holds enough rows, else the page three quarters in.
  const pct = await c.query<{ lo: string | null; hi: string | null }>(
    `SELECT percentile_disc(0.10) WITHIN GROUP (ORDER BY total_spent)::text AS lo,
            percentile_disc(0.95) WITHIN GROUP (ORDER BY total_spent)::text AS hi
       FROM customers WHERE total_spent > 0`,
  );
  const s3Min = Number(pct.rows[0]?.lo ?? 1);
  const s3Max = Number(pct.rows[0]?.hi ?? 1e12);
  const inRange = await c.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM customers WHERE total_spent BETWEEN $1 AND $2',
    [s3Min, s3Max],
  );
  const s3Matches = inRange.rows[0]?.n ?? 0;
  const lastPage = Math.ceil(s3Matches / 25);
  const s3Page = lastPage >= 2000 ? 2000 : Math.max(1, Math.floor(lastPage * 0.75));

  return {
    customers: total,
    addresses: seeded.addresses,
    orders: seeded.orders,
    seed: seeded.seed,
    minId: Number(range.rows[0]?.min ?? 1),
    maxId: Number(range.rows[0]?.max ?? 1),
    searchTerm: best.term,
    searchMatches: best.n,
    s3Min,
    s3Max,
    s3Matches,
    s3Page,
  };
}

/**
 * For PostGraphile (which exposes tables, computed columns and set-returning functions):
 * `Customer.averageOrderValue` as a computed column with the contract's rounding, and
 * `searchCustomers(term)` with the gateway's search predicate (ILIKE over the trigram-indexed
 * expressions), ordered by id desc. Harmless to the gateway (Prisma ignores them).
 */
const POSTGRAPHILE_HELPERS = `
CREATE OR REPLACE FUNCTION customers_average_order_value(c customers) RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN c.order_count = 0 THEN 0 ELSE round(c.total_spent::numeric / c.order_count)::bigint END
$$;
CREATE OR REPLACE FUNCTION search_customers(term text) RETURNS SETOF customers
  LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT c.* FROM customers AS c
   WHERE ${SEARCH_PREDICATE.replaceAll('$1', `('%' || replace(replace(replace(term, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')`)}
   ORDER BY c.id DESC
$$;
`;

export interface PrepareOptions {
  url: string;
  customers: number;
  seed: number;
  reseed: boolean;
}

/** Creates (or reuses) the seeded bench database and returns the scenario parameters. */
export async function prepareDatabase(o: PrepareOptions): Promise<{ params: DataParams; reused: boolean }> {
  const marker = o.reseed ? null : await readMarker(o.url);
  if (marker && marker !== 'missing-db' && marker.customers === o.customers && marker.seed === o.seed) {
    const count = await customerCount(o.url);
    if (count === o.customers) {
      log(`database ${databaseName(o.url)} already holds ${count} seeded customers: reused`);
      // Migrations added since it was seeded (every contender reads the same schema).
      const db = await openDatabase({ url: o.url, poolSize: 1 });
      try {
        const applied = await migrate(db);
        if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
      } finally {
        await db.close();
      }
      await withClient(o.url, (c) => c.query(POSTGRAPHILE_HELPERS));
      return { params: marker, reused: true };
    }
  }
  if (!o.reseed && marker !== 'missing-db') {
    const count = await customerCount(o.url);
    if (marker === null && count !== null && count > 0) {
      throw new Error(
        `database ${databaseName(o.url)} has ${count} customers but no bench marker; ` +
          'pass --reseed to drop and recreate it, or point BENCH_DATABASE_URL elsewhere',
      );
    }
  }
  log(`creating database ${databaseName(o.url)} and seeding ${o.customers} customers (seed ${o.seed})`);
  await recreateDatabase(o.url);
  const started = performance.now();
  const db = await openDatabase({ url: o.url, poolSize: 3 });
  let summary: Awaited<ReturnType<typeof seed>>;
  try {
    await migrate(db);
    let lastLog = 0;
    summary = await seed(db, {
      customers: o.customers,
      seed: o.seed,
      onProgress: (done, total) => {
        if (performance.now() - lastLog > 5000 || done === total) {
          lastLog = performance.now();
          log(`  seeded ${done}/${total} customers`);
        }
      },
    });
  } finally {
    await db.close();
  }
  log(
    `seeded ${summary.customers} customers, ${summary.addresses} addresses, ${summary.orders} orders ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const params = await withClient(o.url, async (c) => {
    await c.query('VACUUM (ANALYZE)');
    await c.query(POSTGRAPHILE_HELPERS);
    return deriveParams(c, { ...summary, seed: o.seed });
  });
  const marker2: Marker = { version: MARKER_VERSION, ...params };
  await withClient(maintenanceUrl(o.url), (c) =>
    c.query(
      `COMMENT ON DATABASE ${quoteIdent(databaseName(o.url))} IS ${pg.escapeLiteral(JSON.stringify(marker2))}`,
    ),
  );
  return { params, reused: false };
}

/** Email domain of the customers S5 creates; they are deleted again after each S5 run. */
export const S5_EMAIL_DOMAIN = 'bench-writes.example';

export async function deleteWriteScenarioRows(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const res = await c.query(`DELETE FROM customers WHERE email::text LIKE $1`, [`%@${S5_EMAIL_DOMAIN}`]);
    return res.rowCount ?? 0;
  });
}

export async function vacuumAnalyze(url: string): Promise<void> {
  await withClient(url, (c) => c.query('VACUUM (ANALYZE) customers, customer_addresses, orders'));
}

export { withClient };

/**
 * The raw floor: a minimal `node:http` + `pg` server answering each bench scenario with the
 * fewest, best SQL statements we could write — reads are ONE statement each (page ids in a CTE,
 * lateral json_agg for the children, the total in the same statement, the JSON built by
 * PostgreSQL and passed through as text); writes use the fewest statements that keep the
 * address rules correct under concurrency (a transaction that locks the customer row).
 * No auth, no validation beyond what the SQL needs: the practical limit for Node here.
 *
 * Routes (all JSON):
 *   GET  /s1?page=&per_page=&search=       nested list (S1, S1-deep, S1-search), GraphQL field names
 *   GET  /customers/:id                    detail with addresses (S2), REST shape
 *   GET  /customers?page=&per_page=&order_by=id|total_spent&min=&max=   list (S3, S4), REST shape
 *   POST /customers                        create (S5)
 *   POST /customers/:id/address            create address; first of its type becomes primary
 *   POST /customers/:id/address/make-primary {address_id}
 *   PUT  /customers/:id/additional-info    shallow merge (atomic jsonb ||)
 *
 * Env: DATABASE_URL, PORT, HOST (default 127.0.0.1), POOL_SIZE (default 10).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_SIZE ?? 10),
});
pool.on('error', () => {});

const ts = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/** The REST customer object (snake_case, lower-case enums). */
const restCustomer = (c: string) => `json_build_object(
  'id', ${c}.id, 'email', ${c}.email, 'first_name', ${c}.first_name, 'last_name', ${c}.last_name,
  'phone', ${c}.phone, 'status', ${c}.status, 'user_id', ${c}.user_id, 'additional_info', ${c}.additional_info,
  'total_spent', ${c}.total_spent, 'order_count', ${c}.order_count,
  'created_at', ${ts(`${c}.created_at`)}, 'updated_at', ${ts(`${c}.updated_at`)})`;

const restAddress = (a: string) => `json_build_object(
  'id', ${a}.id, 'customer_id', ${a}.customer_id, 'type', ${a}.type, 'first_name', ${a}.first_name,
  'last_name', ${a}.last_name, 'company', ${a}.company, 'address_1', ${a}.address_1, 'address_2', ${a}.address_2,
  'city', ${a}.city, 'state', ${a}.state, 'postcode', ${a}.postcode, 'country', ${a}.country, 'phone', ${a}.phone,
  'is_primary', ${a}.is_primary, 'created_at', ${ts(`${a}.created_at`)}, 'updated_at', ${ts(`${a}.updated_at`)})`;

/** Address list order of the contract: billing before shipping, primary first, then id. */
const ADDRESS_ORDER = (a: string) => `${a}.type, ${a}.is_primary DESC, ${a}.id`;

/**
 * The total of an unfiltered list from the trigger-maintained counter (as the gateway reads
 * it); filtered totals count the matching rows.
 */
const UNFILTERED_TOTAL = '(SELECT COALESCE(sum(n), 0)::int FROM customer_count_slots)';

const SEARCH = `((c.first_name || ' ' || c.last_name) ILIKE $3 OR c.email::text ILIKE $3 OR c.phone ILIKE $3)`;

/** S1: one statement — page of ids in a CTE, lateral json_agg of addresses and 5 latest orders, total. */
function s1Sql(search: boolean): string {
  const where = search ? `WHERE ${SEARCH}` : '';
  return `
WITH ids AS (
  -- Only ids while skipping the offset (an index-only scan for the id order), rows after.
  SELECT c.id FROM customers AS c ${where} ORDER BY c.id DESC LIMIT $1 OFFSET $2
), page AS (
  SELECT c.id, c.email, c.first_name, c.last_name, c.status, c.created_at, c.total_spent, c.order_count,
         c.first_order_date, c.last_order_date
    FROM ids JOIN customers AS c ON c.id = ids.id
)
SELECT json_build_object(
  'total', ${search ? `(SELECT count(*) FROM customers AS c ${where})` : UNFILTERED_TOTAL},
  'customers', coalesce((
    SELECT json_agg(json_build_object(
      'id', p.id::text, 'email', p.email, 'firstName', p.first_name, 'lastName', p.last_name,
      'status', upper(p.status::text), 'createdAt', ${ts('p.created_at')},
      'stats', json_build_object(
        'totalSpent', p.total_spent, 'orderCount', p.order_count,
        'averageOrderValue', CASE WHEN p.order_count = 0 THEN 0
                                  ELSE round(p.total_spent::numeric / p.order_count)::bigint END,
        'firstOrderDate', ${ts('p.first_order_date')}, 'lastOrderDate', ${ts('p.last_order_date')}),
      'addresses', coalesce(a.list, '[]'::json),
      'orders', coalesce(o.list, '[]'::json)) ORDER BY p.id DESC)
      FROM page AS p
      LEFT JOIN LATERAL (
        SELECT json_agg(json_build_object(
                 'id', a.id::text, 'type', upper(a.type::text), 'isPrimary', a.is_primary,
                 'address1', a.address_1, 'city', a.city, 'postcode', a.postcode, 'country', a.country)
                 ORDER BY ${ADDRESS_ORDER('a')}) AS list
          FROM customer_addresses AS a WHERE a.customer_id = p.id
      ) AS a ON true
      LEFT JOIN LATERAL (
        SELECT json_agg(json_build_object(
                 'id', x.id::text, 'status', upper(replace(x.status::text, '-', '_')),
                 'paymentStatus', upper(x.payment_status::text), 'totalAmount', x.total_amount,
                 'currency', x.currency, 'createdAt', ${ts('x.created_at')})
                 ORDER BY x.created_at DESC, x.id DESC) AS list
          FROM (SELECT * FROM orders AS o WHERE o.customer_id = p.id
                 ORDER BY o.created_at DESC, o.id DESC LIMIT 5) AS x
      ) AS o ON true
  ), '[]'::json)
)::text AS body`;
}

const S2_SQL = `
SELECT (${restCustomer('c').replace(/\)$/, '')},
  'addresses', coalesce((SELECT json_agg(${restAddress('a')} ORDER BY ${ADDRESS_ORDER('a')})
                           FROM customer_addresses AS a WHERE a.customer_id = c.id), '[]'::json)))::text AS body
  FROM customers AS c WHERE c.id = $1`;

/** S3 / S4: the REST list page (full customer objects) with pagination, one statement. */
function listSql(orderBy: 'id' | 'total_spent', filtered: boolean): string {
  const where = filtered ? 'WHERE c.total_spent BETWEEN $3 AND $4' : '';
  const order = orderBy === 'id' ? 'c.id DESC' : 'c.total_spent DESC, c.id DESC';
  const pOrder = orderBy === 'id' ? 'p.id DESC' : 'p.total_spent DESC, p.id DESC';
  return `
WITH ids AS (
  -- Only the sort key and id while skipping the offset: an index-only scan of (key, id).
  SELECT c.id FROM customers AS c ${where} ORDER BY ${order} LIMIT $1 OFFSET $2
), page AS (
  SELECT c.* FROM ids JOIN customers AS c ON c.id = ids.id
), total AS (
  SELECT ${filtered ? `count(*)::int AS n FROM customers AS c ${where}` : `${UNFILTERED_TOTAL} AS n`}
)
SELECT json_build_object(
  'success', true,
  'data', json_build_object(
    'customers', coalesce((SELECT json_agg(${restCustomer('p')} ORDER BY ${pOrder}) FROM page AS p), '[]'::json),
    'pagination', json_build_object(
      'current_page', $2::int / $1::int + 1, 'per_page', $1::int, 'total', t.n,
      'total_pages', (t.n + $1::int - 1) / $1::int)))::text AS body
  FROM total AS t`;
}

const CREATE_CUSTOMER_SQL = `
INSERT INTO customers (email, first_name, last_name) VALUES ($1, $2, $3)
RETURNING ${restCustomer('customers')}::text AS body`;

const LOCK_CUSTOMER_SQL = 'SELECT 1 FROM customers WHERE id = $1 FOR NO KEY UPDATE';

const CREATE_ADDRESS_SQL = `
INSERT INTO customer_addresses (customer_id, type, address_1, city, country, is_primary)
SELECT $1, $2::address_type, $3, $4, $5,
       NOT EXISTS (SELECT 1 FROM customer_addresses WHERE customer_id = $1 AND type = $2::address_type)
RETURNING ${restAddress('customer_addresses')}::text AS body`;

const DEMOTE_SQL = `
UPDATE customer_addresses SET is_primary = false, updated_at = now()
 WHERE customer_id = $1 AND is_primary AND id <> $2
   AND type = (SELECT type FROM customer_addresses WHERE id = $2 AND customer_id = $1)`;

const PROMOTE_SQL = `
UPDATE customer_addresses SET is_primary = true, updated_at = CASE WHEN is_primary THEN updated_at ELSE now() END
 WHERE id = $2 AND customer_id = $1
RETURNING ${restAddress('customer_addresses')}::text AS body`;

const MERGE_INFO_SQL = `
UPDATE customers
   SET additional_info = (additional_info || $2::jsonb)
         - ARRAY(SELECT key FROM jsonb_each($2::jsonb) WHERE value = 'null'::jsonb),
       updated_at = now()
 WHERE id = $1
RETURNING ${restCustomer('customers')}::text AS body`;

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

/** One statement, named (prepared once per connection). */
async function one(name: string, text: string, values: unknown[]): Promise<string | undefined> {
  const result = await pool.query<{ body: string }>({ name, text, values });
  return result.rows[0]?.body;
}

async function inTransaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

class NotFound extends Error {}

const intParam = (v: string | null, fallback: number) => (v && /^\d+$/.test(v) ? Number(v) : fallback);

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  const q = url.searchParams;
  // The customer id of `/customers/:id/…` paths, and what follows it.
  const idPath = path.match(/^\/customers\/(\d+)(\/.*)?$/);
  const id = idPath?.[1];
  const rest = idPath?.[2] ?? '';

  if (req.method === 'GET' && path === '/s1') {
    const perPage = Math.min(100, intParam(q.get('per_page'), 20));
    const offset = (intParam(q.get('page'), 1) - 1) * perPage;
    const search = q.get('search');
    const body = search
      ? await one('s1s', s1Sql(true), [perPage, offset, `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`])
      : await one('s1', s1Sql(false), [perPage, offset]);
    return send(res, 200, `{"data":${body}}`);
  }
  if (req.method === 'GET' && id && rest === '') {
    const body = await one('s2', S2_SQL, [id]);
    if (body === undefined) return send(res, 404, '{"success":false,"error":{"code":"customer_not_found"}}');
    return send(res, 200, `{"success":true,"data":{"customer":${body}}}`);
  }
  if (req.method === 'GET' && path === '/customers') {
    const perPage = Math.min(100, intParam(q.get('per_page'), 10));
    const offset = (intParam(q.get('page'), 1) - 1) * perPage;
    const byTotal = q.get('order_by') === 'total_spent';
    const min = q.get('min');
    const max = q.get('max');
    const filtered = min !== null && max !== null;
    const name = `list_${byTotal ? 'ts' : 'id'}_${filtered ? 'f' : 'a'}`;
    const values: unknown[] = filtered ? [perPage, offset, min, max] : [perPage, offset];
    const body = await one(name, listSql(byTotal ? 'total_spent' : 'id', filtered), values);
    return send(res, 200, body ?? '{}');
  }
  if (req.method === 'POST' && path === '/customers') {
    const b = await readBody(req);
    const body = await one('create_customer', CREATE_CUSTOMER_SQL, [
      b.email,
      b.first_name ?? '',
      b.last_name ?? '',
    ]);
    return send(res, 201, `{"success":true,"data":{"customer":${body}}}`);
  }
  if (req.method === 'POST' && id && rest === '/address') {
    const b = await readBody(req);
    const body = await inTransaction(async (c) => {
      const locked = await c.query({ name: 'lock_customer', text: LOCK_CUSTOMER_SQL, values: [id] });
      if (locked.rowCount === 0) throw new NotFound();
      const r = await c.query<{ body: string }>({
        name: 'create_address',
        text: CREATE_ADDRESS_SQL,
        values: [id, b.type, b.address_1, b.city, String(b.country).toUpperCase()],
      });
      return r.rows[0]!.body;
    });
    return send(res, 201, `{"success":true,"data":{"address":${body}}}`);
  }
  if (req.method === 'POST' && id && rest === '/address/make-primary') {
    const b = await readBody(req);
    const body = await inTransaction(async (c) => {
      const locked = await c.query({ name: 'lock_customer', text: LOCK_CUSTOMER_SQL, values: [id] });
      if (locked.rowCount === 0) throw new NotFound();
      await c.query({ name: 'demote', text: DEMOTE_SQL, values: [id, b.address_id] });
      const r = await c.query<{ body: string }>({
        name: 'promote',
        text: PROMOTE_SQL,
        values: [id, b.address_id],
      });
      if (r.rowCount === 0) throw new NotFound();
      return r.rows[0]!.body;
    });
    return send(res, 200, `{"success":true,"data":{"address":${body}}}`);
  }
  if (req.method === 'PUT' && id && rest === '/additional-info') {
    const b = await readBody(req);
    const body = await one('merge_info', MERGE_INFO_SQL, [id, JSON.stringify(b)]);
    if (body === undefined) throw new NotFound();
    return send(res, 200, `{"success":true,"data":{"customer":${body}}}`);
  }
  if (path === '/ready') return send(res, 200, '{"ready":true}');
  send(res, 404, '{"success":false,"error":{"code":"route_not_found"}}');
}

if (process.argv.includes('--print-sql')) {
  // For bench/README.md: the exact statements, as sent.
  const texts: Record<string, string> = {
    'S1, S1-deep': s1Sql(false),
    'S1-search': s1Sql(true),
    S2: S2_SQL,
    S3: listSql('total_spent', true),
    S4: listSql('id', false),
    'S5 create customer': CREATE_CUSTOMER_SQL,
    'S5 lock customer (in BEGIN … COMMIT)': LOCK_CUSTOMER_SQL,
    'S5 create address (after the lock)': CREATE_ADDRESS_SQL,
    'S5 make primary: demote (after the lock)': DEMOTE_SQL,
    'S5 make primary: promote': PROMOTE_SQL,
    'S5 merge additional info': MERGE_INFO_SQL,
  };
  for (const [name, text] of Object.entries(texts)) process.stdout.write(`-- ${name}\n${text.trim()};\n\n`);
  process.exit(0);
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (error instanceof NotFound) return send(res, 404, '{"success":false,"error":{"code":"not_found"}}');
    process.stderr.write(`raw-server: ${(error as Error).stack ?? error}\n`);
    if (!res.headersSent) send(res, 500, '{"success":false,"error":{"code":"internal_error"}}');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 4100), process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`raw floor listening on ${process.env.PORT}\n`);
});
const stop = () => {
  server.close();
  void pool.end().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

/**
 * The migrations produce exactly schema.prisma, plus the hand-written objects Prisma cannot
 * model (listed by name here), and the database itself enforces the contract's rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffDatabaseAgainstDatamodel } from '../../src/db/migrations.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

/** The SQLSTATE of a failed raw query (Prisma wraps the driver's error). */
async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } }).meta
      ?.driverAdapterError?.cause;
    if (cause?.originalCode) return cause.originalCode;
    const match = /Code: `([0-9A-Z]{5})`/.exec(String((error as Error).message));
    return match?.[1] ?? 'unknown';
  }
  return undefined;
}

async function names(sql: TemplateStringsArray): Promise<string[]> {
  const rows = await db.prisma.$queryRaw<{ name: string }[]>(sql);
  return rows.map((r) => r.name).sort();
}

/** The user triggers on a table: name, enabled state ('O' = enabled), function. */
async function triggersOn(table: 'orders' | 'customers') {
  return db.prisma.$queryRaw<{ name: string; enabled: string; fn: string }[]>`
    SELECT t.tgname AS name, t.tgenabled::text AS enabled, p.proname AS fn
      FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
     WHERE t.tgrelid = ${table}::regclass AND NOT t.tgisinternal
     ORDER BY t.tgname`;
}

describe('migrations against schema.prisma', () => {
  it('leave no difference to the datamodel (the diff is an empty migration)', async () => {
    const script = await diffDatabaseAgainstDatamodel(db);
    const statements = script
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('--'));
    expect(statements).toEqual([]);
  });

  it('the drift check is not vacuous: a missing modelled index shows up in the diff', async () => {
    await db.prisma.$executeRaw`DROP INDEX customers_status_id_idx`;
    try {
      expect(await diffDatabaseAgainstDatamodel(db)).toMatch(/CREATE INDEX "customers_status_id_idx"/);
    } finally {
      await db.prisma.$executeRaw`CREATE INDEX "customers_status_id_idx" ON "customers"("status", "id")`;
    }
    expect(await diffDatabaseAgainstDatamodel(db)).not.toMatch(/CREATE|ALTER|DROP/);
  });

  it('are all recorded as applied in _prisma_migrations', async () => {
    const rows = await db.prisma.$queryRaw<{ pending: bigint }[]>`
      SELECT count(*) FILTER (WHERE finished_at IS NULL OR rolled_back_at IS NOT NULL) AS pending
        FROM _prisma_migrations`;
    expect(Number(rows[0]!.pending)).toBe(0);
  });
});

describe('hand-written objects exist', () => {
  it('stats functions', async () => {
    expect(
      await names`
        SELECT p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = current_schema()
           AND p.proname IN ('order_counts_toward_stats', 'refresh_customer_stats', 'recompute_all_customer_stats',
                             'orders_stats_after_insert', 'orders_stats_after_update',
                             'orders_stats_after_delete', 'orders_stats_after_truncate')`,
    ).toEqual([
      'order_counts_toward_stats',
      'orders_stats_after_delete',
      'orders_stats_after_insert',
      'orders_stats_after_truncate',
      'orders_stats_after_update',
      'recompute_all_customer_stats',
      'refresh_customer_stats',
    ]);
  });

  it('stats triggers on orders, enabled', async () => {
    expect(await triggersOn('orders')).toEqual([
      { name: 'orders_stats_delete', enabled: 'O', fn: 'orders_stats_after_delete' },
      { name: 'orders_stats_insert', enabled: 'O', fn: 'orders_stats_after_insert' },
      { name: 'orders_stats_truncate', enabled: 'O', fn: 'orders_stats_after_truncate' },
      { name: 'orders_stats_update', enabled: 'O', fn: 'orders_stats_after_update' },
    ]);
  });

  it('customer counter functions and triggers on customers, enabled', async () => {
    expect(
      await names`
        SELECT p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = current_schema() AND p.proname LIKE '%customer%count%'
            OR p.proname = 'recount_customers'`,
    ).toEqual([
      'customer_count_add',
      'customer_count_after_delete',
      'customer_count_after_insert',
      'customer_count_after_truncate',
      'recount_customers',
    ]);
    expect(await triggersOn('customers')).toEqual([
      { name: 'customers_count_delete', enabled: 'O', fn: 'customer_count_after_delete' },
      { name: 'customers_count_insert', enabled: 'O', fn: 'customer_count_after_insert' },
      { name: 'customers_count_truncate', enabled: 'O', fn: 'customer_count_after_truncate' },
    ]);
  });

  it('sort and trigram indexes on customers', async () => {
    const rows = await db.prisma.$queryRaw<{ name: string; method: string }[]>`
      SELECT i.relname AS name, am.amname AS method
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_am am ON am.oid = i.relam
       WHERE x.indrelid = 'customers'::regclass
         AND i.relname IN ('customers_email_sort_idx', 'customers_first_name_sort_idx',
                           'customers_last_name_sort_idx', 'customers_full_name_trgm_idx',
                           'customers_email_trgm_idx', 'customers_phone_trgm_idx')
       ORDER BY i.relname`;
    expect(rows).toEqual([
      { name: 'customers_email_sort_idx', method: 'btree' },
      { name: 'customers_email_trgm_idx', method: 'gin' },
      { name: 'customers_first_name_sort_idx', method: 'btree' },
      { name: 'customers_full_name_trgm_idx', method: 'gin' },
      { name: 'customers_last_name_sort_idx', method: 'btree' },
      { name: 'customers_phone_trgm_idx', method: 'gin' },
    ]);
  });

  it('trigram indexes without a pending list (fastupdate off)', async () => {
    const rows = await db.prisma.$queryRaw<{ name: string; options: string[] | null }[]>`
      SELECT relname AS name, reloptions AS options FROM pg_class
       WHERE relname IN ('customers_email_trgm_idx', 'customers_full_name_trgm_idx', 'customers_phone_trgm_idx')
       ORDER BY relname`;
    expect(rows.map((r) => [r.name, r.options])).toEqual([
      ['customers_email_trgm_idx', ['fastupdate=off']],
      ['customers_full_name_trgm_idx', ['fastupdate=off']],
      ['customers_phone_trgm_idx', ['fastupdate=off']],
    ]);
  });

  it('check constraints', async () => {
    expect(
      await names`
        SELECT conname AS name FROM pg_constraint
         WHERE contype = 'c'
           AND conrelid IN ('customers'::regclass, 'customer_addresses'::regclass, 'orders'::regclass)`,
    ).toEqual([
      'customer_addresses_country_check',
      'customers_additional_info_object_check',
      'customers_email_length_check',
      'orders_amounts_check',
      'orders_currency_check',
    ]);
  });

  it('the partial unique index for one primary address per type, and the extensions', async () => {
    const [row] = await db.prisma.$queryRaw<{ def: string }[]>`
      SELECT pg_get_indexdef('customer_addresses_one_primary_per_type'::regclass) AS def`;
    expect(row!.def).toMatch(/UNIQUE INDEX .* \(customer_id, type\) WHERE \(is_primary = true\)/);
    expect(
      await names`SELECT extname AS name FROM pg_extension WHERE extname IN ('citext', 'pg_trgm')`,
    ).toEqual(['citext', 'pg_trgm']);
  });
});

describe('the database enforces the rules', () => {
  it('customer emails are unique case-insensitively', async () => {
    await db.prisma.$executeRaw`INSERT INTO customers (email) VALUES ('a@x.io')`;
    expect(await sqlState(db.prisma.$executeRaw`INSERT INTO customers (email) VALUES ('A@x.io')`)).toBe(
      '23505',
    );
    // Stored as given.
    const rows = await db.prisma.$queryRaw<
      { email: string }[]
    >`SELECT email::text AS email FROM customers WHERE email = 'A@X.IO'`;
    expect(rows).toEqual([{ email: 'a@x.io' }]);
  });

  it('emails longer than 254 characters and non-object additional_info are rejected', async () => {
    const long = `${'a'.repeat(250)}@x.io`;
    expect(await sqlState(db.prisma.$executeRaw`INSERT INTO customers (email) VALUES (${long})`)).toBe(
      '23514',
    );
    expect(
      await sqlState(
        db.prisma
          .$executeRaw`INSERT INTO customers (email, additional_info) VALUES ('arr@x.io', '[1]'::jsonb)`,
      ),
    ).toBe('23514');
  });

  it('two primary addresses of one type for one customer fail; one per type is fine', async () => {
    const [c] = await db.prisma.$queryRaw<{ id: bigint }[]>`
      INSERT INTO customers (email) VALUES ('primary@x.io') RETURNING id`;
    await db.prisma.$executeRaw`
      INSERT INTO customer_addresses (customer_id, type, address_1, city, country, is_primary)
      VALUES (${c!.id}, 'billing', '1 Main St', 'Springfield', 'US', true),
             (${c!.id}, 'shipping', '1 Main St', 'Springfield', 'US', true),
             (${c!.id}, 'billing', '2 Main St', 'Springfield', 'US', false)`;
    expect(
      await sqlState(db.prisma.$executeRaw`
        INSERT INTO customer_addresses (customer_id, type, address_1, city, country, is_primary)
        VALUES (${c!.id}, 'billing', '3 Main St', 'Springfield', 'US', true)`),
    ).toBe('23505');
    expect(
      await sqlState(db.prisma.$executeRaw`
        INSERT INTO customer_addresses (customer_id, type, address_1, city, country)
        VALUES (${c!.id}, 'billing', '3 Main St', 'Springfield', 'us')`),
    ).toBe('23514');
  });

  it('a user belongs to at most one customer', async () => {
    const [u] = await db.prisma.$queryRaw<{ id: bigint }[]>`
      INSERT INTO users (user_login, user_email) VALUES ('linked', 'linked@x.io') RETURNING id`;
    await db.prisma.$executeRaw`INSERT INTO customers (email, user_id) VALUES ('one@x.io', ${u!.id})`;
    expect(
      await sqlState(
        db.prisma.$executeRaw`INSERT INTO customers (email, user_id) VALUES ('two@x.io', ${u!.id})`,
      ),
    ).toBe('23505');
    // Deleting the user unlinks the customer.
    await db.prisma.$executeRaw`DELETE FROM users WHERE id = ${u!.id}`;
    const rows = await db.prisma.$queryRaw<{ user_id: bigint | null }[]>`
      SELECT user_id FROM customers WHERE email = 'one@x.io'`;
    expect(rows).toEqual([{ user_id: null }]);
  });

  it('bad enum values, bad currencies and refunds above the total fail', async () => {
    expect(
      await sqlState(
        db.prisma.$executeRaw`INSERT INTO customers (email, status) VALUES ('enum@x.io', 'blocked')`,
      ),
    ).toBe('22P02');
    expect(
      await sqlState(
        db.prisma.$executeRaw`INSERT INTO orders (currency, payment_status) VALUES ('USD', 'unpaid')`,
      ),
    ).toBe('22P02');
    expect(await sqlState(db.prisma.$executeRaw`INSERT INTO orders (currency) VALUES ('usd')`)).toBe('23514');
    expect(
      await sqlState(
        db.prisma
          .$executeRaw`INSERT INTO orders (currency, total_amount, refunded_amount) VALUES ('USD', 10, 11)`,
      ),
    ).toBe('23514');
    expect(
      await sqlState(db.prisma.$executeRaw`INSERT INTO orders (currency, total_amount) VALUES ('USD', -1)`),
    ).toBe('23514');
  });

  it('deleting a customer cascades to its addresses and nulls its orders', async () => {
    const [c] = await db.prisma.$queryRaw<{ id: bigint }[]>`
      INSERT INTO customers (email) VALUES ('cascade@x.io') RETURNING id`;
    await db.prisma.$executeRaw`
      INSERT INTO customer_addresses (customer_id, type, address_1, city, country, is_primary)
      VALUES (${c!.id}, 'billing', '1 Main St', 'Springfield', 'US', true)`;
    const [o] = await db.prisma.$queryRaw<{ id: bigint }[]>`
      INSERT INTO orders (customer_id, payment_status, total_amount, currency)
      VALUES (${c!.id}, 'paid', 100, 'USD') RETURNING id`;

    await db.prisma.$executeRaw`DELETE FROM customers WHERE id = ${c!.id}`;
    const addresses = await db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM customer_addresses WHERE customer_id = ${c!.id}`;
    expect(Number(addresses[0]!.n)).toBe(0);
    const orders = await db.prisma.$queryRaw<{ customer_id: bigint | null }[]>`
      SELECT customer_id FROM orders WHERE id = ${o!.id}`;
    expect(orders).toEqual([{ customer_id: null }]);
  });

  it('an order cannot point at a missing customer', async () => {
    expect(
      await sqlState(
        db.prisma.$executeRaw`INSERT INTO orders (customer_id, currency) VALUES (987654321, 'USD')`,
      ),
    ).toBe('23503');
  });
});

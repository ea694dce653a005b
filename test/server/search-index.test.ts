/**
 * Customer search (`ILIKE '%term%'` over "first last", email and phone) is served by the
 * trigram GIN indexes, not a sequential scan, on a realistically sized table. PostgreSQL
 * only: plans on PGlite's tiny defaults say little about production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../src/db/seed.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seed(db, { customers: 20_000, seed: 2026 });
  await db.pool!.query('ANALYZE customers');
}, 120_000);
afterAll(async () => {
  await db?.close();
});

/** The contract's search predicate, with the term as a literal (as a custom plan sees it). */
function searchSql(term: string): string {
  const pattern = `'%${term.replace(/'/g, "''")}%'`;
  return `SELECT id FROM customers
           WHERE (first_name || ' ' || last_name) ILIKE ${pattern}
              OR email::text ILIKE ${pattern}
              OR phone ILIKE ${pattern}`;
}

async function plan(term: string): Promise<string> {
  const { rows } = await db.pool!.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${searchSql(term)}`);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

describe('customer search on 20k seeded customers', () => {
  let sample: { id: string; first_name: string; last_name: string; email: string; phone: string };

  beforeAll(async () => {
    const { rows } = await db.pool!.query(
      `SELECT id::text, first_name, last_name, email::text AS email, phone
         FROM customers WHERE phone IS NOT NULL ORDER BY id OFFSET 777 LIMIT 1`,
    );
    sample = rows[0];
  });

  it('has 20k customers after the seed', async () => {
    const { rows } = await db.pool!.query<{ n: string }>('SELECT count(*) AS n FROM customers');
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(20_000);
  });

  for (const [label, termOf] of [
    ['a full name', (s: typeof sample) => `${s.first_name} ${s.last_name}`.toLowerCase()],
    ['an email fragment', (s: typeof sample) => s.email.split('@')[0]!.toUpperCase()],
    ['a phone number', (s: typeof sample) => s.phone],
  ] as const) {
    it(`searching by ${label} uses a bitmap scan of the trigram indexes, not a sequential scan`, async () => {
      const term = termOf(sample);
      const text = await plan(term);
      expect(text).toMatch(/Bitmap Index Scan on customers_full_name_trgm_idx/);
      expect(text).toMatch(/Bitmap Index Scan on customers_email_trgm_idx/);
      expect(text).toMatch(/Bitmap Index Scan on customers_phone_trgm_idx/);
      expect(text).not.toMatch(/Seq Scan on customers/);

      const { rows } = await db.pool!.query<{ id: string }>(searchSql(term));
      expect(rows.map((r) => String(r.id))).toContain(sample.id);
    });
  }
});

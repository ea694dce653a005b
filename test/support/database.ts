/**
 * A fresh, migrated database for one test file: a copy of the run's template on PostgreSQL
 * (TEST_DATABASE_URL), or a new in-memory PGlite loaded from the migrated dump.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

export function databaseUrl(database: string): string {
  const u = new URL(process.env.TEST_DATABASE_URL as string);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabase extends Database {
  /** postgres:// URL of this database (PostgreSQL only), for other processes. */
  url: string | undefined;
}

export async function createTestDatabase(
  options: { poolSize?: number; onQuery?: (sql: string) => void } = {},
): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `gw_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('templateDatabase')}"`);
    } finally {
      await admin.end();
    }
    const url = databaseUrl(name);
    const db = await openDatabase({ url, poolSize: options.poolSize ?? 10, onQuery: options.onQuery });
    return {
      ...db,
      url,
      async close() {
        await db.close();
        const drop = new pg.Client({ connectionString: serverUrl });
        await drop.connect();
        try {
          await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await drop.end();
        }
      },
    };
  }
  const dump = await readFile(inject('pgliteDump'));
  const db = await openDatabase({
    dataDir: 'memory://',
    loadDataDir: new Blob([dump]),
    onQuery: options.onQuery,
  });
  return { ...db, url: undefined };
}

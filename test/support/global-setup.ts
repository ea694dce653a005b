/**
 * Builds one migrated database per run, which every test file copies:
 * - PostgreSQL (TEST_DATABASE_URL): a template database named after the migrations' hash,
 *   created once and reused; files `CREATE DATABASE … TEMPLATE` it;
 * - PGlite: a migrated in-memory database dumped to a tarball that files load.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.js';
import { migrate, readMigrationList } from '../../src/db/migrations.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
    pgliteDump: string;
  }
}

async function migrationsHash(): Promise<string> {
  const list = await readMigrationList();
  const hash = createHash('sha256');
  for (const dir of list.migrationDirectories) {
    hash.update(dir.path);
    if (dir.migrationFile.content.tag === 'ok') hash.update(dir.migrationFile.content.value);
  }
  return hash.digest('hex').slice(0, 12);
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `gw_template_${await migrationsHash()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) {
        const building = `${name}_building_${process.pid}`;
        await admin.query(`CREATE DATABASE "${building}"`);
        const db = await openDatabase({ url: withDatabase(url, building), poolSize: 2 });
        try {
          await migrate(db);
        } finally {
          await db.close();
        }
        // Renamed only once complete, so a crashed run never leaves a half-built template.
        await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`).catch(async (e) => {
          await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
          if ((e as { code?: string }).code !== '42P04') throw e; // another run won the race
        });
      }
    } finally {
      await admin.end();
    }
    project.provide('templateDatabase', name);
    project.provide('pgliteDump', '');
    return;
  }

  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrate(db);
    const dump = await db.pglite!.dumpDataDir('none');
    const dir = await mkdtemp(join(tmpdir(), 'gw-test-'));
    const file = join(dir, 'migrated.tar');
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    project.provide('pgliteDump', file);
    project.provide('templateDatabase', '');
  } finally {
    await db.close();
  }
}

/**
 * Opens the database: real PostgreSQL through @prisma/adapter-pg when a URL is given, else
 * the embedded PGlite in a data folder. Everything above this module sees one `Database`
 * (a Prisma client plus the migration-aware adapter factory) whatever is underneath.
 */
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { lockDataDir } from './data-dir-lock.js';

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** For the schema engine (migrations) and anything else that speaks the adapter API. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The pg pool on PostgreSQL (for pool metrics and bulk COPY); undefined on PGlite. */
  pool: pg.Pool | undefined;
  /** The PGlite instance on the embedded database; undefined on PostgreSQL. */
  pglite: PGlite | undefined;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data folder, or `memory://` for a throw-away in-memory database. */
  dataDir?: string;
  /** A PGlite data dump (from `dumpDataDir`) to start from, for fast test databases. */
  loadDataDir?: Blob | File;
  poolSize?: number;
  /** Skip the single-process lock of the data folder (tests with in-memory databases). */
  skipLock?: boolean;
  /** Called with every SQL statement Prisma sends (tests count statements per request). */
  onQuery?: (sql: string) => void;
  /**
   * Called when a pooled PostgreSQL connection fails outside a query (server restart,
   * `pg_terminate_backend`, a dropped network): the pool discards it and opens new ones on
   * demand, so the gateway recovers on its own; this is for the log.
   */
  onConnectionError?: (error: Error) => void;
}

function createClient(adapter: SqlMigrationAwareDriverAdapterFactory, onQuery?: (sql: string) => void) {
  if (!onQuery) return new PrismaClient({ adapter });
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => onQuery(event.query));
  return client as unknown as PrismaClient;
}

/**
 * PGlite, its extensions and its adapter, loaded only when the embedded database is used: a
 * gateway on PostgreSQL does not pay their memory (~45 MB) or load time.
 */
async function loadPGlite() {
  const [{ PGlite }, { citext }, { pg_trgm }, { PrismaPGlite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/citext'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('pglite-prisma-adapter'),
  ]);
  return { PGlite, PrismaPGlite, extensions: { pg_trgm, citext } };
}

// BIGINT ids and money arrive as strings from pg by default; Prisma's adapter parses them.
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      idleTimeoutMillis: 30_000,
      // While the server is unreachable a request waits at most this long for a connection,
      // then fails (503 SERVICE_UNAVAILABLE) instead of hanging.
      connectionTimeoutMillis: 5_000,
      // TCP keep-alive: a connection whose peer vanished (no FIN, e.g. a lost network) is
      // found dead and dropped instead of being handed out again.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // A connection dying (server restart, pg_terminate_backend) emits 'error' on its client
    // and, when idle, on the pool; without listeners that would crash the process. Every
    // client gets one (reported once), also while checked out (between two statements).
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', (error) => options.onConnectionError?.(error)));
    const adapterFactory = new PrismaPg(pool);
    const prisma = createClient(adapterFactory, options.onQuery);
    return {
      kind: 'postgres',
      prisma,
      adapterFactory,
      pool,
      pglite: undefined,
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }

  const dataDir = options.dataDir ?? './data';
  const inMemory = dataDir.startsWith('memory://');
  const { PGlite, PrismaPGlite, extensions } = await loadPGlite();
  const unlock = inMemory || options.skipLock ? () => {} : lockDataDir(dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir, {
      extensions,
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
  } catch (error) {
    unlock();
    throw error;
  }
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = createClient(adapterFactory, options.onQuery);
  return {
    kind: 'pglite',
    prisma,
    adapterFactory,
    pool: undefined,
    pglite,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}

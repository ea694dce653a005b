/**
 * Prisma's schema engine (migrations, diffs) compiled to Wasm, driven through our driver
 * adapter — the schema-engine binary that `prisma migrate` downloads is not available on
 * every machine. Loaded lazily: an up-to-date server never pays for it.
 *
 * The package entry imports its `.wasm` as an ES module, which Node rejects, so the Wasm is
 * instantiated here and handed to the generated bindings.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import type pg from 'pg';

type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg') & {
  SchemaEngine: typeof SchemaEngine;
};

let bindings: Promise<Bindings> | undefined;

async function loadBindings(): Promise<Bindings> {
  const module = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as Bindings & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
  };
  const bindingsPath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(join(dirname(bindingsPath), 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, {
    './schema_engine_bg.js': module as unknown as WebAssembly.ModuleImports,
  });
  module.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return module;
}

type PgResult = { fields: { dataTypeID: number }[] };
type Queryable = {
  performIO(query: object): Promise<PgResult>;
  queryRaw(query: object): Promise<{ columnTypes: number[] }>;
};

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * The schema engine's introspection reads catalog columns of PostgreSQL's internal one-byte
 * `"char"` type, which @prisma/adapter-pg refuses to decode. Decode them as text and report
 * them to the engine as `Character`, as the engine expects.
 */
function decodeCatalogChars(queryable: object): void {
  const target = queryable as Queryable;
  const charColumns = new WeakMap<object, number[]>();
  const performIO = target.performIO.bind(target);
  const queryRaw = target.queryRaw.bind(target);
  target.performIO = async (query) => {
    const result = await performIO(query);
    const indexes: number[] = [];
    result.fields.forEach((field, i) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        indexes.push(i);
      }
    });
    if (indexes.length > 0) charColumns.set(query, indexes);
    return result;
  };
  target.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(query) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
}

/**
 * Adapts @prisma/adapter-pg to the schema engine:
 * - it runs a migration script by splitting it on every `;`, which breaks PL/pgSQL bodies and
 *   comments and applies the pieces one by one. Send the script whole instead: PostgreSQL's
 *   simple-query protocol runs it as one implicit transaction, so a failing migration leaves
 *   nothing behind (PGlite's adapter already runs scripts whole);
 * - catalog `"char"` columns are read as text (see decodeCatalogChars).
 */
function forSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
): SqlMigrationAwareDriverAdapterFactory {
  if (factory.adapterName !== '@prisma/adapter-pg') return factory;
  const patch = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const driver = (adapter as SqlDriverAdapter & { underlyingDriver(): pg.Pool }).underlyingDriver();
    adapter.executeScript = async (script: string) => {
      await driver.query(script);
    };
    decodeCatalogChars(adapter);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => {
      const transaction = await startTransaction(...args);
      decodeCatalogChars(transaction);
      return transaction;
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}

export async function createSchemaEngine(
  schemaPath: string,
  schemaText: string,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  log: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  bindings ??= loadBindings();
  const { SchemaEngine: Engine } = await bindings;
  return Engine.new(
    { datamodels: [[schemaPath, schemaText]] },
    (message: string) => log(message),
    bindMigrationAwareSqlAdapterFactory(forSchemaEngine(adapterFactory)),
  );
}

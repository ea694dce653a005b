// npm run db:migrate — applies pending migrations to DATABASE_URL or the embedded database
// in DATA_DIR (refused while the server holds that folder).
import { ConfigError, loadConfig } from '../src/config.js';
import { DataDirBusyError } from '../src/db/data-dir-lock.js';
import { openDatabase } from '../src/db/database.js';
import { migrate, pendingMigrations } from '../src/db/migrations.js';

try {
  const config = loadConfig();
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    const pending = await pendingMigrations(db);
    if (pending.length === 0) console.log('the database is up to date');
    else console.log(`applied: ${(await migrate(db, (m) => console.error(m))).join(', ')}`);
  } finally {
    await db.close();
  }
  // The Wasm schema engine leaves a timer behind; nothing else is pending.
  process.exit(0);
} catch (error) {
  if (error instanceof ConfigError || error instanceof DataDirBusyError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

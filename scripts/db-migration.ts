// npm run db:migration -- --name <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the
// migrations folder and schema.prisma (computed on a scratch in-memory PGlite: no server
// needed). Add hand-written SQL (triggers, expression indexes) to the file afterwards.
import { parseArgs } from 'node:util';
import { createMigration } from '../src/db/migrations.js';

const { values } = parseArgs({ options: { name: { type: 'string' } } });
if (!values.name || !/^[a-z0-9_]+$/.test(values.name)) {
  console.error('usage: npm run db:migration -- --name <snake_case_name>');
  process.exit(2);
}
const file = await createMigration(values.name);
console.log(file ? `wrote ${file}` : 'schema.prisma and the migrations agree: nothing to write');

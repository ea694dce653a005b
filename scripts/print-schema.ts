// npm run schema:print — writes the printed GraphQL schema to schema.graphql at the root.
// test/graphql/schema.test.ts fails when the file is stale.
import { writeFile } from 'node:fs/promises';
import { printedSchema, schemaFile } from '../src/graphql/print.js';

await writeFile(schemaFile, printedSchema());
console.log(`wrote ${schemaFile}`);

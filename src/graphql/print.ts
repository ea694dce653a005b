import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './schema.js';

export const schemaFile = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/** The schema as committed in schema.graphql (sorted, so diffs stay small). */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

/**
 * Re-renders the Markdown summary of a results file (e.g. after a report change):
 *   npx tsx bench/render.ts bench/results/<date>.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderMarkdown } from './lib/report.js';
import type { BenchResults } from './lib/types.js';

const file = process.argv[2];
if (!file?.endsWith('.json')) {
  process.stderr.write('usage: npx tsx bench/render.ts bench/results/<name>.json\n');
  process.exit(2);
}
const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
writeFileSync(file.replace(/\.json$/, '.md'), renderMarkdown(results));
process.stdout.write(`wrote ${file.replace(/\.json$/, '.md')}\n`);

/**
 * Property-based hostile-input tests ("Reliability and security", item 1), on one gateway
 * (rate limiting off) so that the suite costs one database; each suite sets up its own data:
 * - rest-requests: random and malformed REST requests get documented answers (rest-requests.ts);
 * - rejected-writes: a batch of invalid writes changes no row (rejected-writes.ts);
 * - search-sort: search and sorting over metacharacter data match a JS reference (search-sort.ts);
 * - graphql-documents: random documents from the schema get documented errors (graphql-documents.ts);
 * - counterexamples: the failures the properties found, as fixed examples (counterexamples.ts).
 *
 * Seeded and reproducible: FUZZ_SEED (default fixed) and FUZZ_RUNS (default small; `npm run
 * fuzz` runs many more). A failure prints its seed, counterexample and replay command.
 */
import { afterAll, beforeAll } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { reportRuns } from './arbitraries.js';
import { counterexamplesSuite } from './counterexamples.js';
import { graphqlDocumentsSuite } from './graphql-documents.js';
import { rejectedWritesSuite } from './rejected-writes.js';
import { restRequestsSuite } from './rest-requests.js';
import { searchSortSuite } from './search-sort.js';

let gw: TestGateway;
beforeAll(async () => {
  // FUZZ_LOG_LEVEL=error shows the gateway's own log of a failure (the cause of a 500).
  gw = await startTestGateway({
    RATE_LIMIT_ENABLED: 'false',
    LOG_LEVEL: process.env.FUZZ_LOG_LEVEL ?? 'silent',
  });
});
afterAll(async () => {
  reportRuns('test/fuzz');
  await gw?.close();
});

const gateway = () => gw;
restRequestsSuite(gateway);
rejectedWritesSuite(gateway);
searchSortSuite(gateway);
graphqlDocumentsSuite(gateway);
counterexamplesSuite(gateway);

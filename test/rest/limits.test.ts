/**
 * Every REST route's GraphQL document stays under the query limits at its largest
 * parameters (page size 100), so no REST call can be refused as QUERY_TOO_COMPLEX.
 */
import {
  type FragmentDefinitionNode,
  Kind,
  Lexer,
  type OperationDefinitionNode,
  parse,
  Source,
  TokenKind,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultQueryLimits, measureOperation } from '../../src/graphql/query-limits.js';
import { schema } from '../../src/graphql/schema.js';
import { routes } from '../../src/rest/routes.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { resetFixture } from './fixture.js';

function tokenCount(document: string): number {
  const lexer = new Lexer(new Source(document));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

describe('REST documents and the query limits', () => {
  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s is under every limit at page size 100',
    (_name, route) => {
      const document = parse(route.document);
      const operation = document.definitions.find(
        (d) => d.kind === Kind.OPERATION_DEFINITION,
      ) as OperationDefinitionNode;
      const fragments = Object.fromEntries(
        document.definitions
          .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
          .map((d) => [d.name.value, d]),
      );
      const root = operation.operation === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
      const measure = measureOperation(
        operation,
        root,
        fragments,
        { page: 1, perPage: 100 },
        (name) => schema.getType(name) ?? undefined,
      );
      expect(measure.depth).toBeLessThanOrEqual(defaultQueryLimits.maxDepth);
      expect(measure.aliases).toBeLessThanOrEqual(defaultQueryLimits.maxAliases);
      expect(measure.cost).toBeLessThanOrEqual(defaultQueryLimits.maxCost);
      expect(tokenCount(route.document)).toBeLessThanOrEqual(defaultQueryLimits.maxTokens);
    },
  );

  describe('through the gateway', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway();
      await resetFixture(gw.db);
    });
    afterAll(async () => {
      await gw?.close();
    });

    it('the paginated routes answer at per_page=100', async () => {
      for (const path of ['/customers', '/customers/1/orders', '/customers/attachable-user']) {
        const res = await gw.request('GET', `/wp-json/fluent-cart/v2${path}?per_page=100`);
        expect(res.status, `${path}: ${res.text}`).toBe(200);
        expect(res.body.data.pagination.per_page).toBe(100);
      }
    });
  });
});

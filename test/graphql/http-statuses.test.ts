import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

// Legacy clients send Accept: application/json; the statuses must not depend on it.
for (const accept of ['application/json', 'application/graphql-response+json']) {
  describe(`GraphQL over HTTP with Accept: ${accept}`, () => {
    const send = (query: string, variables?: Record<string, unknown>) =>
      gw.graphql(query, variables, { headers: { accept } });

    it('a parse error is 400 GRAPHQL_PARSE_FAILED', async () => {
      const res = await send('{ viewer { login ');
      expect(res.status).toBe(400);
      expect(res.body.errors[0]?.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('a validation error is 400 GRAPHQL_VALIDATION_FAILED', async () => {
      const res = await send('{ viewer { nope } }');
      expect(res.status).toBe(400);
      expect(res.body.errors[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('a variable error is 400 BAD_USER_INPUT', async () => {
      const res = await send('query($n: Int) { customers(perPage: $n) { pagination { total } } }', {
        n: 'x',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    });

    it('an execution result is 200', async () => {
      const res = await send('{ viewer { login } }');
      expect(res.status).toBe(200);
      expect(res.body.data.viewer.login).toBe('admin');
    });
  });
}

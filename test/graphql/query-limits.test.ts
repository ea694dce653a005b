import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ RATE_LIMIT_ENABLED: 'false' });
});
afterAll(async () => {
  await gw?.close();
});

function expectTooComplex(res: { status: number; body: any }, pattern: RegExp) {
  expect(res.status).toBe(400);
  expect(res.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  expect(res.body.errors?.[0]?.message).toMatch(pattern);
}

describe('query limits', () => {
  it('depth above 10 is refused', async () => {
    // customer → addresses → customer → addresses … 11 levels
    let selection = 'id';
    for (let i = 0; i < 5; i++) selection = `addresses { customer { ${selection} } }`;
    const res = await gw.graphql(`{ customer(id: "1") { ${selection} } }`);
    expectTooComplex(res, /depth 12 exceeds the limit of 10/);
  });

  it('16 aliases are refused, 15 are fine', async () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: viewer { login }`).join(' ');
    expectTooComplex(await gw.graphql(`{ ${fields(16)} }`), /16 aliases exceed the limit of 15/);
    const ok = await gw.graphql(`{ ${fields(15)} }`);
    expect(ok.status).toBe(200);
  });

  it('cost multiplies nested fields by the page sizes above them, variables included', async () => {
    const query = /* GraphQL */ `query($n: Int) {
      customers(perPage: $n) { customers { id email firstName lastName status totalSpent orderCount
        orders(perPage: $n) { orders { id status paymentStatus totalAmount currency createdAt } } } }
    }`;
    // perPage 100 × (7 + 2 + 2 + 100 × 6) ≫ 25,000
    expectTooComplex(await gw.graphql(query, { n: 100 }), /Query cost \d+ exceeds the limit of 25000/);
    // The same document with small pages is fine: the verdict is not cached across variables.
    const ok = await gw.graphql(query, { n: 5 });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
  });

  it('introspection is exempt from depth and cost', async () => {
    const res = await gw.graphql(
      `{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name ofType { name ofType { name } } } } } } } } } }`,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.__schema.types.length).toBeGreaterThan(10);
  });

  it('a fragment named __schema is not exempt', async () => {
    let selection = 'id';
    for (let i = 0; i < 5; i++) selection = `addresses { customer { ${selection} } }`;
    const res = await gw.graphql(
      `query __schema { customer(id: "1") { ...__type } } fragment __type on Customer { ${selection} }`,
    );
    expectTooComplex(res, /depth/);
  });

  it('more than 5000 tokens are refused before parsing completes', async () => {
    const res = await gw.graphql(`{ ${'viewer { login } '.repeat(1300)} }`);
    expectTooComplex(res, /5000 tokens/);
  });

  it('a batch of 11 operations is refused, 10 are answered', async () => {
    const op = { query: '{ viewer { login } }' };
    const eleven = await gw.request('POST', '/graphql', { body: Array(11).fill(op) });
    expect(eleven.status).toBe(400);
    expect(eleven.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const ten = await gw.request('POST', '/graphql', { body: Array(10).fill(op) });
    expect(ten.status).toBe(200);
    expect(ten.body).toHaveLength(10);
  });
});

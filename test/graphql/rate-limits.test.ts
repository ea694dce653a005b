/**
 * Rate-limit accounting on GraphQL (REST shares it, see test/rest/errors.test.ts): each root
 * field selection costs 1, aliases and batched operations included; refusals are top-level
 * RATE_LIMITED errors with extensions.retryAfter and are not counted; classes are separate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ RATE_LIMIT_READS: '5', RATE_LIMIT_CREATES: '2' });
});
afterAll(async () => {
  await gw?.close();
});

const remainingOf = (body: any, rateClass: string) => body.extensions?.rateLimit?.[rateClass]?.remaining;

describe('rate limits on GraphQL', () => {
  it('aliases each count, and the budget left is reported in extensions.rateLimit', async () => {
    const res = await gw.graphql('{ a: viewer { login } b: viewer { login } c: viewer { login } }');
    expect(res.body.data).toEqual({ a: { login: 'admin' }, b: { login: 'admin' }, c: { login: 'admin' } });
    expect(res.body.extensions?.rateLimit.read).toMatchObject({ limit: 5, remaining: 2 });
  });

  it('batched operations each count; past the budget the field gets RATE_LIMITED with retryAfter', async () => {
    const op = { query: '{ viewer { login } }' };
    const res = await gw.request('POST', '/graphql', { body: [op, op, op] });
    expect(res.status).toBe(200);
    expect(res.body[0].data.viewer.login).toBe('admin');
    expect(res.body[1].data.viewer.login).toBe('admin');
    expect(res.body[2].data.viewer).toBeNull();
    expect(res.body[2].errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(res.body[2].errors[0].extensions.retryAfter).toBeGreaterThan(0);
  });

  it('refused calls are not counted, and other classes have their own budget', async () => {
    const refused = await gw.graphql('{ viewer { login } }');
    expect(refused.body.errors[0]?.extensions.code).toBe('RATE_LIMITED');
    const create = await gw.graphql(
      'mutation { createCustomer(input: { email: "rl@example.com" }) { customer { email } userErrors { code } } }',
    );
    expect(create.body.data.createCustomer.customer.email).toBe('rl@example.com');
    expect(remainingOf(create.body, 'create')).toBe(1);
  });
});

/**
 * Concurrency invariants on the real PostgreSQL (a pool of 10 connections, so requests do
 * run in parallel — on PGlite they serialize). Through HTTP, REST and GraphQL mixed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ RATE_LIMIT_ENABLED: 'false', LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent' });
});
afterAll(async () => {
  await gw?.close();
});

const V2 = '/wp-json/fluent-cart/v2/customers';

async function newCustomer(email: string): Promise<string> {
  const res = await gw.request('POST', V2, { body: { email } });
  expect(res.status).toBe(201);
  return String(res.body.data.customer.id);
}

function address(type: 'billing' | 'shipping', n: number) {
  return { type, address_1: `${n} Main St`, city: 'Springfield', country: 'us' };
}

async function primariesPerType(customerId: string) {
  return gw.db.prisma.$queryRaw<{ type: string; addresses: number; primaries: number }[]>`
    SELECT type::text, count(*)::int AS addresses, count(*) FILTER (WHERE is_primary)::int AS primaries
      FROM customer_addresses WHERE customer_id = ${BigInt(customerId)} GROUP BY type ORDER BY type`;
}

describe('concurrency invariants on PostgreSQL', () => {
  it('50 concurrent make-primary / create / delete calls on one customer leave exactly one primary per type', async () => {
    const id = await newCustomer('race-primary@example.com');
    const seeded: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await gw.request('POST', `${V2}/${id}/address`, {
        body: address(i % 2 ? 'shipping' : 'billing', i),
      });
      seeded.push(res.body.data.address.id);
    }
    const calls = Array.from({ length: 50 }, (_, i) => {
      const target = seeded[i % seeded.length];
      switch (i % 5) {
        case 0:
        case 1:
          return gw.request('POST', `${V2}/${id}/address/make-primary`, { body: { address_id: target } });
        case 2:
          return gw.request('POST', `${V2}/${id}/address`, {
            body: { ...address(i % 2 ? 'shipping' : 'billing', 100 + i), is_primary: i % 3 === 0 },
          });
        case 3:
          return gw.request('DELETE', `${V2}/${id}/address`, { body: { address_id: target } });
        default:
          return gw.graphql(
            `mutation($c: ID!, $a: ID!) { updateCustomerAddress(customerId: $c, addressId: $a, input: { type: SHIPPING, isPrimary: true }) { address { id } userErrors { code } } }`,
            { c: id, a: String(target) },
          );
      }
    });
    const results = await Promise.all(calls);
    for (const res of results) expect(res.status).toBeLessThan(500);
    const rows = await primariesPerType(id);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.primaries).toBe(1);
  });

  it('20 concurrent creates with the same email in different case: one customer, 19 invalid_email', async () => {
    const emails = Array.from({ length: 20 }, (_, i) =>
      [...'same.person@example.com'].map((c, j) => ((i >> (j % 5)) & 1 ? c.toUpperCase() : c)).join(''),
    );
    const results = await Promise.all(emails.map((email) => gw.request('POST', V2, { body: { email } })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status === 422);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r.body.error.code).toBe('invalid_email');
    expect(
      await gw.db.prisma.customer.count({
        where: { email: { equals: 'same.person@example.com', mode: 'insensitive' } },
      }),
    ).toBe(1);
  });

  it('concurrent partial updates of different fields lose none', async () => {
    const id = await newCustomer('partial@example.com');
    await Promise.all([
      gw.request('PUT', `${V2}/${id}`, { body: { first_name: 'Ada' } }),
      gw.request('PUT', `${V2}/${id}`, { body: { last_name: 'Lovelace' } }),
      gw.request('PUT', `${V2}/${id}`, { body: { phone: '+44 20 7946 0000' } }),
      gw.request('PUT', `${V2}/${id}`, { body: { status: 'inactive' } }),
      gw.request('PUT', `${V2}/${id}/additional-info`, { body: { a: 1 } }),
      gw.request('PUT', `${V2}/${id}/additional-info`, { body: { b: 2 } }),
    ]);
    const row = await gw.db.prisma.customer.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(row).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+44 20 7946 0000',
      status: 'INACTIVE',
      additionalInfo: { a: 1, b: 2 },
    });
  });

  it('concurrent attach of one user to two customers yields one link', async () => {
    const user = await gw.db.prisma.user.create({ data: { login: 'linkme', email: 'linkme@example.com' } });
    const [a, b] = [await newCustomer('attach-a@example.com'), await newCustomer('attach-b@example.com')];
    const results = await Promise.all(
      [a, b].map((c) =>
        gw.request('POST', `${V2}/${c}/attachable-user`, { body: { user_id: String(user.id) } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    expect(results.find((r) => r.status === 422)?.body.error.code).toBe('invalid_user');
    expect(await gw.db.prisma.customer.count({ where: { userId: user.id } })).toBe(1);
  });

  it('a bulk delete racing with address creation leaves no orphan addresses', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) ids.push(await newCustomer(`bulk-race-${i}@example.com`));
    const creates = ids.flatMap((id, i) =>
      [0, 1].map((n) =>
        gw.request('POST', `${V2}/${id}/address`, { body: address(n ? 'shipping' : 'billing', i) }),
      ),
    );
    const bulk = gw.request('POST', `${V2}/do-bulk-action`, {
      body: { action: 'delete_customers', customer_ids: ids.map(Number) },
    });
    const [bulkResult, ...createResults] = await Promise.all([bulk, ...creates]);
    expect(bulkResult.status).toBe(200);
    expect(bulkResult.body.data.processed).toBe(15);
    for (const res of createResults) expect([201, 404]).toContain(res.status);
    const [row] = await gw.db.prisma.$queryRaw<{ orphans: number }[]>`
      SELECT count(*)::int AS orphans FROM customer_addresses a
       WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = a.customer_id)`;
    expect(row?.orphans).toBe(0);
    expect(await gw.db.prisma.customer.count({ where: { id: { in: ids.map(BigInt) } } })).toBe(0);
  });
});

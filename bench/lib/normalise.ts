/**
 * Reduces each contender's answer to the facts every contender must agree on (ids, totals,
 * the child rows' ids), so that the bench can show that all of them answer the same data.
 * Field naming and scalar encodings differ by design (GraphQL camelCase and string ids,
 * REST snake_case and numeric ids, PostGraphile's rowId and lower-case enums).
 */
import type { Contender, ScenarioId } from '../scenarios.js';

type Json = any;

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const sortedIds = (rows: Json[] | undefined, key = 'id') => (rows ?? []).map((r) => String(r[key])).sort();

function s1(contender: Contender, body: Json): Json {
  let total: number;
  let customers: Json[];
  if (contender === 'gql') {
    total = body.data.customers.pagination.total;
    customers = body.data.customers.customers.map((c: Json) => ({
      id: str(c.id),
      email: c.email,
      totalSpent: num(c.stats.totalSpent),
      orderCount: num(c.stats.orderCount),
      averageOrderValue: num(c.stats.averageOrderValue),
      addresses: sortedIds(c.addresses),
      orders: c.orders.orders.map((o: Json) => str(o.id)),
    }));
  } else if (contender === 'raw') {
    total = body.data.total;
    customers = body.data.customers.map((c: Json) => ({
      id: str(c.id),
      email: c.email,
      totalSpent: num(c.stats.totalSpent),
      orderCount: num(c.stats.orderCount),
      averageOrderValue: num(c.stats.averageOrderValue),
      addresses: sortedIds(c.addresses),
      orders: c.orders.map((o: Json) => str(o.id)),
    }));
  } else {
    const conn = body.data.allCustomers ?? body.data.searchCustomers;
    total = conn.totalCount;
    customers = conn.nodes.map((c: Json) => ({
      id: str(c.rowId),
      email: c.email,
      totalSpent: num(c.totalSpent),
      orderCount: num(c.orderCount),
      averageOrderValue: num(c.averageOrderValue),
      addresses: sortedIds(c.customerAddressesByCustomerId.nodes, 'rowId'),
      orders: c.ordersByCustomerId.nodes.map((o: Json) => str(o.rowId)),
    }));
  }
  return { total, customers };
}

function s2(contender: Contender, body: Json): Json {
  const c =
    contender === 'gql'
      ? body.data.customer
      : contender === 'pgl'
        ? body.data.customerByRowId
        : body.data.customer;
  const addresses = contender === 'pgl' ? c.customerAddressesByCustomerId.nodes : c.addresses;
  return {
    id: str(c.id ?? c.rowId),
    email: c.email,
    totalSpent: num(c.totalSpent ?? c.total_spent),
    addresses: sortedIds(addresses, contender === 'pgl' ? 'rowId' : 'id'),
  };
}

function list(contender: Contender, body: Json): Json {
  const d = contender === 'gql' ? body.data.customers : body.data;
  return {
    total: d.pagination.total,
    ids: d.customers.map((c: Json) => str(c.id)),
  };
}

export function normalise(scenario: ScenarioId, contender: Contender, body: Json): Json {
  if (body?.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 300)}`);
  if (scenario.startsWith('S1')) return s1(contender, body);
  if (scenario === 'S2') return s2(contender, body);
  return list(contender, body);
}

/**
 * The REST representations of the contract ("every customer, address, order and user object
 * in a REST response is the full object"), built from GraphQL-shaped data: camelCase keys,
 * decimal-string ids, UPPER_CASE enums, DateTime strings. The REST router maps GraphQL
 * results through these; the JSON export uses them too, so both emit the same objects.
 */
import type { Customer, CustomerAddress, Order, User } from '../generated/prisma/client.js';
import { formatDateTime } from '../graphql/builder.js';

/** GraphQL selections that fetch everything the REST objects need. */
export const restFragments = /* GraphQL */ `
fragment RestCustomer on Customer {
  id email firstName lastName phone status userId additionalInfo totalSpent orderCount createdAt updatedAt
}
fragment RestAddress on CustomerAddress {
  id customerId type firstName lastName company address1 address2 city state postcode country phone isPrimary createdAt updatedAt
}
fragment RestOrder on Order {
  id customerId status paymentStatus totalAmount refundedAmount currency createdAt updatedAt
}
fragment RestUser on User {
  id login email displayName role
}
`;

type Json = Record<string, any>;

const idNumber = (id: string | null | undefined): number | null =>
  id === null || id === undefined ? null : Number(id);
const lower = (value: string): string => value.toLowerCase();
/** OrderStatus ON_HOLD is `on-hold` on REST; other enums are plain lower case. */
const orderStatus = (value: string): string => (value === 'ON_HOLD' ? 'on-hold' : lower(value));

export function restCustomer(c: Json): Json {
  return {
    id: idNumber(c.id),
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    phone: c.phone,
    status: lower(c.status),
    user_id: idNumber(c.userId),
    additional_info: c.additionalInfo,
    total_spent: c.totalSpent,
    order_count: c.orderCount,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    ...(c.addresses ? { addresses: c.addresses.map(restAddress) } : {}),
  };
}

export function restAddress(a: Json): Json {
  return {
    id: idNumber(a.id),
    customer_id: idNumber(a.customerId),
    type: lower(a.type),
    first_name: a.firstName,
    last_name: a.lastName,
    company: a.company,
    address_1: a.address1,
    address_2: a.address2,
    city: a.city,
    state: a.state,
    postcode: a.postcode,
    country: a.country,
    phone: a.phone,
    is_primary: a.isPrimary,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

export function restOrder(o: Json): Json {
  return {
    id: idNumber(o.id),
    customer_id: idNumber(o.customerId),
    status: orderStatus(o.status),
    payment_status: lower(o.paymentStatus),
    total_amount: o.totalAmount,
    refunded_amount: o.refundedAmount,
    currency: o.currency,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

export function restUser(u: Json): Json {
  return {
    id: idNumber(u.id),
    user_login: u.login,
    user_email: u.email,
    display_name: u.displayName,
    role: lower(u.role),
  };
}

export function restPagination(p: Json): Json {
  return {
    current_page: p.currentPage,
    per_page: p.perPage,
    total: p.total,
    total_pages: p.totalPages,
  };
}

export function restStats(s: Json): Json {
  return {
    total_spent: s.totalSpent,
    order_count: s.orderCount,
    average_order_value: s.averageOrderValue,
    last_order_date: s.lastOrderDate,
    first_order_date: s.firstOrderDate,
  };
}

/** One entry of a bulk action's `results`; `error` only when it failed. */
export function restBulkResult(r: Json): Json {
  return {
    customer_id: idNumber(r.customerId),
    success: r.success,
    ...(r.error ? { error: { code: lower(r.error.code), message: r.error.message } } : {}),
  };
}

export function restExport(e: Json): Json {
  return { format: lower(e.format), content_type: e.contentType, content: e.content };
}

/** A customer row as GraphQL would serialize it (for code that has rows, e.g. the export). */
export function customerRowAsGraphQL(row: Customer): Json {
  return {
    id: String(row.id),
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    phone: row.phone,
    status: row.status,
    userId: row.userId === null ? null : String(row.userId),
    additionalInfo: row.additionalInfo,
    totalSpent: Number(row.totalSpent),
    orderCount: row.orderCount,
    createdAt: formatDateTime(row.createdAt),
    updatedAt: formatDateTime(row.updatedAt),
  };
}

export type { Customer, CustomerAddress, Order, User };

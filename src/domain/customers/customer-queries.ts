/**
 * The read side of customers: lists (offset pages and keyset connections), detail, stats,
 * orders and addresses. Lists run in two steps:
 *  1. one parameterised raw statement picks the page of ids (with the total), using the
 *     trigram indexes for search and the (sort key, id) indexes for order;
 *  2. Prisma hydrates those ids with the caller's selection (`findMany … id IN`), re-ordered
 *     here to the page order.
 * The sort expression only ever comes from the `sortColumns` whitelist; user input reaches SQL
 * as bind parameters only.
 *
 * Every function takes the Prisma selection (Pothos' `query`) as its optional last argument.
 */

import { AppError, customerNotFound, type ErrorDetail, validationFailure } from '../../errors.js';
import {
  type AddressType,
  type Customer,
  type CustomerAddress,
  Prisma,
  type PrismaClient,
} from '../../generated/prisma/client.js';
import { parseId } from '../ids.js';
import { type Pagination, pageRequest, pageSize, paginationOf } from '../pagination.js';
import {
  type CustomerCriteria,
  type CustomerListInput,
  type CustomerSortKey,
  containsPattern,
  customerCriteria,
  type SortDirection,
} from './list-params.js';
import { loadOrderPages, type OrderPage } from './order-loader.js';

export type CustomerSelection = { select?: Prisma.CustomerSelect; include?: Prisma.CustomerInclude };
export type AddressSelection = {
  select?: Prisma.CustomerAddressSelect;
  include?: Prisma.CustomerAddressInclude;
};

// ---------------------------------------------------------------------------------------------
// Sorting and filtering SQL
// ---------------------------------------------------------------------------------------------

type SortValueKind = 'id' | 'text' | 'status' | 'timestamp' | 'bigint' | 'int';

interface SortColumn {
  /** The sort expression over `customers AS c`, written as the matching index is. */
  expr: Prisma.Sql;
  kind: SortValueKind;
}

/**
 * The whitelist of sort expressions. Text keys compare `lower(value)` in the "C" collation,
 * exactly the expressions of the `customers_*_sort_idx` indexes (email is citext, hence the
 * `::text`). Every sort column is NOT NULL, so "nulls last" never applies; leaving NULLS out of
 * ORDER BY keeps the (key, id) indexes usable in both directions.
 */
const sortColumns: Record<CustomerSortKey, SortColumn> = {
  ID: { expr: Prisma.sql`c.id`, kind: 'id' },
  EMAIL: { expr: Prisma.sql`lower(c.email::text) COLLATE "C"`, kind: 'text' },
  FIRST_NAME: { expr: Prisma.sql`lower(c.first_name) COLLATE "C"`, kind: 'text' },
  LAST_NAME: { expr: Prisma.sql`lower(c.last_name) COLLATE "C"`, kind: 'text' },
  STATUS: { expr: Prisma.sql`c.status`, kind: 'status' },
  CREATED_AT: { expr: Prisma.sql`c.created_at`, kind: 'timestamp' },
  UPDATED_AT: { expr: Prisma.sql`c.updated_at`, kind: 'timestamp' },
  TOTAL_SPENT: { expr: Prisma.sql`c.total_spent`, kind: 'bigint' },
  ORDER_COUNT: { expr: Prisma.sql`c.order_count`, kind: 'int' },
};

const customerStatusLabels = { ACTIVE: 'active', INACTIVE: 'inactive' } as const;

/** The value of a sort key as a bind parameter of the column's type. */
function sortParam(kind: SortValueKind, value: unknown): Prisma.Sql {
  switch (kind) {
    case 'id':
    case 'bigint':
      return Prisma.sql`${value}::bigint`;
    case 'int':
      return Prisma.sql`${value}::int`;
    case 'text':
      return Prisma.sql`${value}::text COLLATE "C"`;
    case 'status':
      return Prisma.sql`${value}::customer_status`;
    case 'timestamp':
      return Prisma.sql`${value}::timestamptz`;
  }
}

/** The conditions of search and filters over `customers AS c`. */
function filterConditions(criteria: CustomerCriteria): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (criteria.search !== null) {
    const pattern = containsPattern(criteria.search);
    // Each operand matches a trigram index expression (customers_full_name_trgm_idx,
    // customers_email_trgm_idx, customers_phone_trgm_idx): a BitmapOr of three index scans.
    conditions.push(
      Prisma.sql`((c.first_name || ' ' || c.last_name) ILIKE ${pattern} OR c.email::text ILIKE ${pattern} OR c.phone ILIKE ${pattern})`,
    );
  }
  if (criteria.status !== null) {
    conditions.push(Prisma.sql`c.status = ${customerStatusLabels[criteria.status]}::customer_status`);
  }
  const { createdFrom, createdTo } = criteria;
  if (createdFrom) {
    conditions.push(
      createdFrom.inclusive
        ? Prisma.sql`c.created_at >= ${createdFrom.at}::timestamptz`
        : Prisma.sql`c.created_at > ${createdFrom.at}::timestamptz`,
    );
  }
  if (createdTo) {
    conditions.push(
      createdTo.inclusive
        ? Prisma.sql`c.created_at <= ${createdTo.at}::timestamptz`
        : Prisma.sql`c.created_at < ${createdTo.at}::timestamptz`,
    );
  }
  if (criteria.totalSpentMin !== null) {
    conditions.push(Prisma.sql`c.total_spent >= ${criteria.totalSpentMin}::bigint`);
  }
  if (criteria.totalSpentMax !== null) {
    conditions.push(Prisma.sql`c.total_spent <= ${criteria.totalSpentMax}::bigint`);
  }
  return conditions;
}

function whereOf(conditions: readonly Prisma.Sql[]): Prisma.Sql {
  return conditions.length === 0 ? Prisma.empty : Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}`;
}

const sqlDirection = (direction: SortDirection) => Prisma.raw(direction === 'ASC' ? 'ASC' : 'DESC');
const reversed = (direction: SortDirection): SortDirection => (direction === 'ASC' ? 'DESC' : 'ASC');

/** ORDER BY the sort key `key` then `id`, both in `direction` (just `id` for the ID sort). */
function orderBy(column: SortColumn, direction: SortDirection, key: Prisma.Sql, id: Prisma.Sql): Prisma.Sql {
  const dir = sqlDirection(direction);
  return column.kind === 'id' ? Prisma.sql`${id} ${dir}` : Prisma.sql`${key} ${dir}, ${id} ${dir}`;
}

/** A position in the (sort key, id) order. */
export interface KeysetPosition {
  key: unknown;
  id: bigint;
}

type Comparison = '<' | '>' | '<=' | '>=';

/** `(key, id) op (position)` as a row comparison, which a (key, id) btree index serves. */
function compare(column: SortColumn, op: Comparison, position: KeysetPosition): Prisma.Sql {
  const operator = Prisma.raw(op);
  if (column.kind === 'id') return Prisma.sql`c.id ${operator} ${position.id}::bigint`;
  return Prisma.sql`(${column.expr}, c.id) ${operator} (${sortParam(column.kind, position.key)}, ${position.id}::bigint)`;
}

/** `afterOp`: rows strictly after a position in `direction`; `notAfterOp`: the rest (at or before it). */
const afterOp = (direction: SortDirection): Comparison => (direction === 'DESC' ? '<' : '>');
const notAfterOp = (direction: SortDirection): Comparison => (direction === 'DESC' ? '>=' : '<=');

/**
 * The number of all customers, kept by the database in `customer_count_slots` (statement
 * triggers on customers, see its migration): reading 16 rows instead of counting every row
 * is what makes the unfiltered list — the admin's landing page — cheap on a large table.
 */
const UNFILTERED_TOTAL = Prisma.sql`(SELECT COALESCE(sum(n), 0)::int FROM customer_count_slots)`;

interface PageRow {
  total: number | null;
  has_before: boolean;
  has_after: boolean;
  id: bigint | null;
  k: unknown;
}

interface PageQuery {
  criteria: CustomerCriteria;
  /** Extra conditions (keyset bounds) on the page, not on the total. */
  bounds: Prisma.Sql[];
  /** Order of the fetched rows (reversed when paginating backwards). */
  direction: SortDirection;
  limit: number;
  offset: number;
  countTotal: boolean;
  /** Conditions whose existence (with the filters) answers has_before / has_after. */
  before: Prisma.Sql | null;
  after: Prisma.Sql | null;
}

/**
 * The one statement of a page: the total (count of the filtered list), the existence checks of
 * a keyset page, and the page's ids with their sort keys, in page order. A single-row
 * subquery LEFT JOINs the page, so an empty page still carries the total.
 */
async function selectPage(
  prisma: PrismaClient,
  q: PageQuery,
): Promise<{
  total: number;
  hasBefore: boolean;
  hasAfter: boolean;
  rows: { id: bigint; key: unknown }[];
}> {
  const column = sortColumns[q.criteria.orderBy];
  const filters = filterConditions(q.criteria);
  const exists = (condition: Prisma.Sql | null) =>
    condition
      ? Prisma.sql`EXISTS (SELECT 1 FROM customers AS c ${whereOf([...filters, condition])})`
      : Prisma.sql`false`;
  const total = !q.countTotal
    ? Prisma.sql`NULL::int`
    : filters.length === 0
      ? UNFILTERED_TOTAL
      : Prisma.sql`(SELECT count(*)::int FROM customers AS c ${whereOf(filters)})`;
  const rows = await prisma.$queryRaw<PageRow[]>(Prisma.sql`
    SELECT t.total, t.has_before, t.has_after, p.id, p.k
      FROM (SELECT ${total} AS total, ${exists(q.before)} AS has_before, ${exists(q.after)} AS has_after) AS t
      LEFT JOIN (
        SELECT c.id, ${column.expr} AS k
          FROM customers AS c
          ${whereOf([...filters, ...q.bounds])}
         ORDER BY ${orderBy(column, q.direction, column.expr, Prisma.sql`c.id`)}
         LIMIT ${q.limit} OFFSET ${BigInt(q.offset)}
      ) AS p ON true
     ORDER BY ${orderBy(column, q.direction, Prisma.sql`p.k`, Prisma.sql`p.id`)}`);
  const first = rows[0];
  return {
    total: first?.total ?? 0,
    hasBefore: first?.has_before ?? false,
    hasAfter: first?.has_after ?? false,
    rows: rows.flatMap((r) => (r.id === null ? [] : [{ id: r.id, key: r.k }])),
  };
}

/** Loads customers by id with the selection, in the order of `ids`. */
export async function customersByIds(
  prisma: PrismaClient,
  ids: readonly bigint[],
  query: CustomerSelection = {},
): Promise<Customer[]> {
  if (ids.length === 0) return [];
  // One statement for the customers and their to-one and unpaginated relations (user,
  // addresses): the page is already cut by id, so the join strategy's lateral subqueries run
  // once per customer of the page, never for skipped rows.
  const found = (await prisma.customer.findMany({
    ...query,
    relationLoadStrategy: 'join',
    where: { id: { in: [...ids] } },
  })) as Customer[];
  const byId = new Map(found.map((c) => [c.id.toString(), c]));
  // A customer deleted between the two statements is simply left out.
  return ids.flatMap((id) => byId.get(id.toString()) ?? []);
}

// ---------------------------------------------------------------------------------------------
// customers: offset pages
// ---------------------------------------------------------------------------------------------

export interface CustomerListRequest extends CustomerListInput {
  page?: number | null;
  perPage?: number | null;
}

export interface CustomerList {
  customers: Customer[];
  pagination: Pagination;
}

/**
 * A page of customers (default 10 per page). `query` null: only the pagination is wanted, no
 * rows are loaded.
 */
export async function listCustomers(
  prisma: PrismaClient,
  request: CustomerListRequest,
  query: CustomerSelection | null = {},
): Promise<CustomerList> {
  const problems: ErrorDetail[] = [];
  const page = pageRequest(request, 10, problems);
  const criteria = customerCriteria(request, problems);
  if (!page || problems.length > 0) throw validationFailure(problems);
  const result = await selectPage(prisma, {
    criteria,
    bounds: [],
    direction: criteria.direction,
    limit: page.perPage,
    offset: page.offset,
    countTotal: true,
    before: null,
    after: null,
  });
  const ids = result.rows.map((r) => r.id);
  return {
    customers: query === null ? [] : await customersByIds(prisma, ids, query),
    pagination: paginationOf(page, result.total),
  };
}

// ---------------------------------------------------------------------------------------------
// customersConnection: keyset pages
// ---------------------------------------------------------------------------------------------

export interface CustomerConnectionRequest extends CustomerListInput {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  /** Count the filtered list for `totalCount` (default true). */
  countTotal?: boolean;
}

export interface CustomerEdge {
  cursor: string;
  node: Customer;
}

export interface CustomerConnection {
  edges: CustomerEdge[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  /** The size of the filtered list; 0 when not counted. */
  totalCount: number;
}

/**
 * A keyset page of customers. `first` (default 10) with `after` pages forwards, `last` with
 * `before` backwards; both cursors may bound one page. `hasPreviousPage`/`hasNextPage` are exact
 * in both directions. `query` null: no rows are loaded (totalCount or pageInfo only).
 */
export async function customersConnection(
  prisma: PrismaClient,
  request: CustomerConnectionRequest,
  query: CustomerSelection | null = {},
): Promise<CustomerConnection> {
  const problems: ErrorDetail[] = [];
  const criteria = customerCriteria(request, problems);
  const hasFirst = request.first !== null && request.first !== undefined;
  const hasLast = request.last !== null && request.last !== undefined;
  if (hasFirst && hasLast) {
    problems.push({ field: 'last', message: 'cannot be combined with first' });
  }
  const backwards = hasLast && !hasFirst;
  const size = backwards
    ? pageSize(request.last, 10, 'last', problems)
    : pageSize(request.first, 10, 'first', problems);
  const after = decodeOptionalCursor(request.after, criteria.orderBy, 'after', problems);
  const before = decodeOptionalCursor(request.before, criteria.orderBy, 'before', problems);
  if (size === null || problems.length > 0) throw validationFailure(problems);

  const column = sortColumns[criteria.orderBy];
  const direction = criteria.direction;
  const bounds: Prisma.Sql[] = [];
  if (after) bounds.push(compare(column, afterOp(direction), after));
  if (before) bounds.push(compare(column, afterOp(reversed(direction)), before));
  const result = await selectPage(prisma, {
    criteria,
    bounds,
    direction: backwards ? reversed(direction) : direction,
    limit: size + 1,
    offset: 0,
    countTotal: request.countTotal ?? true,
    // Rows before the page: at or before `after`; rows after it: at or after `before`.
    before: after ? compare(column, notAfterOp(direction), after) : null,
    after: before ? compare(column, notAfterOp(reversed(direction)), before) : null,
  });
  const more = result.rows.length > size;
  const rows = result.rows.slice(0, size);
  if (backwards) rows.reverse();
  const nodes =
    query === null
      ? []
      : await customersByIds(
          prisma,
          rows.map((r) => r.id),
          query,
        );
  const cursors = new Map(rows.map((r) => [r.id.toString(), encodeCursor(criteria.orderBy, r.key, r.id)]));
  const edges =
    query === null
      ? rows.map((r) => ({ cursor: cursors.get(r.id.toString()) as string, node: { id: r.id } as Customer }))
      : nodes.map((node) => ({ cursor: cursors.get(node.id.toString()) as string, node }));
  const startRow = rows[0];
  const endRow = rows[rows.length - 1];
  return {
    edges,
    pageInfo: {
      hasPreviousPage: (backwards && more) || result.hasBefore,
      hasNextPage: (!backwards && more) || result.hasAfter,
      startCursor: startRow ? (cursors.get(startRow.id.toString()) ?? null) : null,
      endCursor: endRow ? (cursors.get(endRow.id.toString()) ?? null) : null,
    },
    totalCount: result.total,
  };
}

/**
 * Cursors are opaque to clients: base64url of `[orderBy, sort value, id]`. They name the sort
 * key they were made for; the direction and filters may change between pages.
 */
export function encodeCursor(orderBy: CustomerSortKey, key: unknown, id: bigint): string {
  const value =
    sortColumns[orderBy].kind === 'id'
      ? null
      : key instanceof Date
        ? key.toISOString()
        : typeof key === 'bigint'
          ? key.toString()
          : key;
  return Buffer.from(JSON.stringify([orderBy, value, id.toString()])).toString('base64url');
}

const BIGINT_TEXT = /^-?[0-9]{1,19}$/;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
/** `Date.toISOString()` of years 0001–9999, the instants PostgreSQL reads back as written. */
const CURSOR_INSTANT = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Whether a cursor's sort value is one the column can hold: a cursor is opaque, so one that
 * was not made here (NUL in a text, a bigint or int out of range, an instant PostgreSQL cannot
 * take) is "not a valid cursor", not a failing statement.
 */
function validCursorValue(kind: SortValueKind, value: unknown): boolean {
  switch (kind) {
    case 'id':
      return value === null;
    case 'text':
      return typeof value === 'string' && !value.includes('\u0000');
    case 'status':
      return value === 'active' || value === 'inactive';
    case 'timestamp': {
      const year = typeof value === 'string' ? CURSOR_INSTANT.exec(value)?.[1] : undefined;
      return year !== undefined && Number(year) >= 1 && !Number.isNaN(Date.parse(value as string));
    }
    case 'bigint':
      return (
        typeof value === 'string' &&
        BIGINT_TEXT.test(value) &&
        BigInt(value) >= INT8_MIN &&
        BigInt(value) <= INT8_MAX
      );
    case 'int':
      return Number.isInteger(value) && (value as number) >= -2147483648 && (value as number) <= 2147483647;
  }
}

/** Reads a cursor made for `orderBy`; pushes a detail on `field` when it is not one. */
export function decodeCursor(
  cursor: string,
  orderBy: CustomerSortKey,
  field: string,
  problems: ErrorDetail[],
): KeysetPosition | null {
  const fail = (message: string) => {
    problems.push({ field, message });
    return null;
  };
  let parsed: unknown;
  try {
    parsed = /^[A-Za-z0-9_-]+$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString()) : null;
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return fail('is not a valid cursor');
  const [key, value, idText] = parsed as unknown[];
  if (key !== orderBy) {
    return fail(`is a cursor of another ordering; use a cursor returned for orderBy ${orderBy}`);
  }
  if (typeof idText !== 'string') return fail('is not a valid cursor');
  let id: bigint;
  try {
    const parsedId = parseId(idText, field);
    if (parsedId === 'out-of-range') return fail('is not a valid cursor');
    id = parsedId;
  } catch {
    return fail('is not a valid cursor');
  }
  const kind = sortColumns[orderBy].kind;
  if (!validCursorValue(kind, value)) return fail('is not a valid cursor');
  return { key: kind === 'timestamp' ? new Date(value as string) : value, id };
}

function decodeOptionalCursor(
  cursor: string | null | undefined,
  orderBy: CustomerSortKey,
  field: string,
  problems: ErrorDetail[],
): KeysetPosition | null {
  return cursor === null || cursor === undefined ? null : decodeCursor(cursor, orderBy, field, problems);
}

// ---------------------------------------------------------------------------------------------
// One customer: detail, stats, orders, addresses
// ---------------------------------------------------------------------------------------------

/** Parses a customer id argument; null when well-formed but beyond BIGINT (cannot exist). */
function customerIdOf(value: string, field: string): bigint | null {
  const id = parseId(value, field);
  return id === 'out-of-range' ? null : id;
}

/** The customer `id`, or CUSTOMER_NOT_FOUND; a malformed id is a VALIDATION_ERROR on `id`. */
export async function getCustomer(
  prisma: PrismaClient,
  id: string,
  query: CustomerSelection = {},
): Promise<Customer> {
  const customerId = customerIdOf(id, 'id');
  const customer =
    customerId === null
      ? null
      : ((await prisma.customer.findUnique({ ...query, where: { id: customerId } })) as Customer | null);
  if (!customer) throw customerNotFound(id);
  return customer;
}

export interface CustomerStats {
  totalSpent: bigint;
  orderCount: number;
  averageOrderValue: bigint;
  firstOrderDate: Date | null;
  lastOrderDate: Date | null;
}

/** The columns of the customer row the stats are read from (maintained by triggers). */
export const statsSelect = {
  totalSpent: true,
  orderCount: true,
  firstOrderDate: true,
  lastOrderDate: true,
} as const satisfies Prisma.CustomerSelect;

type StatsColumns = Pick<Customer, keyof typeof statsSelect>;

export function statsOf(row: StatsColumns): CustomerStats {
  return {
    totalSpent: row.totalSpent,
    orderCount: row.orderCount,
    averageOrderValue: averageOrderValue(row.totalSpent, row.orderCount),
    firstOrderDate: row.firstOrderDate,
    lastOrderDate: row.lastOrderDate,
  };
}

/**
 * totalSpent / orderCount rounded half away from zero, exactly as PostgreSQL's
 * `round(numeric)`, in bigint arithmetic (no float rounding at any size); 0 without orders.
 */
export function averageOrderValue(totalSpent: bigint, orderCount: number | bigint): bigint {
  const count = BigInt(orderCount);
  if (count === 0n) return 0n;
  const quotient = totalSpent / count; // truncates toward zero
  const remainder = totalSpent % count; // has the sign of totalSpent
  const abs = (n: bigint) => (n < 0n ? -n : n);
  if (2n * abs(remainder) >= abs(count)) {
    return quotient + (totalSpent < 0n !== count < 0n ? -1n : 1n);
  }
  return quotient;
}

/** The stats of customer `customerId`, from its row (no aggregation at read time). */
export async function getCustomerStats(prisma: PrismaClient, customerId: string): Promise<CustomerStats> {
  const id = customerIdOf(customerId, 'customerId');
  const row = id === null ? null : await prisma.customer.findUnique({ where: { id }, select: statsSelect });
  if (!row) throw customerNotFound(customerId);
  return statsOf(row);
}

export interface CustomerOrdersRequest {
  customerId: string;
  page?: number | null;
  perPage?: number | null;
}

/** A page of the customer's orders, newest first (default 100 per page), in one statement. */
export async function listCustomerOrders(
  prisma: PrismaClient,
  request: CustomerOrdersRequest,
): Promise<OrderPage> {
  const problems: ErrorDetail[] = [];
  const id = safeCustomerId(request.customerId, 'customerId', problems);
  const page = pageRequest(request, 100, problems);
  if (!page || problems.length > 0) throw validationFailure(problems);
  const pages = id === null ? new Map<string, OrderPage>() : await loadOrderPages(prisma, [id], page);
  const found = id === null ? undefined : pages.get(id.toString());
  if (!found) throw customerNotFound(request.customerId);
  return found;
}

/** Like `customerIdOf`, collecting the failure with the other parameters'. */
function safeCustomerId(value: string, field: string, problems: ErrorDetail[]): bigint | null {
  try {
    return customerIdOf(value, field);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    problems.push(...error.details);
    return null;
  }
}

/** Address list order: billing before shipping, primary first, then id. */
export const addressOrder = [
  { type: 'asc' },
  { isPrimary: 'desc' },
  { id: 'asc' },
] as const satisfies Prisma.CustomerAddressOrderByWithRelationInput[];

export interface CustomerAddressesRequest {
  customerId: string;
  type?: AddressType | null;
}

/** The customer's addresses (optionally of one type), or CUSTOMER_NOT_FOUND. */
export async function listCustomerAddresses(
  prisma: PrismaClient,
  request: CustomerAddressesRequest,
  query: AddressSelection = {},
): Promise<CustomerAddress[]> {
  const id = customerIdOf(request.customerId, 'customerId');
  const customer =
    id === null
      ? null
      : await prisma.customer.findUnique({
          where: { id },
          select: {
            id: true,
            addresses: {
              ...query,
              where: request.type ? { type: request.type } : {},
              orderBy: [...addressOrder],
            },
          },
        });
  if (!customer) throw customerNotFound(request.customerId);
  return customer.addresses as CustomerAddress[];
}

/**
 * The parameters of customer lists (contract, "List parameters"), validated into criteria the
 * SQL builder can trust: search term, filters and sort. Paging is in ../pagination.ts.
 * Validation failures are collected as details (camelCase paths such as `filters.dateFrom`)
 * so one VALIDATION_ERROR reports every bad parameter at once.
 */

import type { ErrorDetail } from '../../errors.js';
import type { CustomerStatus } from '../../generated/prisma/client.js';

export const customerSortKeys = [
  'ID',
  'EMAIL',
  'FIRST_NAME',
  'LAST_NAME',
  'STATUS',
  'CREATED_AT',
  'UPDATED_AT',
  'TOTAL_SPENT',
  'ORDER_COUNT',
] as const;
export type CustomerSortKey = (typeof customerSortKeys)[number];
export type SortDirection = 'ASC' | 'DESC';

export interface CustomerFiltersInput {
  status?: CustomerStatus | null;
  /** `YYYY-MM-DD` (the whole UTC day) or ISO 8601; inclusive. */
  dateFrom?: string | null;
  dateTo?: string | null;
  /** Cents, inclusive. */
  totalSpentMin?: number | null;
  totalSpentMax?: number | null;
}

export interface CustomerListInput {
  search?: string | null;
  filters?: CustomerFiltersInput | null;
  orderBy?: CustomerSortKey | null;
  orderType?: SortDirection | null;
}

/** An instant bound of `created_at`. */
export interface InstantBound {
  at: Date;
  /** `<=`/`>=` when true; `<` when false (the end of a bare date is the next midnight). */
  inclusive: boolean;
}

export interface CustomerCriteria {
  /** The raw search term (trimmed), or null for no search. */
  search: string | null;
  status: CustomerStatus | null;
  createdFrom: InstantBound | null;
  createdTo: InstantBound | null;
  totalSpentMin: bigint | null;
  totalSpentMax: bigint | null;
  orderBy: CustomerSortKey;
  direction: SortDirection;
}

/** Validates search, filters and sort, pushing a detail per failing field. */
export function customerCriteria(input: CustomerListInput, problems: ErrorDetail[]): CustomerCriteria {
  const filters = input.filters ?? {};
  const orderBy = input.orderBy ?? 'ID';
  if (!customerSortKeys.includes(orderBy)) {
    problems.push({ field: 'orderBy', message: `must be one of ${customerSortKeys.join(', ')}` });
  }
  const direction = input.orderType ?? 'DESC';
  if (direction !== 'ASC' && direction !== 'DESC') {
    problems.push({ field: 'orderType', message: 'must be ASC or DESC' });
  }
  return {
    search: searchTerm(input.search, problems),
    status: filters.status ?? null,
    createdFrom: instantBound(filters.dateFrom, 'from', 'filters.dateFrom', problems),
    createdTo: instantBound(filters.dateTo, 'to', 'filters.dateTo', problems),
    totalSpentMin: cents(filters.totalSpentMin, 'filters.totalSpentMin', problems),
    totalSpentMax: cents(filters.totalSpentMax, 'filters.totalSpentMax', problems),
    orderBy,
    direction,
  };
}

function cents(value: number | null | undefined, field: string, problems: ErrorDetail[]): bigint | null {
  if (value === null || value === undefined) return null;
  if (!Number.isSafeInteger(value)) {
    problems.push({ field, message: 'must be an integer amount in cents' });
    return null;
  }
  return BigInt(value);
}

/**
 * `ILIKE` pattern matching `term` as a substring: `\`, `%` and `_` are escaped with `\`
 * (PostgreSQL's default LIKE escape character), so they match themselves.
 */
/**
 * The trimmed search term, or null for none. PostgreSQL text cannot hold U+0000: such a term
 * is a failure of the field, not of the statement.
 */
export function searchTerm(value: string | null | undefined, problems: ErrorDetail[]): string | null {
  const search = value?.trim() ?? '';
  if (search.includes('\u0000')) {
    problems.push({ field: 'search', message: 'must not contain NUL characters' });
    return null;
  }
  return search === '' ? null : search;
}

export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * A `created_at` bound from `YYYY-MM-DD` or ISO 8601 date-time. A bare date means the whole
 * UTC day: from its midnight, or up to (excluding) the next midnight. A date-time without an
 * offset is read as UTC. Anything else pushes a detail on `field`.
 */
export function instantBound(
  value: string | null | undefined,
  side: 'from' | 'to',
  field: string,
  problems: ErrorDetail[],
): InstantBound | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  const date = DATE.exec(text);
  if (date) {
    const day = utcInstant(Number(date[1]), Number(date[2]), Number(date[3]), 0, 0, 0, 0);
    if (day) {
      if (side === 'from') return { at: day, inclusive: true };
      return { at: new Date(day.getTime() + 86_400_000), inclusive: false };
    }
  }
  const dateTime = date ? null : DATE_TIME.exec(text);
  if (dateTime) {
    const [, y, mo, d, h, mi, s, fraction, zone] = dateTime;
    const ms = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
    const local = utcInstant(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
    const offsetMinutes = zoneOffsetMinutes(zone);
    if (local && offsetMinutes !== null) {
      return { at: new Date(local.getTime() - offsetMinutes * 60_000), inclusive: true };
    }
  }
  problems.push({ field, message: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time' });
  return null;
}

function utcInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): Date | null {
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  // Rejects days past the month's end (2024-02-30), which Date would roll over.
  return date.getUTCDate() === day && date.getUTCMonth() === month - 1 ? date : null;
}

function zoneOffsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

/**
 * The paging rules every list shares (contract, "List parameters"): `page` and `perPage` are
 * integers ≥ 1, else VALIDATION_ERROR; a page size above 100 is clamped to 100 and the
 * pagination shows the effective value; `totalPages = ceil(total / perPage)`, 0 when empty.
 */
import type { ErrorDetail } from '../errors.js';

export const MAX_PAGE_SIZE = 100;

/** A validated page of an offset-paginated list. */
export interface PageRequest {
  page: number;
  /** The effective page size, after clamping. */
  perPage: number;
  offset: number;
}

/** Where a page sits in its list (GraphQL `Pagination`, REST `pagination`). */
export interface Pagination {
  currentPage: number;
  perPage: number;
  total: number;
  totalPages: number;
}

/**
 * A page size (`perPage`, `first`, `last`): an integer ≥ 1, clamped to 100. `null`/`undefined`
 * take the default. Pushes a detail naming `field` and returns null when invalid.
 */
export function pageSize(
  value: number | null | undefined,
  defaultSize: number,
  field: string,
  problems: ErrorDetail[],
): number | null {
  if (value === null || value === undefined) return Math.min(defaultSize, MAX_PAGE_SIZE);
  if (!Number.isInteger(value) || value < 1) {
    problems.push({ field, message: 'must be an integer greater than or equal to 1' });
    return null;
  }
  return Math.min(value, MAX_PAGE_SIZE);
}

/**
 * Validates `page`/`perPage` (`null` or absent take the defaults), pushing one detail per
 * failing field. Returns null when either is invalid.
 */
export function pageRequest(
  input: { page?: number | null; perPage?: number | null },
  defaultPerPage: number,
  problems: ErrorDetail[],
  fields: { page: string; perPage: string } = { page: 'page', perPage: 'perPage' },
): PageRequest | null {
  const page = input.page ?? 1;
  let valid = true;
  if (!Number.isInteger(page) || page < 1) {
    problems.push({ field: fields.page, message: 'must be an integer greater than or equal to 1' });
    valid = false;
  }
  const perPage = pageSize(input.perPage, defaultPerPage, fields.perPage, problems);
  if (!valid || perPage === null) return null;
  // Beyond 2^53 the offset is no longer exact; such a page is empty anyway.
  const offset = Math.min((page - 1) * perPage, Number.MAX_SAFE_INTEGER);
  return { page, perPage, offset };
}

export function paginationOf(request: PageRequest, total: number): Pagination {
  return {
    currentPage: request.page,
    perPage: request.perPage,
    total,
    totalPages: total === 0 ? 0 : Math.ceil(total / request.perPage),
  };
}

/**
 * The pure parts of the read side: paging rules, date bounds, LIKE escaping, cursors, and the
 * average order value checked against PostgreSQL's own round(numeric).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  averageOrderValue,
  decodeCursor,
  encodeCursor,
} from '../../src/domain/customers/customer-queries.js';
import { containsPattern, customerCriteria, instantBound } from '../../src/domain/customers/list-params.js';
import { pageRequest, paginationOf } from '../../src/domain/pagination.js';
import type { ErrorDetail } from '../../src/errors.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('pageRequest / paginationOf', () => {
  it('defaults, clamps to 100 and computes the offset', () => {
    const problems: ErrorDetail[] = [];
    expect(pageRequest({}, 10, problems)).toEqual({ page: 1, perPage: 10, offset: 0 });
    expect(pageRequest({ page: null, perPage: null }, 20, problems)).toEqual({
      page: 1,
      perPage: 20,
      offset: 0,
    });
    expect(pageRequest({ page: 3, perPage: 250 }, 10, problems)).toEqual({
      page: 3,
      perPage: 100,
      offset: 200,
    });
    expect(problems).toEqual([]);
  });

  it('reports every invalid field', () => {
    const problems: ErrorDetail[] = [];
    expect(pageRequest({ page: 0, perPage: 1.5 }, 10, problems)).toBeNull();
    expect(problems.map((p) => p.field)).toEqual(['page', 'perPage']);
  });

  it('totalPages is ceil(total / perPage), 0 when empty', () => {
    const page = { page: 2, perPage: 10, offset: 10 };
    expect(paginationOf(page, 0)).toEqual({ currentPage: 2, perPage: 10, total: 0, totalPages: 0 });
    expect(paginationOf(page, 10).totalPages).toBe(1);
    expect(paginationOf(page, 11).totalPages).toBe(2);
  });
});

describe('instantBound', () => {
  const bound = (value: string, side: 'from' | 'to') => {
    const problems: ErrorDetail[] = [];
    const result = instantBound(value, side, 'filters.x', problems);
    return result ? { at: result.at.toISOString(), inclusive: result.inclusive } : problems;
  };

  it('a bare date is the whole UTC day', () => {
    expect(bound('2024-02-29', 'from')).toEqual({ at: '2024-02-29T00:00:00.000Z', inclusive: true });
    expect(bound('2024-02-29', 'to')).toEqual({ at: '2024-03-01T00:00:00.000Z', inclusive: false });
    expect(bound('2024-12-31', 'to')).toEqual({ at: '2025-01-01T00:00:00.000Z', inclusive: false });
  });

  it('date-times: Z, offsets, no offset (UTC), fractions', () => {
    expect(bound('2024-01-01T10:00:00Z', 'to')).toEqual({ at: '2024-01-01T10:00:00.000Z', inclusive: true });
    expect(bound('2024-01-01T10:00:00+02:00', 'from')).toEqual({
      at: '2024-01-01T08:00:00.000Z',
      inclusive: true,
    });
    expect(bound('2024-01-01T10:00-0530', 'from')).toEqual({
      at: '2024-01-01T15:30:00.000Z',
      inclusive: true,
    });
    expect(bound('2024-01-01T10:00:00', 'from')).toEqual({ at: '2024-01-01T10:00:00.000Z', inclusive: true });
    expect(bound('2024-01-01T10:00:00.250Z', 'from')).toEqual({
      at: '2024-01-01T10:00:00.250Z',
      inclusive: true,
    });
  });

  it('rejects what is not a real date', () => {
    for (const value of [
      '2023-02-29',
      '2024-00-10',
      '2024-1-1',
      '01/02/2024',
      'now',
      '2024-01-01T24:00:00Z',
      '2024-01-01T10:00:00+25:00',
      '',
    ]) {
      expect(bound(value, 'from'), value).toEqual([{ field: 'filters.x', message: expect.any(String) }]);
    }
  });
});

describe('containsPattern', () => {
  it('escapes \\, % and _ and wraps in %', () => {
    expect(containsPattern('a%b_c\\d')).toBe('%a\\%b\\_c\\\\d%');
    expect(containsPattern("o'brien")).toBe("%o'brien%");
  });
});

describe('customerCriteria', () => {
  it('defaults to ID DESC, trims the search and drops a blank one', () => {
    const problems: ErrorDetail[] = [];
    expect(customerCriteria({ search: '  ann  ' }, problems)).toMatchObject({
      search: 'ann',
      orderBy: 'ID',
      direction: 'DESC',
    });
    expect(customerCriteria({ search: ' ' }, problems).search).toBeNull();
    expect(problems).toEqual([]);
  });
});

describe('cursors', () => {
  const decode = (cursor: string, orderBy: Parameters<typeof decodeCursor>[1]) => {
    const problems: ErrorDetail[] = [];
    return decodeCursor(cursor, orderBy, 'after', problems) ?? problems;
  };

  it('round-trip each kind of sort value', () => {
    expect(decode(encodeCursor('ID', 5n, 5n), 'ID')).toEqual({ key: null, id: 5n });
    expect(decode(encodeCursor('EMAIL', 'a@b.co', 7n), 'EMAIL')).toEqual({ key: 'a@b.co', id: 7n });
    expect(decode(encodeCursor('STATUS', 'inactive', 7n), 'STATUS')).toEqual({ key: 'inactive', id: 7n });
    const at = new Date('2024-01-01T10:00:00Z');
    expect(decode(encodeCursor('CREATED_AT', at, 7n), 'CREATED_AT')).toEqual({ key: at, id: 7n });
    expect(decode(encodeCursor('TOTAL_SPENT', 9007199254740993n, 7n), 'TOTAL_SPENT')).toEqual({
      key: '9007199254740993',
      id: 7n,
    });
    expect(decode(encodeCursor('ORDER_COUNT', 3, 7n), 'ORDER_COUNT')).toEqual({ key: 3, id: 7n });
  });

  it('reject another ordering and values of the wrong kind', () => {
    expect(decode(encodeCursor('EMAIL', 'a@b.co', 7n), 'LAST_NAME')).toEqual([
      { field: 'after', message: expect.stringContaining('another ordering') },
    ]);
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const [cursor, orderBy] of [
      [forged(['STATUS', 'deleted', '1']), 'STATUS'],
      [forged(['ORDER_COUNT', '3', '1']), 'ORDER_COUNT'],
      [forged(['TOTAL_SPENT', 3, '1']), 'TOTAL_SPENT'],
      [forged(['EMAIL', null, '1']), 'EMAIL'],
      [forged(['ID', null, '99999999999999999999']), 'ID'],
      [forged(['ID', null, 1]), 'ID'],
    ] as const) {
      expect(decode(cursor, orderBy), cursor).toEqual([{ field: 'after', message: 'is not a valid cursor' }]);
    }
  });
});

describe('averageOrderValue', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('is 0 without orders and rounds halves away from zero', () => {
    expect(averageOrderValue(0n, 0)).toBe(0n);
    expect(averageOrderValue(3n, 2)).toBe(2n);
    expect(averageOrderValue(5n, 2)).toBe(3n);
    expect(averageOrderValue(7n, 3)).toBe(2n);
    expect(averageOrderValue(8n, 3)).toBe(3n);
    expect(averageOrderValue(-3n, 2)).toBe(-2n);
  });

  it('equals PostgreSQL round(total::numeric / count), beyond 2^53 too', async () => {
    const pairs = fc.sample(
      fc.tuple(
        fc.oneof(fc.bigInt({ min: 0n, max: 10_000n }), fc.bigInt({ min: 0n, max: 2n ** 62n })),
        fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 2 ** 31 - 1 })),
      ),
      { numRuns: 500, seed: 42 },
    );
    pairs.push([2n ** 53n + 1n, 2], [2n ** 63n - 1n, 2], [1n, 2], [2n ** 62n + 1n, 2 ** 31 - 1]);
    const rows = await db.prisma.$queryRaw<{ average: string }[]>(Prisma.sql`
      SELECT round(x.total::numeric / x.count)::text AS average
        FROM unnest(${pairs.map(([t]) => t.toString())}::numeric[], ${pairs.map(([, c]) => c)}::int[])
             WITH ORDINALITY AS x(total, count, n)
       ORDER BY x.n`);
    expect(rows.map((r) => r.average)).toEqual(pairs.map(([t, c]) => averageOrderValue(t, c).toString()));
  });
});

import { builder } from '../builder.js';

export interface PaginationShape {
  currentPage: number;
  perPage: number;
  total: number;
  totalPages: number;
}

export const PaginationType = builder.objectRef<PaginationShape>('Pagination').implement({
  description: 'Where a page sits in its list. perPage is the effective (clamped) page size.',
  fields: (t) => ({
    currentPage: t.exposeInt('currentPage', { description: 'The page number, from 1.' }),
    perPage: t.exposeInt('perPage', { description: 'Items per page after clamping to 100.' }),
    total: t.exposeInt('total', { description: 'Items in the whole list.' }),
    totalPages: t.exposeInt('totalPages', { description: 'ceil(total / perPage); 0 when total is 0.' }),
  }),
});

export function paginationOf(page: number, perPage: number, total: number): PaginationShape {
  return { currentPage: page, perPage, total, totalPages: total === 0 ? 0 : Math.ceil(total / perPage) };
}

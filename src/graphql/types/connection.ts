/**
 * The keyset connection of customers, written by hand (no Relay plugin, no global ids): cursors
 * are opaque strings over (sort value, id), node ids are plain decimal strings.
 */
import type { CustomerConnection, CustomerEdge } from '../../domain/customers/customer-queries.js';
import { builder } from '../builder.js';
import { CustomerType } from './customer.js';

export const PageInfoType = builder.objectRef<CustomerConnection['pageInfo']>('PageInfo').implement({
  description: 'Where a connection page sits in the whole (filtered) list.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'Whether items follow the last edge.' }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', {
      description: 'Whether items precede the first edge.',
    }),
    startCursor: t.exposeString('startCursor', {
      nullable: true,
      description: 'Cursor of the first edge; null when the page is empty.',
    }),
    endCursor: t.exposeString('endCursor', {
      nullable: true,
      description: 'Cursor of the last edge; null when the page is empty.',
    }),
  }),
});

export const CustomerEdgeType = builder.objectRef<CustomerEdge>('CustomerEdge').implement({
  description: 'A customer with its position in the connection.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', {
      description: 'Opaque position of this customer in the ordering; pass it as `after` or `before`.',
    }),
    node: t.field({ type: CustomerType, description: 'The customer.', resolve: (edge) => edge.node }),
  }),
});

export const CustomerConnectionType = builder.objectRef<CustomerConnection>('CustomerConnection').implement({
  description: 'A keyset-paginated page of customers.',
  fields: (t) => ({
    edges: t.field({
      type: [CustomerEdgeType],
      description: 'The customers of the page with their cursors, in list order.',
      resolve: (c) => c.edges,
    }),
    nodes: t.field({
      type: [CustomerType],
      description: 'The customers of the page, in list order (the edges without cursors).',
      resolve: (c) => c.edges.map((edge) => edge.node),
    }),
    pageInfo: t.field({ type: PageInfoType, description: 'Paging state.', resolve: (c) => c.pageInfo }),
    totalCount: t.exposeInt('totalCount', {
      description: 'Number of customers matching search and filters (all pages).',
    }),
  }),
});

/**
 * The scenarios: for each, which contenders run it and the exact request each one gets. Texts
 * here are the ones bench/README.md shows (`npx tsx bench/run.ts --print-scenarios` prints them).
 *
 * Contenders: gateway over GraphQL (`gql`) and over REST (`rest`) — one gateway process —, the
 * raw floor (`raw`) and PostGraphile (`pgl`).
 */
import type { DataParams } from './lib/db.js';

export type Contender = 'gql' | 'rest' | 'raw' | 'pgl';
export type ScenarioId = 'S1' | 'S1-deep' | 'S1-search' | 'S2' | 'S3' | 'S4' | 'S5';

export const CONTENDER_NAMES: Record<Contender, string> = {
  gql: 'gateway GraphQL',
  rest: 'gateway REST',
  raw: 'raw floor',
  pgl: 'PostGraphile 5',
};

/** A request the load worker sends; `{{id}}` in path or body is replaced by a random customer id. */
export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** Random ids drawn uniformly from [min, max] with a fixed seed (same sequence per contender). */
  randomId?: { min: number; max: number; seed: number };
}

export interface ReadScenario {
  id: Exclude<ScenarioId, 'S5'>;
  title: string;
  contenders: Partial<Record<Contender, RequestSpec>>;
}

const GATEWAY_REST = '/wp-json/fluent-cart/v2';

export const S1_GRAPHQL = `query S1($page: Int!, $search: String) {
  customers(page: $page, perPage: 20, orderBy: ID, orderType: DESC, search: $search) {
    pagination { total }
    customers {
      id email firstName lastName status createdAt
      stats { totalSpent orderCount averageOrderValue firstOrderDate lastOrderDate }
      addresses { id type isPrimary address1 city postcode country }
      orders(perPage: 5) { orders { id status paymentStatus totalAmount currency createdAt } }
    }
  }
}`;

const PGL_CUSTOMER_S1 = `rowId email firstName lastName status createdAt
      totalSpent orderCount averageOrderValue firstOrderDate lastOrderDate
      customerAddressesByCustomerId(orderBy: [IS_PRIMARY_DESC, ROW_ID_ASC]) {
        nodes { rowId type isPrimary address1 city postcode country }
      }
      ordersByCustomerId(first: 5, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) {
        nodes { rowId status paymentStatus totalAmount currency createdAt }
      }`;

export const S1_POSTGRAPHILE = `query S1($offset: Int!) {
  allCustomers(first: 20, offset: $offset, orderBy: [ROW_ID_DESC]) {
    totalCount
    nodes {
      ${PGL_CUSTOMER_S1}
    }
  }
}`;

export const S1_SEARCH_POSTGRAPHILE = `query S1Search($offset: Int!, $term: String!) {
  searchCustomers(term: $term, first: 20, offset: $offset) {
    totalCount
    nodes {
      ${PGL_CUSTOMER_S1}
    }
  }
}`;

const REST_CUSTOMER_FIELDS =
  'id email firstName lastName phone status userId additionalInfo totalSpent orderCount createdAt updatedAt';
const REST_ADDRESS_FIELDS =
  'id customerId type firstName lastName company address1 address2 city state postcode country phone isPrimary createdAt updatedAt';

/** GraphQL selecting exactly the fields of the REST detail (customer + addresses). */
export const S2_GRAPHQL = `query S2($id: ID!) {
  customer(id: $id) {
    ${REST_CUSTOMER_FIELDS}
    addresses { ${REST_ADDRESS_FIELDS} }
  }
}`;

export const S2_POSTGRAPHILE = `query S2($id: BigInt!) {
  customerByRowId(rowId: $id) {
    rowId email firstName lastName phone status userId additionalInfo totalSpent orderCount createdAt updatedAt
    customerAddressesByCustomerId(orderBy: [IS_PRIMARY_DESC, ROW_ID_ASC]) {
      nodes {
        rowId customerId type firstName lastName company address1 address2 city state postcode country phone
        isPrimary createdAt updatedAt
      }
    }
  }
}`;

/** The REST list document (routes.ts `RestListCustomers`), sent as plain GraphQL. */
export const LIST_GRAPHQL = `query List($page: Int, $perPage: Int, $filters: CustomerFilters,
           $orderBy: CustomerOrderBy, $orderType: SortOrder) {
  customers(page: $page, perPage: $perPage, filters: $filters, orderBy: $orderBy, orderType: $orderType) {
    customers { ${REST_CUSTOMER_FIELDS} }
    pagination { currentPage perPage total totalPages }
  }
}`;

const gql = (query: string, variables: Record<string, unknown>): string =>
  JSON.stringify({ query, variables });

export const S4_PER_PAGE = 20;

export function readScenarios(p: DataParams): ReadScenario[] {
  const deepPage = 51;
  const s1 = (page: number, search?: string): ReadScenario['contenders'] => ({
    gql: {
      method: 'POST',
      path: '/graphql',
      body: gql(S1_GRAPHQL, search ? { page, search } : { page }),
    },
    raw: {
      method: 'GET',
      path: `/s1?page=${page}&per_page=20${search ? `&search=${encodeURIComponent(search)}` : ''}`,
    },
    pgl: {
      method: 'POST',
      path: '/graphql',
      body: search
        ? gql(S1_SEARCH_POSTGRAPHILE, { offset: (page - 1) * 20, term: search })
        : gql(S1_POSTGRAPHILE, { offset: (page - 1) * 20 }),
    },
  });
  const randomId = { min: p.minId, max: p.maxId, seed: 42 };
  const s3Query = `page=${p.s3Page}&per_page=25&order_by=total_spent&order_type=desc`;
  return [
    {
      id: 'S1',
      title: 'nested list, page 1 (20 customers, addresses, 5 latest orders, stats, total)',
      contenders: s1(1),
    },
    {
      id: 'S1-deep',
      title: `nested list, page ${deepPage} (offset ${(deepPage - 1) * 20})`,
      contenders: s1(deepPage),
    },
    {
      id: 'S1-search',
      title: `nested list, page 1, search "${p.searchTerm}" (${p.searchMatches} matches, ${((100 * p.searchMatches) / p.customers).toFixed(1)} %)`,
      contenders: s1(1, p.searchTerm),
    },
    {
      id: 'S2',
      title: `customer detail by random id (${p.minId}–${p.maxId})`,
      contenders: {
        rest: { method: 'GET', path: `${GATEWAY_REST}/customers/{{id}}`, randomId },
        gql: { method: 'POST', path: '/graphql', body: gql(S2_GRAPHQL, { id: '{{id}}' }), randomId },
        raw: { method: 'GET', path: '/customers/{{id}}', randomId },
        pgl: { method: 'POST', path: '/graphql', body: gql(S2_POSTGRAPHILE, { id: '{{id}}' }), randomId },
      },
    },
    {
      id: 'S3',
      title: `list by total_spent desc, total_spent ${p.s3Min}–${p.s3Max} (${p.s3Matches} rows), page ${p.s3Page} at 25`,
      contenders: {
        rest: {
          method: 'GET',
          path: `${GATEWAY_REST}/customers?${s3Query}&filters[total_spent_min]=${p.s3Min}&filters[total_spent_max]=${p.s3Max}`,
        },
        gql: {
          method: 'POST',
          path: '/graphql',
          body: gql(LIST_GRAPHQL, {
            page: p.s3Page,
            perPage: 25,
            orderBy: 'TOTAL_SPENT',
            orderType: 'DESC',
            filters: { totalSpentMin: p.s3Min, totalSpentMax: p.s3Max },
          }),
        },
        raw: { method: 'GET', path: `/customers?${s3Query}&min=${p.s3Min}&max=${p.s3Max}` },
      },
    },
    {
      id: 'S4',
      title: `REST GET /customers (page 1, per_page ${S4_PER_PAGE}) vs the same GraphQL document`,
      contenders: {
        rest: { method: 'GET', path: `${GATEWAY_REST}/customers?page=1&per_page=${S4_PER_PAGE}` },
        gql: { method: 'POST', path: '/graphql', body: gql(LIST_GRAPHQL, { page: 1, perPage: S4_PER_PAGE }) },
        raw: { method: 'GET', path: `/customers?page=1&per_page=${S4_PER_PAGE}` },
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// S5 writes: the requests of each surface (used by the load worker)
// ---------------------------------------------------------------------------------------------

export const S5_GRAPHQL = {
  createCustomer: `mutation CreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { ${REST_CUSTOMER_FIELDS} } userErrors { code message field } }
}`,
  createAddress: `mutation CreateAddress($customerId: ID!, $input: CustomerAddressInput!) {
  createCustomerAddress(customerId: $customerId, input: $input) {
    address { ${REST_ADDRESS_FIELDS} } userErrors { code message field }
  }
}`,
  setPrimary: `mutation SetPrimary($customerId: ID!, $addressId: ID!) {
  setPrimaryCustomerAddress(customerId: $customerId, addressId: $addressId) {
    address { ${REST_ADDRESS_FIELDS} } userErrors { code message field }
  }
}`,
  mergeInfo: `mutation MergeInfo($id: ID!, $additionalInfo: JSONObject!) {
  updateCustomerAdditionalInfo(id: $id, additionalInfo: $additionalInfo) {
    customer { ${REST_CUSTOMER_FIELDS} } userErrors { code message field }
  }
}`,
};

export const S5_DESCRIPTION = `Each of C concurrent writers loops for the duration: while fewer than 10 of its customers
exist, or with probability 0.4, it runs a create flow — create customer, create a billing
address (becomes primary), a second billing address, a shipping address, then make the second
billing address primary (5 requests); otherwise one update — with probability 0.5 a shallow
merge of a new additional-info key {w<writer>_<n>: n} into one of its customers, else make a
random billing address of one of its customers primary. Writers pick customers of other writers
too (from a shared list), so updates of the same customer race. Afterwards (SQL): every
acknowledged customer, address and additional-info key exists, no unacknowledged address
exists, and every (customer, type) with addresses has exactly one primary. Then the S5
customers are deleted.`;

export const S5_REST = {
  createCustomer: `POST ${GATEWAY_REST}/customers {"email", "first_name", "last_name"}`,
  createAddress: `POST ${GATEWAY_REST}/customers/{id}/address {"type", "address_1", "city", "country"}`,
  setPrimary: `POST ${GATEWAY_REST}/customers/{id}/address/make-primary {"address_id"}`,
  mergeInfo: `PUT ${GATEWAY_REST}/customers/{id}/additional-info {"w3_17": 17}`,
};

export const GATEWAY_REST_PREFIX = GATEWAY_REST;

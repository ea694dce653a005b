/**
 * The REST route table: one entry per documented Customers API operation. Each entry names
 * the GraphQL operation it runs, where every variable comes from (REST names and aliases),
 * its success status and how the data becomes the documented body. The router
 * (`router.ts`) is generic; nothing route-specific lives outside this table.
 */
import {
  restAddress,
  restBulkResult,
  restCustomer,
  restExport,
  restOrder,
  restPagination,
  restStats,
  restUser,
} from './representations.js';
import {
  type Json,
  type JsonSchema,
  param,
  pathParam,
  type RestParam,
  type RestRoute,
  withRestFragments,
} from './route.js';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
/** `{"success": true, "data": {…}}` with the given properties of `data`. */
const okSchema = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
  type: 'object',
  required: ['success', 'data'],
  properties: {
    success: { const: true },
    data: {
      type: 'object',
      required: Object.keys(properties).filter((k) => !optional.includes(k)),
      properties,
    },
  },
});
const ok = (data: Json): Json => ({ success: true, data });

const customerId = pathParam('customerId', 'customerId', 'Customer id');
const customerIdAsId = pathParam('customerId', 'id', 'Customer id');
const addressId = param(['address_id', 'id', 'address[id]'], 'addressId', {
  description: 'Address id; also accepted as `id` or `address[id]`, in the body or the query string',
});
const paging = (defaultPerPage: number): RestParam[] => [
  param('page', 'page', { description: 'Page number, from 1 (default 1)' }),
  param('per_page', 'perPage', {
    description: `Items per page (default ${defaultPerPage}, values above 100 are clamped to 100)`,
  }),
];

const customerFields = (prefix: string): RestParam[] => [
  param('email', `${prefix}.email`),
  param('first_name', `${prefix}.firstName`),
  param('last_name', `${prefix}.lastName`),
  param('phone', `${prefix}.phone`),
  param('status', `${prefix}.status`, { description: '`active` or `inactive`' }),
  param('additional_info', `${prefix}.additionalInfo`, { description: 'A JSON object' }),
];

const addressFields: RestParam[] = [
  param('type', 'input.type', { description: '`billing` or `shipping`' }),
  param('first_name', 'input.firstName'),
  param('last_name', 'input.lastName'),
  param('company', 'input.company'),
  param('address_1', 'input.address1'),
  param('address_2', 'input.address2'),
  param('city', 'input.city'),
  param('state', 'input.state'),
  param('postcode', 'input.postcode'),
  param('country', 'input.country', { description: 'ISO 3166-1 alpha-2 code' }),
  param('phone', 'input.phone'),
  param('is_primary', 'input.isPrimary'),
];

/** FluentCart's own bulk action names beside the documented ones. */
const BULK_ACTION_ALIASES: Record<string, string> = {
  change_customer_status: 'UPDATE_STATUS',
  delete_customers: 'DELETE',
};
const translateBulkAction = (value: unknown): unknown =>
  typeof value === 'string' ? (BULK_ACTION_ALIASES[value.trim().toLowerCase()] ?? value) : value;

const USER_ERRORS = 'userErrors { code message field }';

export const routes: readonly RestRoute[] = [
  {
    name: 'listCustomers',
    summary: 'List customers (paginated, searchable, filterable, sortable)',
    method: 'GET',
    path: '/customers',
    document: withRestFragments(/* GraphQL */ `
      query RestListCustomers(
        $page: Int, $perPage: Int, $search: String, $filters: CustomerFilters,
        $orderBy: CustomerOrderBy, $orderType: SortOrder
      ) {
        customers(page: $page, perPage: $perPage, search: $search, filters: $filters,
                  orderBy: $orderBy, orderType: $orderType) {
          customers { ...RestCustomer }
          pagination { currentPage perPage total totalPages }
        }
      }
    `),
    params: [
      ...paging(10),
      param('search', 'search', {
        description: 'Case-insensitive substring of first name, last name, "first last", email or phone',
      }),
      param('filters', 'filters', {
        description:
          'Filters, as `filters[status]=active` or as a JSON object string `filters={"status":"active"}`',
      }),
      param(['order_by', 'sort_by'], 'orderBy', { description: 'Sort field (alias `sort_by`; default id)' }),
      param(['order_type', 'sort_type'], 'orderType', {
        description: 'ASC or DESC, any case (alias `sort_type`; default DESC)',
      }),
    ],
    status: 200,
    respond: (data) =>
      ok({
        customers: data.customers.customers.map(restCustomer),
        pagination: restPagination(data.customers.pagination),
      }),
    responseSchema: okSchema({ customers: arrayOf(ref('Customer')), pagination: ref('Pagination') }),
  },
  {
    name: 'createCustomer',
    summary: 'Create a customer',
    method: 'POST',
    path: '/customers',
    document: withRestFragments(/* GraphQL */ `
      mutation RestCreateCustomer($input: CreateCustomerInput!) {
        createCustomer(input: $input) { customer { ...RestCustomer } ${USER_ERRORS} }
      }
    `),
    params: customerFields('input'),
    status: 201,
    respond: (data) => ok({ customer: restCustomer(data.createCustomer.customer) }),
    responseSchema: okSchema({ customer: ref('Customer') }),
  },
  {
    name: 'getCustomer',
    summary: 'Get a customer with its addresses',
    method: 'GET',
    path: '/customers/{customerId}',
    document: withRestFragments(/* GraphQL */ `
      query RestGetCustomer($id: ID!) {
        customer(id: $id) { ...RestCustomer addresses { ...RestAddress } }
      }
    `),
    params: [customerIdAsId],
    status: 200,
    respond: (data) => ok({ customer: restCustomer(data.customer) }),
    responseSchema: okSchema({ customer: ref('CustomerWithAddresses') }),
  },
  {
    name: 'updateCustomer',
    summary: 'Update a customer (partial: absent keys stay)',
    method: 'PUT',
    path: '/customers/{customerId}',
    document: withRestFragments(/* GraphQL */ `
      mutation RestUpdateCustomer($id: ID!, $input: UpdateCustomerInput!) {
        updateCustomer(id: $id, input: $input) { customer { ...RestCustomer } ${USER_ERRORS} }
      }
    `),
    params: [customerIdAsId, ...customerFields('input')],
    status: 200,
    respond: (data) => ok({ customer: restCustomer(data.updateCustomer.customer) }),
    responseSchema: okSchema({ customer: ref('Customer') }),
  },
  {
    name: 'updateCustomerAdditionalInfo',
    summary: "Merge the request body into the customer's additional info (null removes a key)",
    method: 'PUT',
    path: '/customers/{customerId}/additional-info',
    document: withRestFragments(/* GraphQL */ `
      mutation RestUpdateCustomerAdditionalInfo($id: ID!, $additionalInfo: JSONObject!) {
        updateCustomerAdditionalInfo(id: $id, additionalInfo: $additionalInfo) {
          customer { ...RestCustomer }
          ${USER_ERRORS}
        }
      }
    `),
    params: [
      customerIdAsId,
      {
        names: ['additional_info'],
        in: ['body'],
        variable: 'additionalInfo',
        wholeBody: true,
        description: 'The whole request body: keys to set, or to remove when null',
      },
    ],
    status: 200,
    respond: (data) => ok({ customer: restCustomer(data.updateCustomerAdditionalInfo.customer) }),
    responseSchema: okSchema({ customer: ref('Customer') }),
  },
  {
    name: 'getCustomerStats',
    summary: "Get a customer's order statistics",
    method: 'GET',
    path: '/customers/get-stats/{customer}',
    document: /* GraphQL */ `
      query RestGetCustomerStats($customerId: ID!) {
        customerStats(customerId: $customerId) {
          totalSpent orderCount averageOrderValue lastOrderDate firstOrderDate
        }
      }
    `,
    params: [pathParam('customer', 'customerId', 'Customer id')],
    status: 200,
    respond: (data) => ok({ stats: restStats(data.customerStats) }),
    responseSchema: okSchema({ stats: ref('CustomerStats') }),
  },
  {
    name: 'listCustomerOrders',
    summary: "List a customer's orders, newest first",
    method: 'GET',
    path: '/customers/{customerId}/orders',
    document: withRestFragments(/* GraphQL */ `
      query RestListCustomerOrders($customerId: ID!, $page: Int, $perPage: Int) {
        customerOrders(customerId: $customerId, page: $page, perPage: $perPage) {
          orders { ...RestOrder }
          pagination { currentPage perPage total totalPages }
        }
      }
    `),
    params: [customerId, ...paging(100)],
    status: 200,
    respond: (data) =>
      ok({
        orders: data.customerOrders.orders.map(restOrder),
        pagination: restPagination(data.customerOrders.pagination),
      }),
    responseSchema: okSchema({ orders: arrayOf(ref('Order')), pagination: ref('Pagination') }),
  },
  {
    name: 'listCustomerAddresses',
    summary: "List a customer's addresses (billing first, primary first)",
    method: 'GET',
    path: '/customers/{customerId}/address',
    document: withRestFragments(/* GraphQL */ `
      query RestListCustomerAddresses($customerId: ID!, $type: AddressType) {
        customerAddresses(customerId: $customerId, type: $type) { ...RestAddress }
      }
    `),
    params: [customerId, param('type', 'type', { description: 'Only `billing` or only `shipping`' })],
    status: 200,
    respond: (data) => ok({ addresses: data.customerAddresses.map(restAddress) }),
    responseSchema: okSchema({ addresses: arrayOf(ref('Address')) }),
  },
  {
    name: 'updateCustomerAddress',
    summary: "Update one of a customer's addresses (partial)",
    method: 'PUT',
    path: '/customers/{customerId}/address',
    document: withRestFragments(/* GraphQL */ `
      mutation RestUpdateCustomerAddress(
        $customerId: ID!, $addressId: ID!, $input: CustomerAddressUpdateInput!
      ) {
        updateCustomerAddress(customerId: $customerId, addressId: $addressId, input: $input) {
          address { ...RestAddress }
          ${USER_ERRORS}
        }
      }
    `),
    params: [customerId, addressId, ...addressFields],
    status: 200,
    respond: (data) => ok({ address: restAddress(data.updateCustomerAddress.address) }),
    responseSchema: okSchema({ address: ref('Address') }),
  },
  {
    name: 'createCustomerAddress',
    summary: 'Add an address to a customer',
    method: 'POST',
    path: '/customers/{customerId}/address',
    document: withRestFragments(/* GraphQL */ `
      mutation RestCreateCustomerAddress($customerId: ID!, $input: CustomerAddressInput!) {
        createCustomerAddress(customerId: $customerId, input: $input) {
          address { ...RestAddress }
          ${USER_ERRORS}
        }
      }
    `),
    params: [customerId, ...addressFields],
    status: 201,
    respond: (data) => ok({ address: restAddress(data.createCustomerAddress.address) }),
    responseSchema: okSchema({ address: ref('Address') }),
  },
  {
    name: 'deleteCustomerAddress',
    summary: "Delete one of a customer's addresses",
    method: 'DELETE',
    path: '/customers/{customerId}/address',
    document: /* GraphQL */ `
      mutation RestDeleteCustomerAddress($customerId: ID!, $addressId: ID!) {
        deleteCustomerAddress(customerId: $customerId, addressId: $addressId) {
          deletedAddressId
          ${USER_ERRORS}
        }
      }
    `,
    params: [customerId, addressId],
    status: 200,
    respond: () => ({ success: true, message: 'Address deleted successfully' }),
    responseSchema: {
      type: 'object',
      required: ['success', 'message'],
      properties: { success: { const: true }, message: { type: 'string' } },
    },
  },
  {
    name: 'setPrimaryCustomerAddress',
    summary: 'Make an address the primary one of its type',
    method: 'POST',
    path: '/customers/{customerId}/address/make-primary',
    document: withRestFragments(/* GraphQL */ `
      mutation RestSetPrimaryCustomerAddress($customerId: ID!, $addressId: ID!) {
        setPrimaryCustomerAddress(customerId: $customerId, addressId: $addressId) {
          address { ...RestAddress }
          ${USER_ERRORS}
        }
      }
    `),
    params: [customerId, addressId],
    status: 200,
    respond: (data) => ok({ address: restAddress(data.setPrimaryCustomerAddress.address) }),
    responseSchema: okSchema({ address: ref('Address') }),
  },
  {
    name: 'listAttachableUsers',
    summary: 'List site users linked to no customer',
    method: 'GET',
    path: '/customers/attachable-user',
    document: withRestFragments(/* GraphQL */ `
      query RestListAttachableUsers($search: String, $page: Int, $perPage: Int) {
        attachableUsers(search: $search, page: $page, perPage: $perPage) {
          users { ...RestUser }
          pagination { currentPage perPage total totalPages }
        }
      }
    `),
    params: [
      param('search', 'search', { description: 'Substring of login, email or display name' }),
      ...paging(20),
    ],
    status: 200,
    respond: (data) =>
      ok({
        users: data.attachableUsers.users.map(restUser),
        pagination: restPagination(data.attachableUsers.pagination),
      }),
    responseSchema: okSchema({ users: arrayOf(ref('User')), pagination: ref('Pagination') }),
  },
  {
    name: 'attachUserToCustomer',
    summary: 'Link a site user to a customer',
    method: 'POST',
    path: '/customers/{customerId}/attachable-user',
    document: withRestFragments(/* GraphQL */ `
      mutation RestAttachUserToCustomer($customerId: ID!, $userId: ID!) {
        attachUserToCustomer(customerId: $customerId, userId: $userId) {
          customer { ...RestCustomer }
          ${USER_ERRORS}
        }
      }
    `),
    params: [customerId, param('user_id', 'userId', { description: 'User id, a number or numeric string' })],
    status: 200,
    respond: (data) => ok({ customer: restCustomer(data.attachUserToCustomer.customer) }),
    responseSchema: okSchema({ customer: ref('Customer') }),
  },
  {
    name: 'detachUserFromCustomer',
    summary: "Remove a customer's link to a site user (idempotent)",
    method: 'POST',
    path: '/customers/{customerId}/detach-user',
    document: withRestFragments(/* GraphQL */ `
      mutation RestDetachUserFromCustomer($customerId: ID!) {
        detachUserFromCustomer(customerId: $customerId) {
          customer { ...RestCustomer }
          ${USER_ERRORS}
        }
      }
    `),
    params: [customerId],
    status: 200,
    respond: (data) => ok({ customer: restCustomer(data.detachUserFromCustomer.customer) }),
    responseSchema: okSchema({ customer: ref('Customer') }),
  },
  {
    name: 'customerBulkAction',
    summary: 'Update the status of, delete or export several customers',
    method: 'POST',
    path: '/customers/do-bulk-action',
    document: /* GraphQL */ `
      mutation RestCustomerBulkAction($input: CustomerBulkActionInput!) {
        customerBulkAction(input: $input) {
          processed
          failed
          results { customerId success error { code message field } }
          export { format contentType content }
          ${USER_ERRORS}
        }
      }
    `,
    params: [
      param('action', 'input.action', {
        translate: translateBulkAction,
        description:
          "`update_status`, `delete` or `export`; FluentCart's `change_customer_status` and `delete_customers` too",
      }),
      param('customer_ids', 'input.customerIds', {
        description: '1–1000 customer ids (numbers or numeric strings); duplicates are ignored',
      }),
      param(['data[status]', 'new_status'], 'input.status', {
        description: 'The new status for update_status (`data.status`, or top-level `new_status`)',
      }),
      param('data[format]', 'input.format', { description: 'Export format: `json` (default) or `csv`' }),
    ],
    status: 200,
    respond: (data) => {
      const result = data.customerBulkAction;
      return ok({
        processed: result.processed,
        failed: result.failed,
        results: result.results.map(restBulkResult),
        ...(result.export ? { export: restExport(result.export) } : {}),
      });
    },
    responseSchema: okSchema(
      {
        processed: { type: 'integer' },
        failed: { type: 'integer' },
        results: arrayOf(ref('BulkResult')),
        export: ref('CustomerExport'),
      },
      ['export'],
    ),
  },
];

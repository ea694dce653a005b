import { errorCodes } from '../../errors.js';
import { builder } from '../builder.js';

export const CustomerStatusEnum = builder.enumType('CustomerStatus', {
  description: 'Whether the customer is active. REST: `active`, `inactive`.',
  values: {
    ACTIVE: { value: 'ACTIVE', description: 'The default.' },
    INACTIVE: { value: 'INACTIVE', description: 'Kept, but not active.' },
  } as const,
});

export const AddressTypeEnum = builder.enumType('AddressType', {
  description: 'What an address is used for. REST: `billing`, `shipping`.',
  values: {
    BILLING: { value: 'BILLING', description: 'Billing address.' },
    SHIPPING: { value: 'SHIPPING', description: 'Shipping address.' },
  } as const,
});

export const OrderStatusEnum = builder.enumType('OrderStatus', {
  description: 'Fulfilment status of an order. REST: lower case, `on-hold` for ON_HOLD.',
  values: {
    PENDING: { value: 'PENDING', description: 'Created, not yet processed.' },
    PROCESSING: { value: 'PROCESSING', description: 'Being processed.' },
    ON_HOLD: { value: 'ON_HOLD', description: 'Waiting (REST `on-hold`).' },
    COMPLETED: { value: 'COMPLETED', description: 'Done.' },
    CANCELED: { value: 'CANCELED', description: 'Canceled.' },
    REFUNDED: { value: 'REFUNDED', description: 'Refunded.' },
    FAILED: { value: 'FAILED', description: 'Failed.' },
  } as const,
});

export const PaymentStatusEnum = builder.enumType('PaymentStatus', {
  description:
    'Payment status of an order. PAID, PARTIALLY_PAID and PARTIALLY_REFUNDED orders count towards customer stats.',
  values: {
    PENDING: { value: 'PENDING', description: 'Not paid yet.' },
    PAID: { value: 'PAID', description: 'Paid in full.' },
    PARTIALLY_PAID: { value: 'PARTIALLY_PAID', description: 'Partly paid.' },
    PARTIALLY_REFUNDED: { value: 'PARTIALLY_REFUNDED', description: 'Paid, then partly refunded.' },
    REFUNDED: { value: 'REFUNDED', description: 'Refunded in full.' },
    FAILED: { value: 'FAILED', description: 'Payment failed.' },
  } as const,
});

export const SortOrderEnum = builder.enumType('SortOrder', {
  description: 'Sort direction. REST accepts `asc`/`desc` in any case.',
  values: {
    ASC: { value: 'ASC', description: 'Ascending.' },
    DESC: { value: 'DESC', description: 'Descending.' },
  } as const,
});

export const CustomerOrderByEnum = builder.enumType('CustomerOrderBy', {
  description:
    'Sort key of customer lists. Text keys compare lower(value) in the "C" collation; nulls last; ties by id in the same direction.',
  values: {
    ID: { value: 'ID', description: 'Customer id.' },
    EMAIL: { value: 'EMAIL', description: 'Email, case-insensitive.' },
    FIRST_NAME: { value: 'FIRST_NAME', description: 'First name, case-insensitive.' },
    LAST_NAME: { value: 'LAST_NAME', description: 'Last name, case-insensitive.' },
    STATUS: { value: 'STATUS', description: 'Status.' },
    CREATED_AT: { value: 'CREATED_AT', description: 'Creation time.' },
    UPDATED_AT: { value: 'UPDATED_AT', description: 'Last update time.' },
    TOTAL_SPENT: { value: 'TOTAL_SPENT', description: 'Total spent (cents).' },
    ORDER_COUNT: { value: 'ORDER_COUNT', description: 'Number of counted orders.' },
  } as const,
});

export const CustomerBulkActionTypeEnum = builder.enumType('CustomerBulkActionType', {
  description: 'What a bulk action does to each customer.',
  values: {
    UPDATE_STATUS: { value: 'UPDATE_STATUS', description: 'Set `status` (needs customers/manage).' },
    DELETE: {
      value: 'DELETE',
      description:
        'Delete the customer and its addresses; orders stay with no customer (needs customers/delete).',
    },
    EXPORT: { value: 'EXPORT', description: 'Export as CSV or JSON (needs customers/view).' },
  } as const,
});

export const ExportFormatEnum = builder.enumType('ExportFormat', {
  description: 'Format of a customer export.',
  values: {
    JSON: { value: 'JSON', description: 'A JSON array of REST customer objects (application/json).' },
    CSV: { value: 'CSV', description: 'RFC 4180 CSV with a header line (text/csv; charset=utf-8).' },
  } as const,
});

export const UserRoleEnum = builder.enumType('UserRole', {
  description: 'Role of a site account; it decides the API permissions.',
  values: {
    ADMINISTRATOR: { value: 'ADMINISTRATOR', description: 'Every permission.' },
    SHOP_MANAGER: { value: 'SHOP_MANAGER', description: 'customers/view and customers/manage.' },
    VIEWER: { value: 'VIEWER', description: 'customers/view.' },
    CUSTOMER: { value: 'CUSTOMER', description: 'No API permission.' },
  } as const,
});

const errorCodeDescriptions: Record<(typeof errorCodes)[number], string> = {
  VALIDATION_ERROR: 'The input breaks a field rule; `field`/`details` name the fields (REST 422).',
  INVALID_EMAIL: 'The email is malformed or already used by another customer (REST 422).',
  INVALID_USER: 'The user does not exist or is linked to another customer (REST 422).',
  CUSTOMER_NOT_FOUND: 'No customer with that id (REST 404).',
  ADDRESS_NOT_FOUND: 'No address with that id for that customer (REST 404).',
  UNAUTHENTICATED: 'Missing or invalid credentials (HTTP 401).',
  INSUFFICIENT_PERMISSIONS: "The caller's role lacks the permission (REST 403).",
  INVALID_NONCE: 'A cookie-authenticated write without a valid X-WP-Nonce (REST 403).',
  RATE_LIMITED: 'Over the rate limit of the operation class; retry after `retryAfter` seconds (REST 429).',
  QUERY_TOO_COMPLEX: 'The operation exceeds the depth, alias, token, batch or cost limits (HTTP 400).',
  SERVICE_UNAVAILABLE: 'The database (or Redis, when failing closed) is unreachable (HTTP 503).',
  INTERNAL_ERROR: 'An unexpected failure; details are logged with the request id, never returned (HTTP 500).',
};

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'Machine-readable error codes; REST uses the same codes in lower case.',
  values: Object.fromEntries(
    errorCodes.map((code) => [code, { value: code, description: errorCodeDescriptions[code] }]),
  ) as { [K in (typeof errorCodes)[number]]: { value: K; description: string } },
});

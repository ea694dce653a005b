/**
 * The error catalog of the contract: one code, one meaning, on both surfaces. Domain code
 * throws `AppError`; GraphQL turns it into `userErrors` (mutations) or a top-level error with
 * `extensions.code` (queries); the REST router maps the code to its status.
 */
export const errorCodes = [
  'VALIDATION_ERROR',
  'INVALID_EMAIL',
  'INVALID_USER',
  'CUSTOMER_NOT_FOUND',
  'ADDRESS_NOT_FOUND',
  'UNAUTHENTICATED',
  'INSUFFICIENT_PERMISSIONS',
  'INVALID_NONCE',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** HTTP status of each code on the REST surface (and of the HTTP-level GraphQL errors). */
export const httpStatusOf: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 422,
  INVALID_EMAIL: 422,
  INVALID_USER: 422,
  CUSTOMER_NOT_FOUND: 404,
  ADDRESS_NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  INSUFFICIENT_PERMISSIONS: 403,
  INVALID_NONCE: 403,
  RATE_LIMITED: 429,
  QUERY_TOO_COMPLEX: 400,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

export interface ErrorDetail {
  /** camelCase input path (`email`, `filters.status`, `input.address1`). */
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field the error concerns (camelCase), when there is one. */
    readonly field: string | null = null,
    /** Every failing field, when several failed (validation). */
    readonly details: ErrorDetail[] = field ? [{ field, message }] : [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const customerNotFound = (id: bigint | string) =>
  new AppError('CUSTOMER_NOT_FOUND', `Customer with ID ${id} not found`);

export const addressNotFound = (id: bigint | string) =>
  new AppError('ADDRESS_NOT_FOUND', `Address with ID ${id} not found`, 'addressId');

/** One error for a set of field failures: `INVALID_EMAIL` when the email is the only one. */
export function validationFailure(details: ErrorDetail[]): AppError {
  const [first] = details;
  if (details.length === 1 && first && isEmailField(first.field) && first.message !== '') {
    return new AppError('INVALID_EMAIL', first.message, first.field, details);
  }
  const message =
    details.length === 1 && first
      ? `${first.field}: ${first.message}`
      : `Invalid input: ${details.map((d) => d.field).join(', ')}`;
  return new AppError('VALIDATION_ERROR', message, first?.field ?? null, details);
}

function isEmailField(field: string): boolean {
  return field === 'email' || field.endsWith('.email');
}

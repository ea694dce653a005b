/**
 * The field rules of the contract's Customers and Addresses tables, in one place. Each
 * function checks a whole input, collects every failing field, and either returns the
 * normalized values or throws one AppError (see `failure`).
 *
 * Inputs follow GraphQL's shape: an absent key is `undefined`, an explicit `null` is `null`.
 * On create `null` means absent; on update it clears what may be cleared and is a failure
 * for what may not.
 */
import { AppError, type ErrorDetail, validationFailure } from '../../errors.js';
import type { AddressType, CustomerStatus } from '../../generated/prisma/enums.js';
import { type ParsedId, parseId } from '../ids.js';
import { countryCodes } from './countries.js';

export type JsonObject = Record<string, unknown>;

export const EMAIL_MAX = 254;
export const NAME_MAX = 100;
export const PHONE_MAX = 32;
export const ADDRESS_LINE_MAX = 255;
export const POSTCODE_MAX = 20;
/** The merged additional info must stay within this many bytes of UTF-8 JSON. */
export const ADDITIONAL_INFO_MAX_BYTES = 16 * 1024;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const PHONE_PATTERN = /^[0-9 +().-]*[0-9][0-9 +().-]*$/;
const customerStatuses: ReadonlySet<string> = new Set(['ACTIVE', 'INACTIVE']);
const addressTypes: ReadonlySet<string> = new Set(['BILLING', 'SHIPPING']);

// ---------------------------------------------------------------------------------------
// Failures
// ---------------------------------------------------------------------------------------

/** Field failures of one request, collected before anything is written. */
export class Failures {
  readonly details: ErrorDetail[] = [];
  /** Fields whose failure is a malformed email (the only kind that is INVALID_EMAIL). */
  private readonly emailFailures = new Set<string>();

  add(field: string, message: string): void {
    this.details.push({ field, message });
  }

  addInvalidEmail(field: string, message: string): void {
    this.emailFailures.add(field);
    this.add(field, message);
  }

  /** Parses an id argument, recording a malformed one. */
  id(value: string | number, field: string): ParsedId | undefined {
    try {
      return parseId(value, field);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      this.add(field, error.message);
      return undefined;
    }
  }

  /**
   * Throws when anything failed: INVALID_EMAIL when a malformed email is the only failure,
   * else VALIDATION_ERROR listing every failure (the email included).
   */
  throwIfAny(): void {
    const [first] = this.details;
    if (!first) return;
    if (this.details.length === 1 && !this.emailFailures.has(first.field)) {
      throw new AppError('VALIDATION_ERROR', `${first.field}: ${first.message}`, first.field, this.details);
    }
    throw validationFailure(this.details);
  }
}

// ---------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------

/** Length in characters (code points), as PostgreSQL's varchar counts them. */
const length = (value: string): number => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

// PostgreSQL text cannot hold U+0000; it would fail the statement instead of the field.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that character is the point
const NUL = /\u0000/;

interface TextRule {
  max: number;
  /** Must not be empty after trimming. */
  required?: boolean;
}

/** Trims and checks a text; returns undefined when it failed (recorded in `failures`). */
function text(failures: Failures, field: string, value: string, rule: TextRule): string | undefined {
  const trimmed = value.trim();
  if (NUL.test(trimmed)) {
    failures.add(field, 'must not contain NUL characters');
    return undefined;
  }
  if (rule.required && trimmed === '') {
    failures.add(field, 'is required');
    return undefined;
  }
  if (length(trimmed) > rule.max) {
    failures.add(field, `must be at most ${rule.max} characters`);
    return undefined;
  }
  return trimmed;
}

/** An optional, nullable text: `null`, `""` and blanks are stored as null. */
function nullableText(failures: Failures, field: string, value: string | null, max: number) {
  if (value === null) return null;
  const checked = text(failures, field, value, { max });
  return checked === '' ? null : checked;
}

function email(failures: Failures, field: string, value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') {
    failures.addInvalidEmail(field, 'Email is required');
  } else if (length(trimmed) > EMAIL_MAX) {
    failures.addInvalidEmail(field, `Email must be at most ${EMAIL_MAX} characters`);
  } else if (!EMAIL_PATTERN.test(trimmed) || NUL.test(trimmed)) {
    failures.addInvalidEmail(field, 'Email must look like local@domain.tld');
  } else {
    return trimmed;
  }
  return undefined;
}

/** A phone: digits, spaces and `+ ( ) - .`, at least one digit, ≤ 32; blank is null. */
function phone(failures: Failures, field: string, value: string | null): string | null | undefined {
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (length(trimmed) > PHONE_MAX) {
    failures.add(field, `must be at most ${PHONE_MAX} characters`);
    return undefined;
  }
  if (!PHONE_PATTERN.test(trimmed)) {
    failures.add(field, 'may contain only digits, spaces and + ( ) - .');
    return undefined;
  }
  return trimmed;
}

function customerStatus(failures: Failures, field: string, value: string): CustomerStatus | undefined {
  if (customerStatuses.has(value)) return value as CustomerStatus;
  failures.add(field, 'must be ACTIVE or INACTIVE');
  return undefined;
}

function addressType(failures: Failures, field: string, value: string): AddressType | undefined {
  if (addressTypes.has(value)) return value as AddressType;
  failures.add(field, 'must be BILLING or SHIPPING');
  return undefined;
}

/** ISO 3166-1 alpha-2 from the assigned list, any case; stored upper case. */
function country(failures: Failures, field: string, value: string): string | undefined {
  const code = value.trim().toUpperCase();
  if (countryCodes.has(code)) return code;
  failures.add(field, 'must be an ISO 3166-1 alpha-2 country code');
  return undefined;
}

function mustNotBeNull(failures: Failures, field: string): undefined {
  failures.add(field, 'must not be null');
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Additional info
// ---------------------------------------------------------------------------------------

/** Half of a UTF-16 surrogate pair without the other half: JSONB refuses its `\ud800` escape. */
const LONE_SURROGATE = /\p{Cs}/u;

function unstorableText(value: string): string | null {
  if (NUL.test(value)) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it holds an unpaired surrogate)';
  return null;
}

/**
 * How deeply additional info may nest (the object itself is level 1). Much deeper values
 * overflow the call stack of the JSON serializers on the way to the database.
 */
export const ADDITIONAL_INFO_MAX_DEPTH = 100;

/** Why a JSON value cannot be stored as given, or null when it can. */
function unstorable(value: unknown, depth = 1): string | null {
  if (typeof value === 'string') return unstorableText(value);
  if (typeof value !== 'object' || value === null) return null;
  if (depth > ADDITIONAL_INFO_MAX_DEPTH) {
    return `must not be nested more than ${ADDITIONAL_INFO_MAX_DEPTH} levels deep`;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const reason = unstorable(item, depth + 1);
      if (reason) return reason;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    // Prisma drops such keys while serializing (they would vanish silently).
    if (key === '__proto__') return 'must not contain keys named __proto__';
    const reason = unstorableText(key) ?? unstorable(item, depth + 1);
    if (reason) return reason;
  }
  return null;
}

/**
 * Records a failure when the patch holds what JSONB (NUL, unpaired surrogates), Prisma
 * (`__proto__`) or the JSON serializers (nesting deeper than ADDITIONAL_INFO_MAX_DEPTH) cannot
 * store.
 */
export function checkAdditionalInfoPatch(failures: Failures, field: string, patch: JsonObject): boolean {
  const reason = unstorable(patch);
  if (reason) failures.add(field, reason);
  return reason === null;
}

/** Shallow merge: keys sent are set, keys sent as null are removed, others stay. */
export function mergeAdditionalInfo(current: JsonObject, patch: JsonObject): JsonObject {
  const merged: JsonObject = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Records a failure when the object exceeds 16 KiB of UTF-8 JSON. */
export function checkAdditionalInfoSize(failures: Failures, field: string, info: JsonObject): boolean {
  const bytes = Buffer.byteLength(JSON.stringify(info), 'utf8');
  if (bytes <= ADDITIONAL_INFO_MAX_BYTES) return true;
  failures.add(field, `must be at most ${ADDITIONAL_INFO_MAX_BYTES} bytes of JSON (would be ${bytes})`);
  return false;
}

export function asJsonObject(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
}

// ---------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------

export interface CustomerCreateInput {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  status?: string | null;
  additionalInfo?: JsonObject | null;
}

export interface NewCustomer {
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  status: CustomerStatus;
  additionalInfo: JsonObject;
}

/** Checks a new customer; explicit nulls mean absent. Records failures, returns the values. */
export function checkNewCustomer(failures: Failures, input: CustomerCreateInput): NewCustomer {
  const additionalInfo =
    input.additionalInfo && checkAdditionalInfoPatch(failures, 'additionalInfo', input.additionalInfo)
      ? mergeAdditionalInfo({}, input.additionalInfo)
      : {};
  checkAdditionalInfoSize(failures, 'additionalInfo', additionalInfo);
  return {
    email: email(failures, 'email', input.email) ?? '',
    firstName: text(failures, 'firstName', input.firstName ?? '', { max: NAME_MAX }) ?? '',
    lastName: text(failures, 'lastName', input.lastName ?? '', { max: NAME_MAX }) ?? '',
    phone: phone(failures, 'phone', input.phone ?? null) ?? null,
    status: customerStatus(failures, 'status', input.status ?? 'ACTIVE') ?? 'ACTIVE',
    additionalInfo,
  };
}

export interface CustomerUpdateInput {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  status?: string | null;
  additionalInfo?: JsonObject | null;
}

/** The columns an update writes: only the keys that were sent. */
export interface CustomerChanges {
  email?: string;
  firstName?: string;
  lastName?: string;
  phone?: string | null;
  status?: CustomerStatus;
  /** A patch to merge into the stored object (see `mergeAdditionalInfo`). */
  additionalInfo?: JsonObject;
}

/**
 * Checks a partial update: absent keys stay; null clears phone and sets names to "";
 * null is a failure for email, status and additionalInfo.
 */
export function checkCustomerChanges(failures: Failures, input: CustomerUpdateInput): CustomerChanges {
  const changes: CustomerChanges = {};
  if (input.email !== undefined) {
    const value =
      input.email === null ? mustNotBeNull(failures, 'email') : email(failures, 'email', input.email);
    if (value !== undefined) changes.email = value;
  }
  for (const field of ['firstName', 'lastName'] as const) {
    const sent = input[field];
    if (sent === undefined) continue;
    const value = text(failures, field, sent ?? '', { max: NAME_MAX });
    if (value !== undefined) changes[field] = value;
  }
  if (input.phone !== undefined) {
    const value = phone(failures, 'phone', input.phone);
    if (value !== undefined) changes.phone = value;
  }
  if (input.status !== undefined) {
    const value =
      input.status === null
        ? mustNotBeNull(failures, 'status')
        : customerStatus(failures, 'status', input.status);
    if (value !== undefined) changes.status = value;
  }
  if (input.additionalInfo !== undefined) {
    if (input.additionalInfo === null) mustNotBeNull(failures, 'additionalInfo');
    else if (checkAdditionalInfoPatch(failures, 'additionalInfo', input.additionalInfo)) {
      changes.additionalInfo = input.additionalInfo;
    }
  }
  return changes;
}

// ---------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------

/** Optional, nullable address texts and their maximum lengths. */
const optionalAddressFields = {
  firstName: NAME_MAX,
  lastName: NAME_MAX,
  company: NAME_MAX,
  address2: ADDRESS_LINE_MAX,
  state: NAME_MAX,
  postcode: POSTCODE_MAX,
} as const;

type OptionalAddressField = keyof typeof optionalAddressFields;

export interface AddressCreateInput {
  type: string;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1: string;
  address2?: string | null;
  city: string;
  state?: string | null;
  postcode?: string | null;
  country: string;
  phone?: string | null;
  isPrimary?: boolean | null;
}

export interface AddressUpdateInput {
  type?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  state?: string | null;
  postcode?: string | null;
  country?: string | null;
  phone?: string | null;
  isPrimary?: boolean | null;
}

export interface AddressValues {
  type: AddressType;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  state: string | null;
  postcode: string | null;
  country: string;
  phone: string | null;
}

export interface NewAddress extends AddressValues {
  /** Sent as true: make it the primary of its type (demoting the previous one). */
  isPrimary: boolean;
}

export type AddressChanges = Partial<AddressValues> & { isPrimary?: boolean };

export function checkNewAddress(failures: Failures, input: AddressCreateInput): NewAddress {
  const optional = {} as Record<OptionalAddressField, string | null>;
  for (const [field, max] of Object.entries(optionalAddressFields) as [OptionalAddressField, number][]) {
    optional[field] = nullableText(failures, field, input[field] ?? null, max) ?? null;
  }
  return {
    type: addressType(failures, 'type', input.type) ?? 'BILLING',
    ...optional,
    address1: text(failures, 'address1', input.address1, { max: ADDRESS_LINE_MAX, required: true }) ?? '',
    city: text(failures, 'city', input.city, { max: NAME_MAX, required: true }) ?? '',
    country: country(failures, 'country', input.country) ?? '',
    phone: phone(failures, 'phone', input.phone ?? null) ?? null,
    isPrimary: input.isPrimary ?? false,
  };
}

/** Partial address update: null clears optional fields and fails for the required ones. */
export function checkAddressChanges(failures: Failures, input: AddressUpdateInput): AddressChanges {
  const changes: AddressChanges = {};
  if (input.type !== undefined) {
    const value =
      input.type === null ? mustNotBeNull(failures, 'type') : addressType(failures, 'type', input.type);
    if (value !== undefined) changes.type = value;
  }
  for (const [field, max] of Object.entries(optionalAddressFields) as [OptionalAddressField, number][]) {
    const sent = input[field];
    if (sent === undefined) continue;
    const value = nullableText(failures, field, sent, max);
    if (value !== undefined) changes[field] = value;
  }
  const required = [
    ['address1', ADDRESS_LINE_MAX],
    ['city', NAME_MAX],
  ] as const;
  for (const [field, max] of required) {
    const sent = input[field];
    if (sent === undefined) continue;
    const value =
      sent === null ? mustNotBeNull(failures, field) : text(failures, field, sent, { max, required: true });
    if (value !== undefined) changes[field] = value;
  }
  if (input.country !== undefined) {
    const value =
      input.country === null
        ? mustNotBeNull(failures, 'country')
        : country(failures, 'country', input.country);
    if (value !== undefined) changes.country = value;
  }
  if (input.phone !== undefined) {
    const value = phone(failures, 'phone', input.phone);
    if (value !== undefined) changes.phone = value;
  }
  if (input.isPrimary !== undefined) {
    if (input.isPrimary === null) mustNotBeNull(failures, 'isPrimary');
    else changes.isPrimary = input.isPrimary;
  }
  return changes;
}

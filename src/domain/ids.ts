/**
 * Ids are positive BIGINTs: decimal strings on GraphQL, numbers (or numeric strings) on
 * REST. A malformed id (`abc`, `0`, `-1`, `1.5`) is a VALIDATION_ERROR naming the field; a
 * well-formed id beyond the BIGINT range cannot exist, so it is simply not found.
 */
import { AppError } from '../errors.js';

const ID_PATTERN = /^[1-9][0-9]*$/;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

export type ParsedId = bigint | 'out-of-range';

/** Parses an id; throws VALIDATION_ERROR on `field` when malformed. */
export function parseId(value: unknown, field: string): ParsedId {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !ID_PATTERN.test(text)) {
    throw new AppError('VALIDATION_ERROR', 'must be a positive integer id', field);
  }
  const id = BigInt(text);
  return id > MAX_BIGINT ? 'out-of-range' : id;
}

export function isWellFormedId(value: string): boolean {
  return ID_PATTERN.test(value);
}

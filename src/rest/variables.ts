/**
 * REST request → operation variables. Each parameter is read from its sources in the order
 * path > body > query string (within one source, its first listed alias wins), then
 * converted to the GraphQL type it fills: query and form values are strings, so `"20"`
 * becomes an Int, `"true"`/`"1"`/`"false"`/`"0"` a Boolean, `"active"` the enum value
 * ACTIVE, `filters[status]=active` or `filters={"status":"active"}` an input object.
 * Whatever cannot be converted is reported with its REST name, before anything runs.
 */
import {
  type GraphQLInputObjectType,
  type GraphQLInputType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import type { ErrorDetail } from '../errors.js';
import { valueAt } from './brackets.js';
import type { CompiledParam, CompiledRoute } from './compile-routes.js';
import { bracketName, type ParamSource, restNameOf } from './route.js';

export interface RestRequestInput {
  path: Record<string, string>;
  body: Record<string, unknown>;
  query: Record<string, unknown>;
}

export type VariablesResult =
  | { ok: true; variables: Record<string, unknown> }
  | { ok: false; details: ErrorDetail[] };

const SOURCES: readonly ParamSource[] = ['path', 'body', 'query'];
const INVALID = Symbol('invalid');
const ID_PATTERN = /^[1-9][0-9]*$/;
const INT_PATTERN = /^-?(0|[1-9][0-9]*)$/;

interface Picked {
  value: unknown;
  /** The REST name the value came under. */
  name: string;
}

function pick(param: CompiledParam, input: RestRequestInput): Picked | undefined {
  if (param.wholeBody) return { value: input.body, name: param.names[0] ?? '' };
  for (const source of SOURCES) {
    if (!param.in.includes(source)) continue;
    for (const name of param.names) {
      const value = valueAt(input[source], name);
      if (value !== undefined) return { value, name };
    }
  }
  return undefined;
}

export function buildVariables(route: CompiledRoute, input: RestRequestInput): VariablesResult {
  const details: ErrorDetail[] = [];
  const variables: Record<string, unknown> = {};
  /** Variable paths whose value was given but could not be converted (not "missing"). */
  const rejected = new Set<string>();

  for (const param of route.params) {
    const [variable, ...fields] = param.variable.split('.');
    // Input objects filled field by field exist even when no field is given (`input: {}`).
    let target = variables;
    let key = variable as string;
    for (const field of fields) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
      key = field;
    }
    const picked = pick(param, input);
    if (picked === undefined) continue;
    const raw = param.translate ? param.translate(picked.value) : picked.value;
    // A top-level argument given as null is not given (its default applies); null on an
    // input field means "clear" and is passed on.
    if (raw === null && fields.length === 0) continue;
    const value = coerce(raw, param.type, [picked.name], details);
    if (value === INVALID) rejected.add(param.variable);
    else target[key] = value;
  }

  // Required variables and input fields nobody supplied.
  for (const [name, type] of route.variableTypes) {
    const restName = primaryNameOf(route, name) ?? restNameOf(name);
    if (variables[name] === undefined) {
      if (isNonNullType(type) && !rejected.has(name))
        details.push({ field: restName, message: 'is required' });
      continue;
    }
    const named = isNonNullType(type) ? type.ofType : type;
    if (isInputObjectType(named) && isAssembled(route, name)) {
      const value = variables[name] as Record<string, unknown>;
      checkRequiredFields(route, name, named, value, rejected, details);
    }
  }

  return details.length > 0 ? { ok: false, details: dedupe(details) } : { ok: true, variables };
}

function isAssembled(route: CompiledRoute, variable: string): boolean {
  return route.params.some((p) => p.variable.startsWith(`${variable}.`));
}

function checkRequiredFields(
  route: CompiledRoute,
  variable: string,
  type: GraphQLInputObjectType,
  value: Record<string, unknown>,
  rejected: ReadonlySet<string>,
  details: ErrorDetail[],
): void {
  for (const field of Object.values(type.getFields())) {
    if (!isNonNullType(field.type) || field.defaultValue !== undefined) continue;
    const path = `${variable}.${field.name}`;
    if (value[field.name] !== undefined || rejected.has(path)) continue;
    details.push({ field: primaryNameOf(route, path) ?? restNameOf(field.name), message: 'is required' });
  }
}

function primaryNameOf(route: CompiledRoute, variablePath: string): string | undefined {
  return route.params.find((p) => p.variable === variablePath)?.names[0];
}

function dedupe(details: ErrorDetail[]): ErrorDetail[] {
  const seen = new Set<string>();
  return details.filter((d) => {
    if (seen.has(d.field)) return false;
    seen.add(d.field);
    return true;
  });
}

/** Converts one REST value to a GraphQL input type; records failures under `path`. */
function coerce(value: unknown, type: GraphQLInputType, path: string[], details: ErrorDetail[]): unknown {
  const fail = (message: string) => {
    details.push({ field: bracketName(path), message });
    return INVALID;
  };
  if (isNonNullType(type)) {
    if (value === null) return fail('must not be null');
    return coerce(value, type.ofType, path, details);
  }
  if (value === null) return null;

  if (isListType(type)) {
    const items = listItems(value, isInputObjectType(type.ofType));
    const result: unknown[] = [];
    for (const item of items) {
      // The first bad item is reported; the list is rejected as a whole.
      const converted = coerce(item, type.ofType, path, details);
      if (converted === INVALID) return INVALID;
      result.push(converted);
    }
    return result;
  }

  if (isInputObjectType(type)) {
    const object = typeof value === 'string' ? parseJsonObject(value) : value;
    if (!isPlainObject(object)) return fail('must be an object (or a JSON object string)');
    const byRestName = new Map(Object.values(type.getFields()).map((f) => [restNameOf(f.name), f]));
    const result: Record<string, unknown> = {};
    let invalid = false;
    for (const [key, fieldValue] of Object.entries(object)) {
      const field = byRestName.get(key);
      if (!field) {
        details.push({ field: bracketName([...path, key]), message: 'is not a known field' });
        invalid = true;
        continue;
      }
      if (fieldValue === undefined) continue;
      const converted = coerce(fieldValue, field.type, [...path, key], details);
      if (converted === INVALID) invalid = true;
      else result[field.name] = converted;
    }
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined && result[field.name] === undefined) {
        details.push({ field: bracketName([...path, restNameOf(field.name)]), message: 'is required' });
        invalid = true;
      }
    }
    return invalid ? INVALID : result;
  }

  if (isEnumType(type)) {
    if (typeof value !== 'string') return fail(`must be one of: ${enumValuesOf(type)}`);
    const name = value.trim().toUpperCase().replace(/-/g, '_');
    if (!type.getValue(name)) return fail(`must be one of: ${enumValuesOf(type)}`);
    return name;
  }

  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return toId(value) ?? fail('must be a positive integer id');
      case 'Int': {
        const n = toInteger(value);
        return n !== undefined && n >= -2147483648 && n <= 2147483647 ? n : fail('must be an integer');
      }
      case 'SafeInt':
        return toInteger(value) ?? fail('must be an integer');
      case 'Float': {
        const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
        return typeof n === 'number' && Number.isFinite(n) ? n : fail('must be a number');
      }
      case 'Boolean':
        return toBoolean(value) ?? fail('must be a boolean (true, false, 1 or 0)');
      case 'String':
        if (typeof value === 'string') return value;
        if (typeof value === 'number' && Number.isFinite(value)) return String(value);
        return fail('must be a string');
      case 'JSONObject': {
        const object = typeof value === 'string' ? parseJsonObject(value) : value;
        return isPlainObject(object) ? { ...object } : fail('must be a JSON object');
      }
      default:
        return value;
    }
  }
  return value;
}

function listItems(value: unknown, itemsAreObjects: boolean): unknown[] {
  if (Array.isArray(value)) return value;
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length > 0 && keys.every((k) => /^(0|[1-9][0-9]*)$/.test(k))) {
      return keys.sort((a, b) => Number(a) - Number(b)).map((k) => value[k]);
    }
    return [value];
  }
  // WordPress reads a comma-separated string as a list (`customer_ids=1,2,3`).
  if (typeof value === 'string' && !itemsAreObjects) {
    return value.trim() === '' ? [] : value.split(',').map((s) => s.trim());
  }
  return [value];
}

function toId(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 1 ? BigInt(value).toString() : undefined;
  }
  if (typeof value === 'string' && ID_PATTERN.test(value.trim())) return value.trim();
  return undefined;
}

function toInteger(value: unknown): number | undefined {
  const n = typeof value === 'string' && INT_PATTERN.test(value.trim()) ? Number(value.trim()) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 1) return true;
  if (value === 'false' || value === '0' || value === 0) return false;
  return undefined;
}

function parseJsonObject(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function enumValuesOf(type: { getValues(): readonly { name: string }[] }): string {
  return type
    .getValues()
    .map((v) => v.name.toLowerCase())
    .join(', ');
}

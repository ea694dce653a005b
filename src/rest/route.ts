/**
 * What a REST route is: a documented method and path, the GraphQL operation it runs, where
 * each variable comes from (REST names and aliases), the success status and how the data
 * becomes the documented body. The table itself is `routes.ts`; `compile-routes.ts` checks
 * every entry against the live schema at start-up.
 */
import { Kind, parse, print } from 'graphql';
import { restFragments } from './representations.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type ParamSource = 'path' | 'body' | 'query';
export type Json = Record<string, any>;
/** A JSON Schema (OpenAPI 3.1 dialect) fragment. */
export type JsonSchema = Record<string, unknown>;

export interface RestParam {
  /** REST names, first wins within one source; bracket syntax for nesting (`address[id]`). */
  names: readonly string[];
  /** Sources it is read from; across sources path > body > query always holds. */
  in: readonly ParamSource[];
  /** The operation variable it fills, with a dot path into input objects (`input.address1`). */
  variable: string;
  /** The value is the whole request body (additional info), not one of its keys. */
  wholeBody?: boolean;
  /** Legacy spellings of values, rewritten before type conversion (bulk action names). */
  translate?: (value: unknown) => unknown;
  description?: string;
}

export interface RestRoute {
  /** Stable name (OpenAPI operationId). */
  name: string;
  summary: string;
  method: HttpMethod;
  /** Path below the namespace, `{param}` for ids: `/customers/{customerId}/address`. */
  path: string;
  /** The GraphQL operation (fragments `RestCustomer`, … are appended by `withRestFragments`). */
  document: string;
  params: readonly RestParam[];
  status: 200 | 201;
  /** The documented success body, from the operation's `data`. */
  respond(data: Json): Json;
  /** JSON Schema of the success body, for the OpenAPI document. */
  responseSchema: JsonSchema;
}

/** A path parameter: an id matched by `[1-9][0-9]*`. */
export function pathParam(name: string, variable: string, description?: string): RestParam {
  return { names: [name], in: ['path'], variable, description };
}

/** A body or query-string parameter (body wins), with its aliases in order of precedence. */
export function param(
  names: string | readonly string[],
  variable: string,
  options: Partial<Pick<RestParam, 'in' | 'translate' | 'description'>> = {},
): RestParam {
  return {
    names: typeof names === 'string' ? [names] : names,
    in: options.in ?? ['body', 'query'],
    variable,
    translate: options.translate,
    description: options.description,
  };
}

const fragmentDefinitions = new Map(
  parse(restFragments).definitions.flatMap((d) =>
    d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, print(d)] as const] : [],
  ),
);

/** Appends the `restFragments` definitions the operation spreads (and only those). */
export function withRestFragments(operation: string): string {
  const used = [...fragmentDefinitions.keys()].filter((name) =>
    new RegExp(`\\.\\.\\.\\s*${name}\\b`).test(operation),
  );
  return [operation.trim(), ...used.map((name) => fragmentDefinitions.get(name))].join('\n\n');
}

/** camelCase GraphQL name → snake_case REST name: `address1` → `address_1`, `perPage` → `per_page`. */
export function restNameOf(graphqlName: string): string {
  return graphqlName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([a-zA-Z])([0-9]+)/g, '$1_$2')
    .toLowerCase();
}

/** Bracket path of nested REST names: ['filters', 'status'] → `filters[status]`. */
export function bracketName(parts: readonly string[]): string {
  const [first, ...rest] = parts;
  return `${first ?? ''}${rest.map((p) => `[${p}]`).join('')}`;
}

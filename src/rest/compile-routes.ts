/**
 * Start-up check and preparation of the route table against the live schema: every
 * document must parse and validate, hold exactly one operation, and every parameter must
 * name a variable (or an input field below one) of that operation. A broken route stops
 * the gateway with a message naming it.
 */
import {
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  getNullableType,
  isInputObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  typeFromAST,
  validate,
} from 'graphql';
import type { RestParam, RestRoute } from './route.js';

export interface CompiledParam extends RestParam {
  /** GraphQL type of the variable or input field it fills. */
  type: GraphQLInputType;
}

export interface CompiledRoute extends RestRoute {
  params: CompiledParam[];
  operationName: string;
  /** Types of the operation's variables. */
  variableTypes: Map<string, GraphQLInputType>;
  /** Path segments: literal strings, or `{name}` parameters. */
  segments: { literal?: string; param?: string }[];
}

export class RouteTableError extends Error {
  override name = 'RouteTableError';
}

export function describeRoute(route: Pick<RestRoute, 'method' | 'path' | 'name'>): string {
  return `${route.method} ${route.path} (${route.name})`;
}

export function compileRoutes(schema: GraphQLSchema, routes: readonly RestRoute[]): CompiledRoute[] {
  const seen = new Set<string>();
  return routes.map((route) => {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new RouteTableError(`REST route ${describeRoute(route)} is declared twice`);
    seen.add(key);
    return compileRoute(schema, route);
  });
}

function compileRoute(schema: GraphQLSchema, route: RestRoute): CompiledRoute {
  const fail = (message: string): never => {
    throw new RouteTableError(`REST route ${describeRoute(route)}: ${message}`);
  };
  let document: DocumentNode;
  try {
    document = parse(route.document);
  } catch (error) {
    return fail(`its GraphQL document does not parse: ${(error as Error).message}`);
  }
  const errors = validate(schema, document);
  if (errors.length > 0) {
    return fail(
      `its GraphQL document does not validate against the schema: ${errors.map((e) => e.message).join('; ')}`,
    );
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const [operation] = operations;
  if (operations.length !== 1 || !operation?.name) fail('its document must hold exactly one named operation');
  const op = operation as OperationDefinitionNode;

  const variableTypes = new Map<string, GraphQLInputType>();
  for (const definition of op.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) fail(`unknown type of variable $${definition.variable.name.value}`);
    variableTypes.set(definition.variable.name.value, type as GraphQLInputType);
  }

  const segments = route.path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (/^\{\w+\}$/.test(s) ? { param: s.slice(1, -1) } : { literal: s }));
  const pathNames = new Set(segments.flatMap((s) => (s.param ? [s.param] : [])));

  const params = route.params.map((p): CompiledParam => {
    const type = resolveInputType(variableTypes, p.variable);
    if (!type) fail(`parameter ${p.names.join('|')} fills ${p.variable}, which is not in the operation`);
    if (p.in.includes('path') && !p.names.every((n) => pathNames.has(n))) {
      fail(`path parameter ${p.names.join('|')} is not in the path`);
    }
    return { ...p, type: type as GraphQLInputType };
  });
  for (const name of pathNames) {
    if (!params.some((p) => p.in.includes('path') && p.names.includes(name))) {
      fail(`path parameter {${name}} fills no variable`);
    }
  }

  return { ...route, params, operationName: op.name!.value, variableTypes, segments };
}

/** The type at `input.address1`: a variable, then fields of input objects. */
export function resolveInputType(
  variableTypes: ReadonlyMap<string, GraphQLInputType>,
  path: string,
): GraphQLInputType | undefined {
  const [variable, ...fields] = path.split('.');
  let type = variableTypes.get(variable ?? '');
  for (const field of fields) {
    const named = type && getNullableType(type);
    if (!named || !isInputObjectType(named)) return undefined;
    type = named.getFields()[field]?.type;
  }
  return type;
}

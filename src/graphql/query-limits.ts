/**
 * The contract's per-operation limits, computed by one validation rule: depth ≤ 10,
 * aliases ≤ 15, cost ≤ 25,000. Cost = Σ over selected fields of 2 (object-typed) or 1
 * (scalar/enum), each multiplied by the effective page sizes of the paginated fields above
 * it; other lists count once; no depth factor. Fields under `__schema`/`__type` are exempt.
 * Tokens (≤ 5000) are bounded at parse time and batches (≤ 10 operations) at request
 * parsing — see useQueryLimits; all answer HTTP 400 QUERY_TOO_COMPLEX.
 */
import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLNamedType,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
  valueFromASTUntyped,
} from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxBatch: number;
}

export const defaultQueryLimits: QueryLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 5000,
  maxCost: 25_000,
  maxBatch: 10,
};

const MAX_PAGE = 100;

/** Paginated fields: the argument that sizes a page and its default. */
const paginated: Record<string, { args: string[]; default: number }> = {
  'Query.customers': { args: ['perPage'], default: 10 },
  'Query.customersConnection': { args: ['first', 'last'], default: 10 },
  'Query.customerOrders': { args: ['perPage'], default: 100 },
  'Query.attachableUsers': { args: ['perPage'], default: 20 },
  'Customer.orders': { args: ['perPage'], default: 10 },
};

const EXEMPT = new Set(['__schema', '__type']);

export function tooComplex(message: string, details: Record<string, number> = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 }, ...details },
  });
}

export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
}

/** Measures one operation; `variables` give the page sizes passed as variables. */
export function measureOperation(
  operation: OperationDefinitionNode,
  rootType: GraphQLNamedType,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  typeOf: (name: string) => GraphQLNamedType | undefined,
): OperationMeasure {
  const measure: OperationMeasure = { depth: 0, aliases: 0, cost: 0 };

  const pageSize = (coordinate: string, field: FieldNode): number | undefined => {
    const spec = paginated[coordinate];
    if (!spec) return undefined;
    for (const arg of field.arguments ?? []) {
      if (!spec.args.includes(arg.name.value)) continue;
      const value = valueFromASTUntyped(arg.value, variables);
      if (typeof value === 'number' && Number.isFinite(value))
        return Math.min(MAX_PAGE, Math.max(1, Math.floor(value)));
      if (value === null || value === undefined) continue;
    }
    return spec.default;
  };

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType,
    depth: number,
    multiplier: number,
    visiting: Set<string>,
  ): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (EXEMPT.has(name)) continue;
        if (selection.alias) measure.aliases++;
        measure.depth = Math.max(measure.depth, depth);
        const fieldDef =
          isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        const type = fieldDef ? getNamedType(fieldDef.type) : undefined;
        const composite =
          type !== undefined && (isObjectType(type) || isInterfaceType(type) || isAbstractType(type));
        measure.cost += (composite ? 2 : 1) * multiplier;
        if (selection.selectionSet && type) {
          const size = pageSize(`${parent.name}.${name}`, selection) ?? 1;
          walk(selection.selectionSet, type, depth + 1, multiplier * size, visiting);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? typeOf(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, type ?? parent, depth, multiplier, visiting);
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (!fragment || visiting.has(name)) continue; // unknown or cyclic: other rules report it
        visiting.add(name);
        walk(
          fragment.selectionSet,
          typeOf(fragment.typeCondition.name.value) ?? parent,
          depth,
          multiplier,
          visiting,
        );
        visiting.delete(name);
      }
    }
  };

  walk(operation.selectionSet, rootType, 1, 1, new Set());
  return measure;
}

/** The validation rule. Its name carries the integer variables, which can size pages, so
 * yoga's validation cache (keyed by rule names and document) never reuses a stale verdict. */
export function queryLimitsRule(
  limits: QueryLimits,
  variables: Record<string, unknown> = {},
): ValidationRule {
  const rule: ValidationRule = (context) => ({
    Document(document) {
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const def of document.definitions) {
        if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
      }
      const schema = context.getSchema();
      for (const def of document.definitions) {
        if (def.kind !== Kind.OPERATION_DEFINITION) continue;
        const root =
          def.operation === 'query'
            ? schema.getQueryType()
            : def.operation === 'mutation'
              ? schema.getMutationType()
              : schema.getSubscriptionType();
        if (!root) continue;
        const m = measureOperation(
          def,
          root,
          fragments,
          variables,
          (name) => schema.getType(name) ?? undefined,
        );
        if (m.depth > limits.maxDepth) {
          context.reportError(
            tooComplex(`Query depth ${m.depth} exceeds the limit of ${limits.maxDepth}`, {
              depth: m.depth,
              maxDepth: limits.maxDepth,
            }),
          );
        }
        if (m.aliases > limits.maxAliases) {
          context.reportError(
            tooComplex(`${m.aliases} aliases exceed the limit of ${limits.maxAliases}`, {
              aliases: m.aliases,
              maxAliases: limits.maxAliases,
            }),
          );
        }
        if (m.cost > limits.maxCost) {
          context.reportError(
            tooComplex(`Query cost ${m.cost} exceeds the limit of ${limits.maxCost}`, {
              cost: m.cost,
              maxCost: limits.maxCost,
            }),
          );
        }
      }
      return false;
    },
  });
  const key = Object.entries(variables)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  Object.defineProperty(rule, 'name', { value: `QueryLimits(${key})` });
  return rule;
}

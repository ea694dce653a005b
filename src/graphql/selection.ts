/**
 * Small helpers over the incoming selection: whether a sub-field is selected at all (so a
 * resolver can skip loading rows nobody asked for), and the Prisma selection (Pothos' `query`)
 * of a prisma type nested in a wrapper object (`CustomerList.customers`, connection nodes).
 */
import { queryFromInfo } from '@pothos/plugin-prisma';
import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import type PrismaTypes from '../generated/pothos-types.js';

/** Whether `path` (field names below the current field) is selected, through fragments. */
export function selectsPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  const visit = (set: SelectionSetNode | undefined, depth: number): boolean => {
    if (!set) return false;
    return set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== path[depth]) return false;
        return depth === path.length - 1 || visit(selection.selectionSet, depth + 1);
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet, depth);
      return visit(info.fragments[selection.name.value]?.selectionSet, depth);
    });
  };
  return info.fieldNodes.some((node) => visit(node.selectionSet, 0));
}

/**
 * The Prisma query for the rows of model `typeName` found under `paths`, or null when none of
 * the paths is selected (the caller then loads no rows).
 */
export function nestedQuery<Name extends keyof PrismaTypes & string>(
  context: object,
  info: GraphQLResolveInfo,
  typeName: Name,
  paths: readonly (readonly string[])[],
): { select?: PrismaTypes[Name]['Select']; include?: PrismaTypes[Name]['Include'] } | null {
  if (!paths.some((path) => selectsPath(info, path))) return null;
  return queryFromInfo({
    context,
    info,
    typeName,
    paths: paths.map((path) => [...path]),
  }) as { select?: PrismaTypes[Name]['Select']; include?: PrismaTypes[Name]['Include'] };
}

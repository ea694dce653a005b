/**
 * PHP/WordPress bracket syntax for query strings and form bodies: `filters[status]=active`
 * → `{filters: {status: 'active'}}`, `ids[]=1&ids[]=2` → `{ids: {0: '1', 1: '2'}}` (objects
 * with integer keys read as lists where a list is expected). As in PHP, a later value for the
 * same key replaces an earlier one.
 */

export type ParamTree = { [key: string]: string | ParamTree };

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** `a[b][]` → ['a', 'b', ''] ; a key that is not well-formed bracket syntax is taken whole. */
export function splitBracketKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  const rest = key.slice(open);
  const segment = /\[([^[\]]*)\]/y;
  let index = 0;
  while (index < rest.length) {
    segment.lastIndex = index;
    const match = segment.exec(rest);
    if (!match) return [key];
    parts.push(match[1] as string);
    index = segment.lastIndex;
  }
  return parts;
}

export function parseBracketParams(entries: Iterable<[string, string]>): ParamTree {
  const root: ParamTree = Object.create(null);
  for (const [key, value] of entries) {
    const path = splitBracketKey(key);
    if (path.some((p) => FORBIDDEN_KEYS.has(p))) continue;
    let node = root;
    for (let i = 0; i < path.length; i++) {
      let part = path[i] as string;
      if (part === '' && i > 0) part = String(nextIndex(node));
      if (i === path.length - 1) {
        node[part] = value;
        break;
      }
      const child = node[part];
      if (typeof child === 'object') {
        node = child;
      } else {
        const created: ParamTree = Object.create(null);
        node[part] = created;
        node = created;
      }
    }
  }
  return root;
}

function nextIndex(node: ParamTree): number {
  let next = 0;
  for (const key of Object.keys(node)) {
    if (/^(0|[1-9][0-9]*)$/.test(key)) next = Math.max(next, Number(key) + 1);
  }
  return next;
}

/** The value at a REST name given in bracket syntax (`address[id]`, `data[status]`). */
export function valueAt(tree: Record<string, unknown>, name: string): unknown {
  let node: unknown = tree;
  for (const part of splitBracketKey(name)) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    if (!Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

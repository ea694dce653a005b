/**
 * Which REST route a request names. The namespace is reached as `/wp-json/fluent-cart/v2/…`,
 * its alias `/wp-json/fluent-cart/v1/…`, or WordPress' plain-permalink form
 * `/?rest_route=/fluent-cart/v2/…`. Below it:
 * - literal segments compare case-insensitively (as WordPress' route regexes do);
 * - ids match `[1-9][0-9]*`, so the literals (`get-stats`, `attachable-user`, …) win;
 * - a trailing slash is ignored;
 * - a path that matches only under other methods is 405 with those methods;
 * - a path that has the shape of a route but a malformed id (`/customers/abc/orders`) is
 *   that route: its id then fails conversion with a 422 naming the parameter.
 */
import type { CompiledRoute } from './compile-routes.js';
import type { HttpMethod } from './route.js';

const NAMESPACE = /^\/fluent-cart\/v[12](?=\/|$)/;
const ID_SEGMENT = /^[1-9][0-9]*$/;

/** The path below `/wp-json`, or null when the request is not for the WordPress REST API. */
export function restRouteOf(url: URL): string | null {
  if (url.pathname === '/wp-json' || url.pathname.startsWith('/wp-json/')) {
    return url.pathname.slice('/wp-json'.length) || '/';
  }
  if ((url.pathname === '/' || url.pathname === '/index.php') && url.searchParams.has('rest_route')) {
    return url.searchParams.get('rest_route') || '/';
  }
  return null;
}

/** The path below the FluentCart namespace (`/customers/1`), without trailing slashes. */
export function namespacePathOf(restRoute: string): string | null {
  const match = NAMESPACE.exec(restRoute);
  if (!match) return null;
  return restRoute.slice(match[0].length).replace(/\/+$/, '');
}

export type MatchResult =
  | { kind: 'found'; route: CompiledRoute; pathValues: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: HttpMethod[] }
  | { kind: 'not_found' };

export function createMatcher(routes: readonly CompiledRoute[]) {
  const literals = new Set(
    routes.flatMap((r) => r.segments.flatMap((s) => (s.literal ? [s.literal.toLowerCase()] : []))),
  );
  // More literal segments first, so that a more specific route is preferred.
  const ordered = [...routes].sort(
    (a, b) => b.segments.filter((s) => s.literal).length - a.segments.filter((s) => s.literal).length,
  );

  const matchSegments = (route: CompiledRoute, parts: string[], loose: boolean) => {
    if (route.segments.length !== parts.length) return null;
    const values: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const segment = route.segments[i]!;
      const part = parts[i]!;
      if (segment.literal !== undefined) {
        if (segment.literal.toLowerCase() !== part.toLowerCase()) return null;
      } else if (ID_SEGMENT.test(part) || (loose && part !== '' && !literals.has(part.toLowerCase()))) {
        values[segment.param!] = part;
      } else {
        return null;
      }
    }
    return values;
  };

  return function match(method: string, namespacePath: string): MatchResult {
    let parts: string[];
    try {
      parts = namespacePath
        .split('/')
        .slice(1)
        .map((p) => decodeURIComponent(p));
    } catch {
      return { kind: 'not_found' };
    }
    for (const loose of [false, true]) {
      const candidates = ordered.flatMap((route) => {
        const pathValues = matchSegments(route, parts, loose);
        return pathValues ? [{ route, pathValues }] : [];
      });
      if (candidates.length === 0) continue;
      const found = candidates.find((c) => c.route.method === method);
      if (found) return { kind: 'found', ...found };
      const allow = [...new Set(candidates.map((c) => c.route.method))].sort();
      return { kind: 'method_not_allowed', allow };
    }
    return { kind: 'not_found' };
  };
}

const OVERRIDABLE = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * WordPress' method override: a POST with `?_method=PUT|DELETE` (checked first, as WordPress
 * does) or header `X-HTTP-Method-Override` is handled as that method.
 */
export function effectiveMethod(request: Request, url: URL): string {
  const method = request.method.toUpperCase();
  if (method !== 'POST') return method;
  const override = url.searchParams.get('_method') ?? request.headers.get('x-http-method-override');
  const wanted = override?.trim().toUpperCase();
  return wanted && OVERRIDABLE.has(wanted) ? wanted : method;
}

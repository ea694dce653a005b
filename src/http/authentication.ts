import type { Plugin } from 'graphql-yoga';
import { type Authenticator, parseBasicAuthorization } from '../auth/authenticator.js';
import type { Principal } from '../graphql/context.js';
import { errorResponse } from './responses.js';

export const PUBLIC_PATHS = new Set(['/health', '/ready', '/wp-json/fluent-cart/v2/openapi.json']);
export const REALM = 'FluentCart Customers API';

/** The authenticated principal of each request, set before the GraphQL context is built. */
const principals = new WeakMap<Request, Principal>();

export function principalOf(request: Request): Principal | null {
  return principals.get(request) ?? null;
}

/**
 * Every route but the public ones needs valid credentials; otherwise 401 `unauthenticated`
 * with `WWW-Authenticate: Basic`, so that a browser opening GraphiQL gets the login prompt.
 */
export function useAuthentication(authenticator: Authenticator): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (PUBLIC_PATHS.has(url.pathname)) return;
      const credentials = parseBasicAuthorization(request.headers.get('authorization'));
      const result = credentials ? await authenticator.authenticate(credentials) : null;
      if (result) {
        principals.set(request, result.principal);
        return;
      }
      endResponse(
        errorResponse(
          url,
          'UNAUTHENTICATED',
          credentials ? 'Invalid credentials' : 'Authentication required',
          {
            'www-authenticate': `Basic realm="${REALM}", charset="UTF-8"`,
          },
        ),
      );
    },
  };
}

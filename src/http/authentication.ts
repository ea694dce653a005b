/**
 * Authentication of every request but the public ones:
 * - `Authorization: Basic login:application-password` (see auth/authenticator.ts);
 * - or the session cookie opened by `POST /auth/session` (see auth/sessions.ts); GraphQL
 *   operations containing a mutation — which every REST write is — then need the session's
 *   nonce in `X-WP-Nonce`, else INVALID_NONCE.
 * Anything else is 401 `unauthenticated` with `WWW-Authenticate: Basic`, so a browser opening
 * GraphiQL gets the login prompt.
 */
import { GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type Authenticator, parseBasicAuthorization } from '../auth/authenticator.js';
import { readCookie, SESSION_COOKIE, type Sessions } from '../auth/sessions.js';
import type { Principal } from '../graphql/context.js';
import { faultResponse } from '../graphql/mask-error.js';
import type { Logger } from '../logger.js';
import { restUser } from '../rest/representations.js';
import { METRICS_PATH } from './metrics.js';
import { hasMetricsToken } from './metrics-endpoint.js';
import { requestIdOf } from './observability.js';
import { errorResponse, JSON_CONTENT_TYPE } from './responses.js';

export const PUBLIC_PATHS = new Set(['/health', '/ready', '/wp-json/fluent-cart/v2/openapi.json']);
export const SESSION_PATH = '/auth/session';
export const REALM = 'FluentCart Customers API';

interface RequestAuth {
  principal: Principal;
  /** Set when the request was authenticated by the session cookie alone. */
  sessionId?: string;
  /** Whether such a request carried the session's nonce (X-WP-Nonce). */
  nonceValid?: boolean;
}

/** The authentication of each request, set before the GraphQL context is built. */
const authentications = new WeakMap<Request, RequestAuth>();

export function principalOf(request: Request): Principal | null {
  return authentications.get(request)?.principal ?? null;
}

/** Lets an in-process request (the REST router's GraphQL call) act as the outer one. */
export function forwardPrincipal(from: Request, to: Request): void {
  const auth = authentications.get(from);
  if (auth) authentications.set(to, auth);
}

const challenge = { 'www-authenticate': `Basic realm="${REALM}", charset="UTF-8"` };

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
  });
}

export function useAuthentication(
  authenticator: Authenticator,
  sessions: Sessions,
  metricsToken?: string,
  logger?: Logger,
): Plugin {
  return {
    // Credentials are checked against the database: when it is unreachable the request gets
    // 503 service_unavailable (anything else unexpected a generic 500), never a stack trace.
    onRequest: withFaultResponse(logger, async ({ request, url, endResponse }) => {
      if (PUBLIC_PATHS.has(url.pathname) || authentications.has(request)) return;
      // /metrics also accepts the scraper's bearer token (see metrics-endpoint.ts).
      if (url.pathname === METRICS_PATH && hasMetricsToken(request, metricsToken)) return;

      const credentials = parseBasicAuthorization(request.headers.get('authorization'));
      if (request.headers.has('authorization')) {
        const result = credentials ? await authenticator.authenticate(credentials) : null;
        if (!result) {
          endResponse(errorResponse(url, 'UNAUTHENTICATED', 'Invalid credentials', challenge));
          return;
        }
        if (url.pathname === SESSION_PATH && request.method === 'POST') {
          endResponse(await openSession(sessions, authenticator, result.principal, result.passwordId, url));
          return;
        }
        authentications.set(request, { principal: result.principal });
      } else {
        const cookie = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
        const sessionId = cookie ? sessions.sessionIdOf(cookie) : null;
        const principal = sessionId ? await sessions.resolve(sessionId) : null;
        if (!principal || !sessionId) {
          endResponse(errorResponse(url, 'UNAUTHENTICATED', 'Authentication required', challenge));
          return;
        }
        authentications.set(request, {
          principal,
          sessionId,
          nonceValid: sessions.verifyNonce(sessionId, request.headers.get('x-wp-nonce')),
        });
      }

      if (url.pathname === SESSION_PATH) {
        const auth = authentications.get(request);
        if (request.method === 'DELETE') {
          if (auth?.sessionId) await sessions.close(auth.sessionId);
          endResponse(
            json({ success: true, message: 'Session ended' }, 200, {
              'set-cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`,
            }),
          );
          return;
        }
        if (request.method !== 'POST') {
          endResponse(
            json(
              { success: false, error: { code: 'method_not_allowed', message: 'Use POST or DELETE' } },
              405,
              { allow: 'POST, DELETE' },
            ),
          );
        }
      }
    }),

    onExecute({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request }).request;
      const auth = request ? authentications.get(request) : undefined;
      // Cookie-only requests writing without the nonce are refused (CSRF defence).
      if (!auth?.sessionId || auth.nonceValid) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError('Cookie-authenticated writes need the session nonce in X-WP-Nonce', {
            extensions: { code: 'INVALID_NONCE' },
          }),
        ],
      });
    },
  };
}

async function openSession(
  sessions: Sessions,
  authenticator: Authenticator,
  principal: Principal,
  passwordId: bigint,
  url: URL,
): Promise<Response> {
  const user = await authenticator.userProfile(principal.userId);
  if (!user) return errorResponse(url, 'UNAUTHENTICATED', 'Invalid credentials', challenge);
  const { cookieValue, nonce } = await sessions.open(principal.userId, passwordId);
  const secure = url.protocol === 'https:' ? '; Secure' : '';
  return json({ success: true, data: { user: restUser(user), nonce } }, 200, {
    'set-cookie': `${SESSION_COOKIE}=${cookieValue}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(sessions.ttlMs / 1000)}${secure}`,
  });
}
export const shareAuthentication = forwardPrincipal;

type OnRequest = NonNullable<Plugin['onRequest']>;

/** Runs an onRequest hook; a failure ends the request with `faultResponse` instead of a 500 with a stack. */
function withFaultResponse(logger: Logger | undefined, hook: OnRequest): OnRequest {
  return async (payload) => {
    try {
      await hook(payload);
    } catch (error) {
      payload.endResponse(faultResponse(payload.url, error, logger, requestIdOf(payload.request)));
    }
  };
}

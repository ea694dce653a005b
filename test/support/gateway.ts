/**
 * An in-process gateway over a fresh test database, called through yoga's `fetch` (no port).
 * Requests carry the bootstrap administrator's Basic credentials unless told otherwise.
 * `statements` records every SQL statement Prisma sent since the last `resetStatements()`.
 */
import { type Config, loadConfig } from '../../src/config.js';
import { ensureAdministrator } from '../../src/db/bootstrap.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { builderOptions } from '../../src/graphql/builder.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const ADMIN_LOGIN = 'admin';
export const ADMIN_PASSWORD = 'test-admin-password-0001';

export function basicAuth(login: string, password: string): string {
  return `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
}

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface GraphQLBody<D = any> {
  data?: D;
  // Declared present so tests can index it; absent at run time when there are none.
  errors: { message: string; path?: (string | number)[]; extensions: Record<string, any> }[];
  extensions?: Record<string, any>;
}

export interface RequestOptions {
  /** Authorization header; `null` sends none. Defaults to the administrator's credentials. */
  auth?: string | null;
  headers?: Record<string, string>;
}

export interface TestGateway {
  db: TestDatabase;
  gateway: Gateway;
  config: Config;
  adminAuth: string;
  statements: string[];
  resetStatements(): void;
  request<T = any>(
    method: string,
    path: string,
    options?: RequestOptions & { body?: unknown; rawBody?: string },
  ): Promise<HttpResult<T>>;
  graphql<D = any>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<HttpResult<GraphQLBody<D>>>;
  close(): Promise<void>;
}

export async function startTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  builderOptions.onUnusedQuery = 'error';
  const statements: string[] = [];
  const db = await createTestDatabase({ onQuery: (sql) => statements.push(sql) });
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  await ensureAdministrator(db, ADMIN_LOGIN, ADMIN_PASSWORD);
  const gateway = createGateway({ config, db, logger: createLogger(config.logLevel) });
  const adminAuth = basicAuth(ADMIN_LOGIN, ADMIN_PASSWORD);

  const request: TestGateway['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth === undefined ? adminAuth : options.auth;
    if (auth !== null) headers.authorization = auth;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await gateway.fetch(`http://gateway.test${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: tests assert on `text`
    }
    return { status: response.status, headers: response.headers, body: parsed as any, text };
  };

  return {
    db,
    gateway,
    config,
    adminAuth,
    statements,
    resetStatements: () => {
      statements.length = 0;
    },
    request,
    graphql: (query, variables, options = {}) =>
      request('POST', '/graphql', {
        ...options,
        headers: { accept: 'application/json', ...options.headers },
        body: { query, variables },
      }),
    async close() {
      await gateway.dispose();
      await db.close();
    },
  };
}

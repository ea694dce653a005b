/**
 * Limits and response headers:
 * - request bodies over 1 MiB are refused on REST (413), also when streamed without a length;
 * - GraphQL depth, alias and batch limits answer 400 QUERY_TOO_COMPLEX;
 * - every response — success, errors of every kind, probes, GraphiQL, preflights — carries
 *   the security headers, `cache-control: no-store` and a request id;
 * - CORS is off unless CORS_ORIGINS lists the origin: no `Access-Control-Allow-*` for others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { resetFixture } from '../rest/fixture.js';
import { type HttpResult, startTestGateway, type TestGateway } from '../support/gateway.js';
import { V2 } from './support.js';

const MiB = 1024 * 1024;

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ RATE_LIMIT_ENABLED: 'false' });
  await resetFixture(gw.db);
});
afterAll(async () => {
  await gw?.close();
});

function expectTooComplex(res: HttpResult) {
  expect(res.status, res.text).toBe(400);
  expect(res.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
}

describe('limits', () => {
  it('a REST body over 1 MiB is 413 payload_too_large; exactly 1 MiB is read', async () => {
    const over = await gw.request('POST', `${V2}/customers`, { rawBody: ' '.repeat(MiB + 1) });
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe('payload_too_large');
    // 1 MiB of whitespace is an empty body: {} → the missing email, not the size.
    const limit = await gw.request('POST', `${V2}/customers`, { rawBody: ' '.repeat(MiB) });
    expect(limit.status).toBe(422);
  });

  it('a REST body streamed without Content-Length is cut off at 1 MiB', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 4 * MiB) controller.close();
        else {
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await gw.gateway.fetch(`http://gateway.test${V2}/customers`, {
      method: 'POST',
      headers: { authorization: gw.adminAuth, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(4 * MiB);
  });

  it('a GraphQL body over 1 MiB is 413 PAYLOAD_TOO_LARGE; one within the limit is executed', async () => {
    const padding = (bytes: number) => ' '.repeat(bytes);
    const query = '{ viewer { login } }';
    const fits = JSON.stringify({ query });
    const over = await gw.request('POST', '/graphql', {
      rawBody: fits + padding(MiB + 1 - fits.length),
      headers: { 'content-type': 'application/json' },
    });
    expect(over.status).toBe(413);
    expect(over.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const within = await gw.request('POST', '/graphql', {
      rawBody: fits + padding(MiB - fits.length),
      headers: { 'content-type': 'application/json' },
    });
    expect(within.status).toBe(200);
    expect(within.body.data.viewer.login).toBeTruthy();
  });

  it('a GraphQL body streamed without Content-Length is cut off at 1 MiB, a small one is executed', async () => {
    const stream = (text: string, repeat: number) => {
      const chunk = new TextEncoder().encode(text);
      let sent = 0;
      return {
        sent: () => sent,
        body: new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= repeat) controller.close();
            else {
              sent++;
              controller.enqueue(chunk);
            }
          },
        }),
      };
    };
    const post = (body: ReadableStream<Uint8Array>) =>
      gw.gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { authorization: gw.adminAuth, 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
    const huge = stream(' '.repeat(64 * 1024), 64);
    const refused = await post(huge.body);
    expect(refused.status).toBe(413);
    expect(huge.sent()).toBeLessThan(64);
    const small = stream(JSON.stringify({ query: '{ viewer { login } }' }), 1);
    const answered = await post(small.body);
    expect(answered.status).toBe(200);
    expect(
      ((await answered.json()) as { data: { viewer: { login: string } } }).data.viewer.login,
    ).toBeTruthy();
  });

  it('GraphQL depth over 10 is 400 QUERY_TOO_COMPLEX', async () => {
    let selection = 'id';
    for (let i = 0; i < 5; i++) selection = `addresses { customer { ${selection} } }`;
    expectTooComplex(await gw.graphql(`{ customer(id: "1") { ${selection} } }`));
  });

  it('GraphQL aliases over 15 are 400 QUERY_TOO_COMPLEX', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: viewer { login }`).join(' ');
    expectTooComplex(await gw.graphql(`{ ${aliases} }`));
  });

  it('a GraphQL batch over 10 operations is 400 QUERY_TOO_COMPLEX', async () => {
    const res = await gw.request('POST', '/graphql', {
      body: Array(11).fill({ query: '{ viewer { login } }' }),
    });
    expectTooComplex(res);
  });
});

describe('headers on every response', () => {
  let broken: TestGateway;
  beforeAll(async () => {
    broken = await startTestGateway({ RATE_LIMIT_ENABLED: 'false' });
    await resetFixture(broken.db);
    await broken.db.prisma.$executeRawUnsafe(
      'ALTER TABLE customer_addresses RENAME TO customer_addresses_gone',
    );
  });
  afterAll(async () => {
    await broken?.close();
  });

  function expectHeaders(res: HttpResult, what: string) {
    expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
    expect(res.headers.get('x-frame-options'), what).toBe('DENY');
    expect(res.headers.get('cache-control'), what).toBe('no-store');
    expect(res.headers.get('x-request-id'), what).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  }

  it('success, every error status, probes, GraphiQL and OPTIONS', async () => {
    const customer = 'query($id: ID!) { customer(id: $id) { id } }';
    const cases: [string, number | null, Promise<HttpResult>][] = [
      ['GraphQL success', 200, gw.graphql('{ viewer { login } }')],
      ['GraphQL not found (execution result)', 200, gw.graphql(customer, { id: '999' })],
      ['GraphQL 400 parse', 400, gw.graphql('{ viewer {')],
      ['GraphQL 400 variables', 400, gw.graphql(customer, { id: { no: 1 } })],
      ['GraphQL 401', 401, gw.graphql('{ viewer { login } }', undefined, { auth: null })],
      ['REST 200', 200, gw.request('GET', `${V2}/customers/1`)],
      ['REST 201', 201, gw.request('POST', `${V2}/customers`, { body: { email: 'headers@example.com' } })],
      ['REST 401', 401, gw.request('GET', `${V2}/customers/1`, { auth: 'Basic bm9ib2R5OnNlY3JldA==' })],
      ['REST 404 route', 404, gw.request('GET', `${V2}/nothing-here`)],
      ['REST 404 customer', 404, gw.request('GET', `${V2}/customers/999`)],
      ['REST 405', 405, gw.request('PATCH', `${V2}/customers/1`)],
      ['REST 413', 413, gw.request('POST', `${V2}/customers`, { rawBody: ' '.repeat(MiB + 1) })],
      ['REST 422', 422, gw.request('POST', `${V2}/customers`, { body: { email: 'nope' } })],
      ['REST 500 (masked)', 500, broken.request('GET', `${V2}/customers/1`)],
      ['GraphQL masked internal error', 200, broken.graphql('{ customer(id: "1") { addresses { id } } }')],
      ['/health', 200, gw.request('GET', '/health', { auth: null })],
      // 200, or 503 when the readiness check outlasts its timeout on a loaded machine.
      ['/ready', null, gw.request('GET', '/ready', { auth: null })],
      ['OpenAPI', 200, gw.request('GET', `${V2}/openapi.json`, { auth: null })],
      ['/metrics 401', 401, gw.request('GET', '/metrics', { auth: null })],
      ['unknown path 401', 401, gw.request('GET', '/nope', { auth: null })],
      ['GraphiQL', 200, gw.request('GET', '/graphql', { headers: { accept: 'text/html' } })],
      ['GraphiQL 401', 401, gw.request('GET', '/graphql', { auth: null, headers: { accept: 'text/html' } })],
      ['OPTIONS /graphql', 401, gw.request('OPTIONS', '/graphql', { auth: null })],
    ];
    for (const [what, status, pending] of cases) {
      const res = await pending;
      if (status !== null) expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBe(status);
      expectHeaders(res, what);
    }
    const masked = await broken.graphql('{ customer(id: "1") { addresses { id } } }');
    expect(masked.body.errors[0]?.extensions.code).toBe('INTERNAL_ERROR');
  });

  it('a request id sent by the client is echoed, also on errors', async () => {
    const res = await gw.request('GET', `${V2}/customers/999`, { headers: { 'x-request-id': 'trace-42' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('trace-42');
  });
});

describe('CORS', () => {
  const EVIL = 'https://evil.example';
  const preflight = (target: TestGateway, path: string, origin: string) =>
    target.request('OPTIONS', path, {
      auth: null,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
  const expectNoCors = (res: HttpResult, what: string) => {
    const granted = [...res.headers.keys()].filter((name) => name.startsWith('access-control-'));
    expect(granted, what).toEqual([]);
  };

  it('is off by default: no Access-Control-Allow-* for a cross-origin request or preflight', async () => {
    for (const path of ['/graphql', `${V2}/customers`]) {
      const read =
        path === '/graphql'
          ? await gw.graphql('{ viewer { login } }', undefined, { headers: { origin: EVIL } })
          : await gw.request('GET', path, { headers: { origin: EVIL } });
      expect(read.status).toBe(200);
      expectNoCors(read, `GET ${path}`);
      const options = await preflight(gw, path, EVIL);
      expect(options.status).not.toBe(204);
      expectNoCors(options, `OPTIONS ${path}`);
    }
  });

  describe('with CORS_ORIGINS', () => {
    const SHOP = 'https://shop.example';
    let cors: TestGateway;
    beforeAll(async () => {
      cors = await startTestGateway({
        RATE_LIMIT_ENABLED: 'false',
        CORS_ORIGINS: `${SHOP}, http://localhost:3000`,
      });
    });
    afterAll(async () => {
      await cors?.close();
    });

    it('a listed origin is allowed, with credentials, on both surfaces', async () => {
      for (const path of ['/graphql', `${V2}/customers`]) {
        const options = await preflight(cors, path, SHOP);
        expect(options.status).toBe(204);
        expect(options.headers.get('access-control-allow-origin')).toBe(SHOP);
        expect(options.headers.get('access-control-allow-credentials')).toBe('true');
        expect(options.headers.get('access-control-allow-methods')).toContain('POST');
        expect(options.headers.get('access-control-allow-headers')).toMatch(/authorization.*x-wp-nonce/);
        expect(options.headers.get('x-frame-options')).toBe('DENY');
      }
      const read = await cors.request('GET', `${V2}/customers`, {
        headers: { origin: 'http://localhost:3000' },
      });
      expect(read.status).toBe(200);
      expect(read.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
      expect(read.headers.get('access-control-expose-headers')).toContain('x-request-id');
    });

    it('an unlisted origin, or the opaque origin "null", is granted nothing', async () => {
      for (const origin of [EVIL, 'null', `${SHOP}.evil.example`, 'http://shop.example']) {
        const read = await cors.graphql('{ viewer { login } }', undefined, { headers: { origin } });
        expect(read.status).toBe(200);
        expectNoCors(read, `GET from ${origin}`);
        expectNoCors(await preflight(cors, '/graphql', origin), `OPTIONS from ${origin}`);
      }
    });
  });

  it('CORS_ORIGINS takes exact origins: no wildcard, no path; normalized as browsers send them', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(
      loadConfig({ CORS_ORIGINS: 'HTTPS://Shop.Example:443, http://localhost:3000,' }).corsOrigins,
    ).toEqual(['https://shop.example', 'http://localhost:3000']);
    for (const bad of ['*', 'https://shop.example/app', 'shop.example', 'https://*.example', 'https://[']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(ConfigError);
    }
  });
});

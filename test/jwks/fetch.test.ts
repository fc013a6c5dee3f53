import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError, formatUserError } from '../../src/core/errors.js';
import { fetchJwks, parseRetryAfter, tlsOptions, type FetchJwksOptions } from '../../src/jwks/fetch.js';
import { startServer, type Handler, type TestServer } from '../helpers/https-server.js';
import { testLookup } from '../helpers/lookup.js';
import { startConnectProxy, type TestProxy } from '../helpers/proxy.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

const JWKS = JSON.stringify({
  keys: [{ use: 'sig', kty: 'EC', kid: 'd591aa6e01e57ea8b80f349dc5de8517aa7b1f12f77700d89cbdba83938c0c61', crv: 'P-256', alg: 'ES256', x: 'oLZD26lGXDHQBhafGelEfD7e6f3iDcYROV7TlYHtquc', y: 'DxP4R8IH2jHKgDxZRY58iayK2mtXgpWBNs0SkgTXeaU' }],
});
const PATH = '/.well-known/pomerium/jwks.json';

let pki: TestPki;
const servers: { close(): Promise<void> }[] = [];
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(handler: Handler, tls: 'server' | 'untrusted' | null = 'server'): Promise<TestServer> {
  const server = await startServer(tls ? pki[tls] : null, handler);
  servers.push(server);
  return server;
}

const jwksHandler: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', etag: '"abc"', 'last-modified': 'Mon, 30 Nov 2026 00:00:00 GMT' }).end(JWKS);
};

/** The message the CLI would print for a failed fetch. */
async function failure(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(() => null, (e: unknown) => e);
  if (!(err instanceof UserError)) throw new Error(`expected a UserError, got ${String(err)}`);
  return formatUserError(err);
}

function options(over: Partial<FetchJwksOptions> = {}): FetchJwksOptions {
  return { timeoutMs: 5000, retries: 0, retryDelayMs: 10, caPems: [pki.caPem], insecure: false, allowHttp: false, conditionalHeaders: {}, env: {}, lookup: testLookup, ...over };
}

describe('fetchJwks', () => {
  it('fetches the body with its validators, over a certificate from --ca-file', async () => {
    const server = await serve(jwksHandler);
    const result = await fetchJwks(server.origin + PATH, options());
    expect(result).toEqual({ status: 'fetched', body: JWKS, etag: '"abc"', lastModified: 'Mon, 30 Nov 2026 00:00:00 GMT' });
    expect(server.requests[0]?.headers.accept).toBe('application/json');
  });

  it('resolves host names through the given lookup and checks the certificate against them', async () => {
    const server = await serve(jwksHandler);
    const result = await fetchJwks(`https://jwks.test:${server.port}${PATH}`, options());
    expect(result.status).toBe('fetched');
  });

  it('sends If-None-Match / If-Modified-Since and reports a 304', async () => {
    const server = await serve((req, res) => {
      if (req.headers['if-none-match'] === '"abc"') res.writeHead(304).end();
      else jwksHandler(req, res, 0);
    });
    const result = await fetchJwks(server.origin + PATH, options({ conditionalHeaders: { 'if-none-match': '"abc"', 'if-modified-since': 'Mon, 30 Nov 2026 00:00:00 GMT' } }));
    expect(result).toEqual({ status: 'not-modified' });
    expect(server.requests[0]?.headers['if-modified-since']).toBe('Mon, 30 Nov 2026 00:00:00 GMT');
  });

  it('retries 5xx with backoff and succeeds on the third attempt', async () => {
    const server = await serve((req, res, hit) => (hit <= 2 ? res.writeHead(500).end('oops') : jwksHandler(req, res, hit)));
    const result = await fetchJwks(server.origin + PATH, options({ retries: 3 }));
    expect(result.status).toBe('fetched');
    expect(server.requests).toHaveLength(3);
  });

  it('stops after --retries and says how many attempts it made', async () => {
    const server = await serve((_req, res) => res.writeHead(503).end());
    expect(await failure(fetchJwks(server.origin + PATH, options({ retries: 1 })))).toMatch(/HTTP 503.*\(after 2 attempts\)/);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 404', async () => {
    const server = await serve((_req, res) => res.writeHead(404).end());
    expect(await failure(fetchJwks(server.origin + PATH, options({ retries: 3 })))).toMatch(/404/);
    expect(server.requests).toHaveLength(1);
  });

  it('waits as long as Retry-After asks after a 429', async () => {
    const server = await serve((req, res, hit) => (hit === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : jwksHandler(req, res, hit)));
    const started = Date.now();
    const result = await fetchJwks(server.origin + PATH, options({ retries: 1 }));
    expect(result.status).toBe('fetched');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when Retry-After is beyond --timeout', async () => {
    const server = await serve((_req, res) => res.writeHead(429, { 'retry-after': '60' }).end());
    expect(await failure(fetchJwks(server.origin + PATH, options({ retries: 3, timeoutMs: 2000 })))).toMatch(/429/);
    expect(server.requests).toHaveLength(1);
  });

  it('follows a relative redirect on the same scheme', async () => {
    const server = await serve((req, res, hit) => (req.url === '/old' ? res.writeHead(302, { location: PATH }).end() : jwksHandler(req, res, hit)));
    const result = await fetchJwks(`${server.origin}/old`, options());
    expect(result.status).toBe('fetched');
    expect(server.requests.map((r) => r.url)).toEqual(['/old', PATH]);
  });

  it('refuses http:// unless --allow-http, and then fetches it', async () => {
    const server = await serve(jwksHandler, null);
    expect(await failure(fetchJwks(server.origin + PATH, options()))).toMatch(/plain http:\/\/ is refused[\s\S]*hint: .*--allow-http/);
    expect(server.requests).toHaveLength(0);
    expect((await fetchJwks(server.origin + PATH, options({ allowHttp: true }))).status).toBe('fetched');
  });

  it('skips certificate checks only with insecure', async () => {
    const server = await serve(jwksHandler, 'untrusted');
    expect(await failure(fetchJwks(server.origin + PATH, options()))).toMatch(/unknown authority/);
    expect((await fetchJwks(server.origin + PATH, options({ insecure: true }))).status).toBe('fetched');
  });
});

describe('fetchJwks through a proxy', () => {
  let proxy: TestProxy;
  beforeAll(async () => {
    proxy = await startConnectProxy();
    servers.push(proxy);
  });

  it('tunnels through HTTPS_PROXY, trusting --ca-file on the far side', async () => {
    const server = await serve(jwksHandler);
    const before = proxy.tunnels.length;
    const result = await fetchJwks(server.origin + PATH, options({ env: { HTTPS_PROXY: proxy.url } }));
    expect(result.status).toBe('fetched');
    expect(proxy.tunnels.slice(before)).toEqual([`127.0.0.1:${server.port}`]);
  });

  it('lets lowercase https_proxy win, as curl does', async () => {
    const server = await serve(jwksHandler);
    const before = proxy.tunnels.length;
    await fetchJwks(server.origin + PATH, options({ env: { https_proxy: proxy.url, HTTPS_PROXY: 'http://127.0.0.1:1' } }));
    expect(proxy.tunnels.length - before).toBe(1);
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const server = await serve(jwksHandler);
    const before = proxy.tunnels.length;
    const result = await fetchJwks(server.origin + PATH, options({ env: { HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } }));
    expect(result.status).toBe('fetched');
    expect(proxy.tunnels.length).toBe(before);
    expect(server.requests).toHaveLength(1);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Mon, 30 Nov 2026 00:00:10 GMT', Date.parse('2026-11-30T00:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});

describe('tlsOptions', () => {
  const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it('adds --ca-file to Node\'s roots for fetch-jwks (a public certificate still works)', () => {
    const { ca } = tlsOptions({ insecure: false, caPems: [CA] });
    expect(ca).toEqual([...rootCertificates, CA]);
  });

  // grafana/grafana pkg/services/auth/jwt/key_sets.go: `RootCAs: caCertPool`, a new x509.NewCertPool() holding
  // only tls_client_ca's certificates, so Grafana trusts nothing else; explain and doctor --live fetch that way.
  it('trusts the CAs alone when asked (Grafana with tls_client_ca)', () => {
    expect(tlsOptions({ insecure: false, caPems: [CA], onlyCaPems: true })).toEqual({ ca: [CA] });
  });

  it('verifies nothing when insecure, and uses Node\'s roots without CAs', () => {
    expect(tlsOptions({ insecure: true, caPems: [CA], onlyCaPems: true })).toEqual({ rejectUnauthorized: false });
    expect(tlsOptions({ insecure: false, caPems: [], onlyCaPems: true })).toEqual({});
  });
});

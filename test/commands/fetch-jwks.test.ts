import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/commands/fetch-jwks.js';
import { freePort, startServer, startSilentServer, type Handler, type TestServer } from '../helpers/https-server.js';
import { testLookup } from '../helpers/lookup.js';
import { startConnectProxy } from '../helpers/proxy.js';
import { testIo, transcript } from '../helpers/run-command.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

// Pomerium's own test keys (reference pomerium.md 3.2), in the member order Pomerium serves.
const KEY1 = { use: 'sig', kty: 'EC', kid: 'd591aa6e01e57ea8b80f349dc5de8517aa7b1f12f77700d89cbdba83938c0c61', crv: 'P-256', alg: 'ES256', x: 'oLZD26lGXDHQBhafGelEfD7e6f3iDcYROV7TlYHtquc', y: 'DxP4R8IH2jHKgDxZRY58iayK2mtXgpWBNs0SkgTXeaU' };
const KEY1_D = 'F7ROqat0ilhczuzNEMNVvBb3_sRsZSFK1AiNeVOxbc8';
const KEY3 = { use: 'sig', kty: 'EC', kid: 'ccc5bc9d835ff3c8f7075ed4a7510159cf440fd7bf7b517b5caeb1fa419ee6a1', crv: 'P-256', alg: 'ES256', x: 'QCN7adG2AmIK3UdHJvVJkldsUc6XeBRz83Z4rXX8Va4', y: 'PI95b-ary66nrvA55TpaiWADq8b3O1CYIbvjqIHpXCY' };
const SIGNING_KEY_1 =
  'LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUJlMFRxbXJkSXBZWE03c3pSRERWYndXOS83RWJHVWhTdFFJalhsVHNXM1BvQW9HQ0NxR1NNNDkKQXdFSG9VUURRZ0FFb0xaRDI2bEdYREhRQmhhZkdlbEVmRDdlNmYzaURjWVJPVjdUbFlIdHF1Y1BFL2hId2dmYQpNY3FBUEZsRmpueUpySXJhYTFlQ2xZRTJ6UktTQk5kNXBRPT0KLS0tLS1FTkQgRUMgUFJJVkFURSBLRVktLS0tLQo=';
const SHARED_SECRET = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU2Nzg5MCsvQUFBQT0=';
const DERIVED_KID = '8fe3586687bf08a811338e8fd503289e323d1417a1a4aaa368cfaeafe9ae6cc5';

const jwks = (...keys: object[]) => JSON.stringify({ keys });
const PATH = '/.well-known/pomerium/jwks.json';
const OLD = `${jwks(KEY3)}\n`;

let pki: TestPki;
const closers: { close(): Promise<void> }[] = [];
let dir: string;

beforeAll(() => {
  pki = makeTestPki();
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c.close()));
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gp-fetch-'));
});

async function serve(handler: Handler, tls: 'server' | 'untrusted' | 'wrongName' | 'expired' | null = 'server'): Promise<TestServer> {
  const server = await startServer(tls ? pki[tls] : null, handler);
  closers.push(server);
  return server;
}

const publish = (body: string, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(body);
};

async function fetchJwksCli(options: Record<string, unknown>, env: Record<string, string> = {}, now?: () => Date) {
  const io = testIo(dir, env, now);
  return transcript(io, () => run([], { output: 'jwks.json', retries: '0', timeout: '5s', allowPrivate: true, ...options }, io, { retryDelayMs: 5, lookup: testLookup }));
}

const output = () => join(dir, 'jwks.json');
/** How the command names the file in what it prints: as given (`-o jwks.json`). */
const SHOWN = 'jwks.json';
const readOutput = () => readFileSync(output(), 'utf8');

describe('fetch-jwks: faults leave the previous file byte-identical and exit 2', () => {
  const cases: { name: string; setup: () => Promise<Record<string, unknown>>; message: RegExp }[] = [
    { name: 'connection refused', setup: async () => ({ url: `https://127.0.0.1:${await freePort()}${PATH}` }), message: /reason: connection refused by 127\.0\.0\.1:\d+/ },
    { name: 'unknown host', setup: async () => ({ url: `https://nowhere.invalid${PATH}` }), message: /reason: the host name nowhere\.invalid does not resolve/ },
    {
      name: 'connect timeout',
      setup: async () => {
        const silent = await startSilentServer();
        closers.push(silent);
        return { url: `https://127.0.0.1:${silent.port}${PATH}`, timeout: '300ms' };
      },
      message: /reason: no connection to 127\.0\.0\.1:\d+ within 300ms \(connect timeout\)/,
    },
    {
      name: 'server that stalls mid-body',
      setup: async () => ({
        url: (await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' }).write('{"keys":['))).origin + PATH,
        timeout: '400ms',
        caFile: pki.caFile,
      }),
      message: /reason: the server stopped sending in the middle of the body/,
    },
    { name: '404', setup: async () => ({ url: (await serve((_q, r) => r.writeHead(404).end('nope'))).origin + PATH, caFile: pki.caFile }), message: /reason: HTTP 404 Not Found[\s\S]*hint: Pomerium serves its keys at \/\.well-known\/pomerium\/jwks\.json/ },
    { name: '500 every time', setup: async () => ({ url: (await serve((_q, r) => r.writeHead(500).end())).origin + PATH, caFile: pki.caFile, retries: '2' }), message: /reason: HTTP 500: the server failed \(after 3 attempts\)/ },
    { name: '429 with a Retry-After beyond --timeout', setup: async () => ({ url: (await serve((_q, r) => r.writeHead(429, { 'retry-after': '120' }).end())).origin + PATH, caFile: pki.caFile, retries: '3' }), message: /reason: HTTP 429 Too Many Requests/ },
    { name: 'redirect to http', setup: async () => ({ url: (await serve((_q, r) => r.writeHead(302, { location: `http://127.0.0.1:1${PATH}` }).end())).origin + PATH, caFile: pki.caFile, allowHttp: true }), message: /reason: redirected from https to plain http .*downgrade is refused/ },
    { name: 'redirect loop', setup: async () => ({ url: (await serve((q, r) => r.writeHead(302, { location: q.url === '/a' ? '/b' : '/a' }).end())).origin + '/a', caFile: pki.caFile }), message: /reason: redirect loop/ },
    { name: 'untrusted certificate', setup: async () => ({ url: (await serve(publish(jwks(KEY1)))).origin + PATH }), message: /reason: the certificate is signed by an unknown authority \(\w+\)\n  hint: pass --ca-file with your CA, or use --from-signing-key to skip the network/ },
    { name: 'hostname mismatch', setup: async () => ({ url: (await serve(publish(jwks(KEY1)), 'wrongName')).origin + PATH, caFile: pki.caFile }), message: /reason: the certificate is not valid for 127\.0\.0\.1 \(it names DNS:other\.test\) \(ERR_TLS_CERT_ALTNAME_INVALID\)/ },
    { name: 'expired certificate', setup: async () => ({ url: (await serve(publish(jwks(KEY1)), 'expired')).origin + PATH, caFile: pki.caFile }), message: /reason: the server's certificate has expired \(CERT_HAS_EXPIRED\)/ },
    { name: 'HTML instead of JSON', setup: async () => ({ url: (await serve((_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in</html>'))).origin + PATH, caFile: pki.caFile }), message: /reason: the server answered with an HTML page/ },
    { name: 'JSON that is not a JWKS', setup: async () => ({ url: (await serve(publish('["a"]'))).origin + PATH, caFile: pki.caFile }), message: /not usable; nothing was written\n  reason: the JWKS must be a JSON object/ },
    { name: '{"keys":null}', setup: async () => ({ url: (await serve(publish('{"keys":null}'))).origin + PATH, caFile: pki.caFile }), message: /reason: the JWKS has no keys[\s\S]*hint: set signing_key in the Pomerium config .*and restart Pomerium/ },
    { name: 'a set holding a private key', setup: async () => ({ url: (await serve(publish(jwks({ ...KEY1, d: KEY1_D })))).origin + PATH, caFile: pki.caFile }), message: /private members \("d"\)[\s\S]*hint: .*rotate it/ },
    { name: 'a 5 MiB body', setup: async () => ({ url: (await serve(publish(`{"keys":[],"pad":"${'x'.repeat(5 << 20)}"}`))).origin + PATH, caFile: pki.caFile }), message: /reason: the body is larger than 1 MiB/ },
    { name: 'duplicate kids', setup: async () => ({ url: (await serve(publish(jwks(KEY1, { ...KEY3, kid: KEY1.kid })))).origin + PATH, caFile: pki.caFile }), message: /share kid "d591aa6e/ },
    {
      name: 'a body cut short',
      setup: async () => ({
        url: (await serve((_q, r) => {
          r.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
          r.write(jwks(KEY1).slice(0, 50), () => r.socket?.destroy());
        })).origin + PATH,
        caFile: pki.caFile,
      }),
      message: /reason: the connection closed before the whole body arrived/,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      writeFileSync(output(), OLD);
      const result = await fetchJwksCli(await c.setup());
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: (could not fetch JWKS from|the JWKS from) \S+/);
      expect(result.stderr).toMatch(c.message);
      expect(result.stderr).not.toContain(KEY1_D);
      expect(result.stdout).toBe('');
      expect(readOutput()).toBe(OLD);
      expect(readdirSync(dir)).toEqual(['jwks.json']);
    });
  }
});

describe('fetch-jwks --url', () => {
  it('writes the set (mode 0644) and its sidecar, one line per key', async () => {
    const server = await serve(publish(jwks(KEY1), { etag: '"v1"', 'last-modified': 'Sun, 29 Nov 2026 00:00:00 GMT' }));
    const result = await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`added      ${KEY1.kid}  ES256\nwrote ${SHOWN} from ${server.origin}${PATH}\n`);
    expect(readOutput()).toBe(jwks(KEY1));
    expect(statSync(output()).mode & 0o777).toBe(0o644);
    const meta = JSON.parse(readFileSync(`${output()}.meta.json`, 'utf8'));
    expect(meta).toMatchObject({ url: server.origin + PATH, etag: '"v1"', lastModified: 'Sun, 29 Nov 2026 00:00:00 GMT', kids: [KEY1.kid] });
  });

  it('revalidates with If-None-Match; a 304 rewrites nothing', async () => {
    const server = await serve((req, res, hit) => (req.headers['if-none-match'] === '"v1"' ? res.writeHead(304).end() : publish(jwks(KEY1), { etag: '"v1"' })(req, res, hit)));
    await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile });
    const before = statSync(output()).mtimeMs;
    const result = await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile });
    expect(result.code).toBe(0);
    expect(server.requests[1]?.headers['if-none-match']).toBe('"v1"');
    expect(result.stdout).toContain('answered 304 Not Modified');
    expect(result.stdout).toContain(`unchanged  ${KEY1.kid}  ES256`);
    expect(readOutput()).toBe(jwks(KEY1));
    expect(statSync(output()).mtimeMs).toBe(before);
  });

  it('shows a rotation as added and removed keys', async () => {
    let body = jwks(KEY1);
    const server = await serve((req, res, hit) => publish(body)(req, res, hit));
    await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile });
    body = jwks(KEY3);
    const result = await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile });
    expect(result.stdout).toBe(`added      ${KEY3.kid}  ES256\nremoved    ${KEY1.kid}  ES256\nwrote ${SHOWN} from ${server.origin}${PATH}\n`);
  });

  it('skips the network while the cache is younger than --max-age', async () => {
    const server = await serve(publish(jwks(KEY1)));
    await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile });
    const result = await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile, maxAge: '10m' });
    expect(result.stdout).toContain('no request made');
    expect(server.requests).toHaveLength(1);
    const later = await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile, maxAge: '10m' }, {}, () => new Date(Date.now() + 11 * 60_000));
    expect(later.code).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  it('retries: 500, 500, then 200 is a success', async () => {
    const server = await serve((req, res, hit) => (hit <= 2 ? res.writeHead(500).end() : publish(jwks(KEY1))(req, res, hit)));
    const result = await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile, retries: '2' });
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(3);
  });

  it('an untrusted certificate is fixed by --ca-file', async () => {
    const server = await serve(publish(jwks(KEY1)));
    expect((await fetchJwksCli({ url: server.origin + PATH })).code).toBe(2);
    expect((await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile })).code).toBe(0);
  });

  it('--insecure works, with a loud warning every time', async () => {
    const server = await serve(publish(jwks(KEY1)), 'untrusted');
    const result = await fetchJwksCli({ url: server.origin + PATH, insecure: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: --insecure: the server certificate is NOT verified/);
  });

  it('goes through HTTPS_PROXY, and direct for NO_PROXY hosts', async () => {
    const proxy = await startConnectProxy();
    closers.push(proxy);
    const server = await serve(publish(jwks(KEY1)));
    expect((await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile }, { HTTPS_PROXY: proxy.url })).code).toBe(0);
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`]);
    expect((await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile }, { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })).code).toBe(0);
    expect(proxy.tunnels).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('--json reports the same as the lines', async () => {
    const server = await serve(publish(jwks(KEY1)));
    const result = await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile, json: true });
    expect(JSON.parse(result.stdout)).toEqual({
      outcome: 'written',
      output: SHOWN,
      source: server.origin + PATH,
      keys: [{ kid: KEY1.kid, alg: 'ES256', status: 'added' }],
      problems: [],
    });
  });

  it('refuses http:// without --allow-http', async () => {
    const server = await serve(publish(jwks(KEY1)), null);
    const refused = await fetchJwksCli({ url: server.origin + PATH });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('hint: use the https:// URL, or pass --allow-http');
    expect((await fetchJwksCli({ url: server.origin + PATH, allowHttp: true })).code).toBe(0);
  });
});

describe('fetch-jwks sources', () => {
  it('--pomerium fetches from the Grafana route host', async () => {
    const server = await serve(publish(jwks(KEY1)));
    writeFileSync(join(dir, 'pomerium.yaml'), `routes:\n  - from: https://jwks.test:${server.port}\n    to: http://grafana:3000\n`);
    const result = await fetchJwksCli({ pomerium: 'pomerium.yaml', caFile: pki.caFile });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`from https://jwks.test:${server.port}${PATH}`);
    expect(server.requests[0]?.url).toBe(PATH);
  });

  it('--grafana fetches its jwk_set_url', async () => {
    const server = await serve(publish(jwks(KEY1)));
    writeFileSync(join(dir, 'grafana.ini'), `[auth.jwt]\nenabled = true\njwk_set_url = ${server.origin}${PATH}\n`);
    expect((await fetchJwksCli({ grafana: 'grafana.ini', caFile: pki.caFile })).code).toBe(0);
    expect(readOutput()).toBe(jwks(KEY1));
  });

  it('--from-signing-key writes exactly the set a server publishing that key serves', async () => {
    const server = await serve(publish(jwks(KEY1)));
    await fetchJwksCli({ url: server.origin + PATH, caFile: pki.caFile, output: 'fetched.json' });
    writeFileSync(join(dir, 'pomerium.yaml'), `signing_key: ${SIGNING_KEY_1}\nroutes:\n  - from: https://grafana.test\n    to: http://grafana:3000\n`);
    const result = await fetchJwksCli({ pomerium: 'pomerium.yaml', fromSigningKey: true });
    expect(result.code).toBe(0);
    expect(readOutput()).toBe(readFileSync(join(dir, 'fetched.json'), 'utf8'));
    expect(result.stdout + result.stderr).not.toContain(SIGNING_KEY_1);
  });

  it('--from-signing-key derives from shared_secret on v0.33+', async () => {
    writeFileSync(join(dir, 'pomerium.yaml'), `shared_secret: ${SHARED_SECRET}\nroutes:\n  - from: https://grafana.test\n    to: http://grafana:3000\n`);
    const result = await fetchJwksCli({ pomerium: 'pomerium.yaml', fromSigningKey: true });
    expect(result.stdout).toBe(`added      ${DERIVED_KID}  ES256\nwrote ${SHOWN} from shared_secret in pomerium.yaml\n`);
    expect(JSON.parse(readOutput()).keys[0]).toEqual({ use: 'sig', kty: 'EC', kid: DERIVED_KID, crv: 'P-256', alg: 'ES256', x: '2EUdBs4O1nfxBWQ2AIZRnFih9sBmSKp0vhRvcWljmqI', y: '8ZgSEqCTI_aHDZmWge3UwSDzgc-a00EEccKN3oMcyuU' });
    const old = await fetchJwksCli({ pomerium: 'pomerium.yaml', fromSigningKey: true, pomeriumVersion: '0.32.0', output: 'old.json' });
    expect(old.code).toBe(2);
    expect(old.stderr).toContain('no JWKS can be derived');
    expect(old.stderr).not.toContain(SHARED_SECRET);
  });

  it('refuses an ambiguous or missing source', async () => {
    expect((await fetchJwksCli({})).stderr).toContain('no source for the keys');
    expect((await fetchJwksCli({ url: 'https://a.test', grafana: 'g.ini' })).stderr).toContain('--url and --grafana cannot be combined');
    expect((await fetchJwksCli({ url: 'https://a.test', fromSigningKey: true })).stderr).toContain('--from-signing-key reads the Pomerium config');
    expect((await fetchJwksCli({ url: 'https://a.test', timeout: '5' })).stderr).toContain('--timeout "5" is not a duration');
  });
});

describe('fetch-jwks --check', () => {
  it('exits 0 when the file matches, 1 when it differs, is missing, invalid or stale; writes nothing', async () => {
    let body = jwks(KEY1);
    const server = await serve((req, res, hit) => publish(body)(req, res, hit));
    const url = server.origin + PATH;
    const missing = await fetchJwksCli({ url, caFile: pki.caFile, check: true });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('is missing');

    const fetchedAt = Date.now();
    await fetchJwksCli({ url, caFile: pki.caFile }, {}, () => new Date(fetchedAt));
    const match = await fetchJwksCli({ url, caFile: pki.caFile, check: true });
    expect(match).toMatchObject({ code: 0, stdout: `unchanged  ${KEY1.kid}  ES256\n${SHOWN} matches ${url}\n` });

    body = jwks(KEY1, KEY3);
    const differs = await fetchJwksCli({ url, caFile: pki.caFile, check: true });
    expect(differs.code).toBe(1);
    expect(differs.stdout).toContain(`added      ${KEY3.kid}  ES256`);
    expect(readOutput()).toBe(jwks(KEY1));

    body = jwks(KEY1);
    const stale = await fetchJwksCli({ url, caFile: pki.caFile, check: true, maxAge: '10m' }, {}, () => new Date(fetchedAt + 3_600_000));
    expect(stale.code).toBe(1);
    // 1h plus the seconds a slow machine takes between the fetch above and this check.
    expect(stale.stdout).toMatch(new RegExp(`is older than --max-age\\n  ${SHOWN.replace('.', '\\.')} was last refreshed 1h(\\d+s)? ago, more than --max-age 10m\\n`));

    writeFileSync(output(), jwks({ ...KEY1, d: KEY1_D }));
    const invalid = await fetchJwksCli({ url, caFile: pki.caFile, check: true });
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('is not a valid public JWKS');
    expect(invalid.stdout).not.toContain(KEY1_D);
  });

  it('exits 2 when the source cannot be reached', async () => {
    writeFileSync(output(), jwks(KEY1));
    const result = await fetchJwksCli({ url: `https://127.0.0.1:${await freePort()}${PATH}`, check: true });
    expect(result.code).toBe(2);
  });
});

describe('fetch-jwks --ca-file', () => {
  it('names a CA file that is not there as missing (not as a missing folder), before any fetch', async () => {
    const result = await fetchJwksCli({ url: `https://127.0.0.1:1${PATH}`, caFile: 'nope.pem' });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'error: cannot read CA file nope.pem: no such file\n' });
  });
});

// Issue 11 items 9, 12, 17, 18, 19: fetches of URLs from configs, against real servers on 127.0.0.1.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as doctor } from '../../src/commands/doctor.js';
import { run as fetchJwks } from '../../src/commands/fetch-jwks.js';
import { freePort, startServer, type Handler, type TestServer } from '../helpers/https-server.js';
import { testLookup } from '../helpers/lookup.js';
import { testIo, transcript } from '../helpers/run-command.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

// Pomerium's test key 1 (reference pomerium.md 3.2).
const KEY1 = { use: 'sig', kty: 'EC', kid: 'd591aa6e01e57ea8b80f349dc5de8517aa7b1f12f77700d89cbdba83938c0c61', crv: 'P-256', alg: 'ES256', x: 'oLZD26lGXDHQBhafGelEfD7e6f3iDcYROV7TlYHtquc', y: 'DxP4R8IH2jHKgDxZRY58iayK2mtXgpWBNs0SkgTXeaU' };
const BODY = JSON.stringify({ keys: [KEY1] });
const PATH = '/.well-known/pomerium/jwks.json';
const BASE = new URL('../fixtures/rules/_base/', import.meta.url).pathname;
const BASE_INI = readFileSync(join(BASE, 'grafana.ini'), 'utf8');
const BASE_YAML = readFileSync(join(BASE, 'pomerium.yaml'), 'utf8');

let pki: TestPki;
const closers: { close(): Promise<void> }[] = [];
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c.close()));
});

async function serve(handler: Handler, tls = true): Promise<TestServer> {
  const server = await startServer(tls ? pki.server : null, handler);
  closers.push(server);
  return server;
}
const publish: Handler = (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(BODY);

async function fetchCli(dir: string, options: Record<string, unknown>, env: Record<string, string> = {}, now?: () => Date) {
  const io = testIo(dir, env, now);
  return transcript(io, () => fetchJwks([], { output: 'jwks.json', retries: '0', timeout: '5s', caFile: pki.caFile, ...options }, io, { retryDelayMs: 5, lookup: testLookup }));
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'gp-net-'));

describe('item 19: addresses from configs', () => {
  it('refuses loopback without --allow-private, before any request', async () => {
    const server = await serve(publish);
    const t = await fetchCli(tempDir(), { url: server.origin + PATH });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('127.0.0.1 is a loopback or private address; pass --allow-private');
    expect(server.requests).toHaveLength(0);
    expect((await fetchCli(tempDir(), { url: server.origin + PATH, allowPrivate: true })).code).toBe(0);
  });

  it('refuses a redirect to a metadata address even with --allow-private (checked after every redirect)', async () => {
    const server = await serve((_req, res) => void res.writeHead(302, { location: 'https://169.254.169.254/latest/meta-data/' }).end());
    const t = await fetchCli(tempDir(), { url: server.origin + PATH, allowPrivate: true });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('169.254.169.254 is a link-local address');
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a name that resolves to a private address, and the IPv6 metadata address', async () => {
    const server = await serve(publish);
    const t = await fetchCli(tempDir(), { url: `https://jwks.test:${server.port}${PATH}` });
    expect(t.stderr).toContain('jwks.test resolves to 127.0.0.1 is a loopback or private address');
    const v6 = await fetchCli(tempDir(), { url: 'https://[fd00:ec2::254]/latest/meta-data/', allowPrivate: true });
    expect(v6.stderr).toContain('link-local');
  });

  it('doctor --live does not fetch a loopback jwk_set_url without --allow-private', async () => {
    const server = await serve(publish);
    const dir = tempDir();
    writeFileSync(join(dir, 'pomerium.yaml'), BASE_YAML);
    writeFileSync(join(dir, 'grafana.ini'), BASE_INI.replace('https://grafana.example.com/.well-known/pomerium/jwks.json', server.origin + PATH) + `[auth.jwt]\ntls_client_ca = ${pki.caFile}\n`);
    const io = testIo(dir);
    await transcript(io, () => doctor([], { grafana: 'grafana.ini', pomerium: 'pomerium.yaml', live: true, format: 'json', failLevel: 'none' }, io));
    expect(server.requests).toHaveLength(0);
  });
});

describe('item 17: doctor --live honours the top-level app_mode = development for an http jwk_set_url', () => {
  it('fetches over http when app_mode = development is at the top of grafana.ini, not when it is under [auth.jwt]', async () => {
    const server = await serve(publish, false);
    const ini = (appMode: string) => `${appMode}${BASE_INI.replace('https://grafana.example.com/.well-known/pomerium/jwks.json', server.origin + PATH)}`;
    for (const [text, fetched] of [[ini('app_mode = development\n'), 1], [ini('').replace('[auth.jwt]\n', '[auth.jwt]\napp_mode = development\n'), 0]] as const) {
      const before = server.requests.length;
      const dir = tempDir();
      writeFileSync(join(dir, 'pomerium.yaml'), BASE_YAML);
      writeFileSync(join(dir, 'grafana.ini'), text);
      const io = testIo(dir);
      // Grafana: `urlParsed.Scheme != "https" && s.Cfg.Env != setting.Dev` (grafana/grafana pkg/services/auth/jwt/key_sets.go,
      // newHTTPKeySet), with cfg.Env from the default section's app_mode (pkg/setting/setting.go).
      await transcript(io, () => doctor([], { grafana: 'grafana.ini', pomerium: 'pomerium.yaml', live: true, allowPrivate: true, format: 'json', failLevel: 'none' }, io));
      expect(server.requests.length - before).toBe(fetched);
    }
  });
});

describe('item 12: credentials in the JWKS URL', () => {
  it('are redacted in the output and never stored in the sidecar', async () => {
    const server = await serve(publish);
    const dir = tempDir();
    const url = `https://user:URLPASSWORD@jwks.test:${server.port}${PATH}?access_token=QUERYTOKEN`;
    for (const json of [false, true]) {
      const t = await fetchCli(dir, { url, allowPrivate: true, json });
      expect(t.code).toBe(0);
      expect(t.stdout + t.stderr).not.toMatch(/URLPASSWORD|QUERYTOKEN/);
    }
    expect(readFileSync(join(dir, 'jwks.json.meta.json'), 'utf8')).not.toMatch(/URLPASSWORD|QUERYTOKEN/);
    const missing = await serve((_req, res) => void res.writeHead(404).end());
    const failed = await fetchCli(dir, { url: url.replace(`:${server.port}`, `:${missing.port}`), allowPrivate: true });
    expect(failed.code).toBe(2);
    expect(failed.stdout + failed.stderr).not.toMatch(/URLPASSWORD|QUERYTOKEN/);
  });
});

describe('item 18: a failing proxy', () => {
  it('is named as the proxy, without its credentials', async () => {
    const port = await freePort();
    const t = await fetchCli(tempDir(), { url: `https://jwks.test:443${PATH}`, allowPrivate: true }, { HTTPS_PROXY: `http://proxyuser:PROXYPASS@127.0.0.1:${port}` });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain(`connection refused by the proxy http://****@127.0.0.1:${port}`);
    expect(t.stderr).not.toContain('PROXYPASS');
  });
});

describe('item 9: a sidecar fetchedAt in the future', () => {
  it('is stale: --max-age fetches again, and --check --max-age fails', async () => {
    const server = await serve(publish);
    const dir = tempDir();
    const url = server.origin + PATH;
    await fetchCli(dir, { url, allowPrivate: true }, {}, () => new Date(Date.now() + 86_400_000)); // a clock a day ahead
    expect(server.requests).toHaveLength(1);
    const again = await fetchCli(dir, { url, allowPrivate: true, maxAge: '10m' });
    expect(again.stdout).not.toContain('fetched within --max-age');
    expect(server.requests).toHaveLength(2);
    await fetchCli(dir, { url, allowPrivate: true }, {}, () => new Date(Date.now() + 86_400_000));
    const check = await fetchCli(dir, { url, allowPrivate: true, maxAge: '10m', check: true });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('in the future');
    expect(readdirSync(dir).sort()).toEqual(['jwks.json', 'jwks.json.meta.json']);
  });
});

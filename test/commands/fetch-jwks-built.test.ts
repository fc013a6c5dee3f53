// fetch-jwks through the shipped bundle (dist/), against a real HTTPS server and a real CONNECT
// proxy on 127.0.0.1: the in-process tests run the TypeScript sources, and a bundling mistake
// (undici is CommonJS inside an ESM bundle) only shows here.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/https-server.js';
import { startConnectProxy, type TestProxy } from '../helpers/proxy.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

const BIN = new URL('../../bin/grafana-pomerium.js', import.meta.url).pathname;
const KEY = { use: 'sig', kty: 'EC', kid: 'ccc5bc9d835ff3c8f7075ed4a7510159cf440fd7bf7b517b5caeb1fa419ee6a1', crv: 'P-256', alg: 'ES256', x: 'QCN7adG2AmIK3UdHJvVJkldsUc6XeBRz83Z4rXX8Va4', y: 'PI95b-ary66nrvA55TpaiWADq8b3O1CYIbvjqIHpXCY' };
const BODY = JSON.stringify({ keys: [KEY] });

let pki: TestPki;
let server: TestServer;
let proxy: TestProxy;

beforeAll(async () => {
  pki = makeTestPki();
  server = await startServer(pki.server, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(BODY));
  proxy = await startConnectProxy();
});
afterAll(async () => {
  await server.close();
  await proxy.close();
});

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = { ...process.env };
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'NODE_EXTRA_CA_CERTS']) delete base[name];
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...base, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('fetch-jwks, built CLI', () => {
  it('fetches over HTTPS with --ca-file and writes the set', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gp-built-')), 'jwks.json');
    const r = await cli(['fetch-jwks', '--allow-private', '--url', `${server.origin}/.well-known/pomerium/jwks.json`, '--ca-file', pki.caFile, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(BODY);
    expect(r.stdout).toContain(`added      ${KEY.kid}  ES256`);
  });

  it('goes through HTTPS_PROXY', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gp-built-')), 'jwks.json');
    const before = proxy.tunnels.length;
    const r = await cli(['fetch-jwks', '--allow-private', '--url', `${server.origin}/.well-known/pomerium/jwks.json`, '--ca-file', pki.caFile, '-o', out], {
      HTTPS_PROXY: proxy.url,
    });
    expect(r.code).toBe(0);
    expect(proxy.tunnels.length).toBe(before + 1);
  });

  it('says the certificate is unknown without --ca-file (exit 2, nothing written)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-built-'));
    const r = await cli(['fetch-jwks', '--allow-private', '--url', `${server.origin}/.well-known/pomerium/jwks.json`, '--retries', '0', '-o', join(dir, 'jwks.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown authority/);
    expect(r.stderr).toMatch(/--ca-file/);
  });
});

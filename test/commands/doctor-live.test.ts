// doctor --live against a real HTTPS server on 127.0.0.1 (certificates made at test time): the
// jwk_set_url Grafana would fetch must hold the kid Pomerium signs with; an unreachable URL is
// "could not check", not "invalid".
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/commands/doctor.js';
import { pomeriumSigningJwks } from '../../src/jwks/derive.js';
import { freePort, startServer, type TestServer } from '../helpers/https-server.js';
import { testIo, transcript } from '../helpers/run-command.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

const BASE = new URL('../fixtures/rules/_base/', import.meta.url).pathname;
const BASE_INI = readFileSync(join(BASE, 'grafana.ini'), 'utf8');
const BASE_YAML = readFileSync(join(BASE, 'pomerium.yaml'), 'utf8');
const SIGNING_KEY = /^signing_key: (\S+)$/m.exec(BASE_YAML)![1]!;
const PATH = '/.well-known/pomerium/jwks.json';
// Pomerium's docs example key (reference pomerium.md 3.2): a valid key, but not this config's.
const OTHER = { use: 'sig', kty: 'EC', kid: 'ccc5bc9d835ff3c8f7075ed4a7510159cf440fd7bf7b517b5caeb1fa419ee6a1', crv: 'P-256', alg: 'ES256', x: 'QCN7adG2AmIK3UdHJvVJkldsUc6XeBRz83Z4rXX8Va4', y: 'PI95b-ary66nrvA55TpaiWADq8b3O1CYIbvjqIHpXCY' };

let pki: TestPki;
let server: TestServer;
let body = '';

beforeAll(async () => {
  pki = makeTestPki();
  server = await startServer(pki.server, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
});
afterAll(() => server.close());

async function live(url: string, trust = `tls_client_ca = ${pki.caFile}`, grafanaVersion?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'gp-live-'));
  // Grafana trusts the test CA through tls_client_ca (by default), and so does --live.
  const ini = BASE_INI.replace(/^jwk_set_url = .*$/m, `jwk_set_url = ${url}\n${trust}`);
  writeFileSync(join(dir, 'grafana.ini'), ini);
  writeFileSync(join(dir, 'pomerium.yaml'), BASE_YAML);
  const io = testIo(dir);
  const versions = grafanaVersion ? { grafanaVersion } : {};
  const t = await transcript(io, () => run([], { grafana: 'grafana.ini', pomerium: 'pomerium.yaml', live: true, allowPrivate: true, format: 'json', failLevel: 'error', ...versions }, io));
  const served = (JSON.parse(t.stdout).findings as { ruleId: string; severity: string; message: string }[]).filter((f) => f.ruleId === 'cross/served-jwks');
  return { code: t.code, served };
}

describe('doctor --live', () => {
  it('is quiet when the served set holds the signing kid', async () => {
    const derived = pomeriumSigningJwks({ signingKey: SIGNING_KEY, pomeriumVersion: '0.33.1' });
    if ('error' in derived) throw new Error(derived.error);
    body = JSON.stringify(derived.jwks);
    expect(await live(`${server.origin}${PATH}`)).toEqual({ code: 0, served: [] });
  });

  it('is an error when the served set lacks it (a stale or foreign set)', async () => {
    body = JSON.stringify({ keys: [OTHER] });
    const { code, served } = await live(`${server.origin}${PATH}`);
    expect(code).toBe(1);
    expect(served).toHaveLength(1);
    expect(served[0]!.severity).toBe('error');
    expect(served[0]!.message).toContain('does not hold the key this config signs with');
  });

  // grafana/grafana pkg/services/auth/jwt/key_sets.go: InsecureSkipVerify from tls_skip_verify_insecure (read
  // from 11.6.0), RootCAs from tls_client_ca (read from 12.2.0; a release before it ignores the key).
  it('fetches without verifying the certificate, as Grafana does, with tls_skip_verify_insecure = true', async () => {
    const derived = pomeriumSigningJwks({ signingKey: SIGNING_KEY, pomeriumVersion: '0.33.1' });
    if ('error' in derived) throw new Error(derived.error);
    body = JSON.stringify(derived.jwks);
    // Fetched and checked: no "could not check" (grafana/tls-skip-verify reports the setting itself).
    expect((await live(`${server.origin}${PATH}`, 'tls_skip_verify_insecure = true')).served).toEqual([]);
  });

  it('does not trust tls_client_ca on a Grafana release that does not read it (12.1): could not check', async () => {
    const { served } = await live(`${server.origin}${PATH}`, `tls_client_ca = ${pki.caFile}`, '12.1.0');
    expect(served.map((f) => [f.severity, /unknown authority|self.signed|unable to verify/i.test(f.message)])).toEqual([['info', true]]);
  });

  it('is "could not check" (info) when nothing answers', async () => {
    const { code, served } = await live(`https://127.0.0.1:${await freePort()}${PATH}`);
    expect(code).toBe(0);
    expect(served.map((f) => [f.severity, f.message.startsWith('could not check the served JWKS')])).toEqual([['info', true]]);
  });
});

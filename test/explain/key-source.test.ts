// explain fetches grafana.ini's jwk_set_url as Grafana's key-set client does (grafana/grafana
// pkg/services/auth/jwt/key_sets.go, initKeySet at f31913d7: RootCAs from tls_client_ca, InsecureSkipVerify
// from tls_skip_verify_insecure, https unless app_mode = development), against a real HTTPS server on
// 127.0.0.1 whose certificate is signed by a private CA made at test time.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as explain } from '../../src/commands/explain.js';
import { run as mint } from '../../src/commands/mint.js';
import { run as fetchJwks } from '../../src/commands/fetch-jwks.js';
import { startServer, type TestServer } from '../helpers/https-server.js';
import { testIo, transcript } from '../helpers/run-command.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

const SHARED_SECRET = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU2Nzg5MCsvQUFBQT0=';
const NOW = new Date('2026-11-30T12:00:00Z');

let dir: string;
let pki: TestPki;
let server: TestServer;
let token: string;
const io = () => testIo(dir, {}, () => NOW);

const ini = (extra: string) => `[auth.jwt]
enabled = true
header_name = X-Pomerium-Jwt-Assertion
email_claim = email
jwk_set_url = ${server.origin}/.well-known/pomerium/jwks.json
${extra}
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gp-explain-keys-'));
  writeFileSync(join(dir, 'pomerium.yaml'), `shared_secret: ${SHARED_SECRET}\nroutes:\n  - from: https://grafana.example.com\n    to: http://grafana:3000\n    pass_identity_headers: true\n`);
  let t = io();
  const fetched = await transcript(t, () => fetchJwks([], { pomerium: 'pomerium.yaml', fromSigningKey: true, output: 'jwks.json', timeout: '30s', retries: '3' }, t));
  expect(fetched.code).toBe(0);
  t = io();
  const minted = await transcript(t, () => mint([], { pomerium: 'pomerium.yaml', email: 'alice@example.com', ttl: '5m' }, t));
  token = minted.stdout.trim();
  pki = makeTestPki();
  copyFileSync(pki.caFile, join(dir, 'ca.pem'));
  const { readFileSync } = await import('node:fs');
  const jwks = readFileSync(join(dir, 'jwks.json'), 'utf8');
  server = await startServer(pki.server, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(jwks);
  });
});
afterAll(async () => server?.close());

async function run(iniText: string, flags: Record<string, unknown> = {}) {
  writeFileSync(join(dir, 'grafana.ini'), iniText);
  const t = io();
  return transcript(t, () => explain([token], { grafana: 'grafana.ini', ...flags }, t));
}

describe('explain reads jwk_set_url as Grafana would', () => {
  it('trusts [auth.jwt] tls_client_ca (relative to grafana.ini) and says so in the key step', async () => {
    const r = await run(ini('tls_client_ca = ca.pem'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok {4}key +kid \S+: 1 matching key in jwk_set_url \S+ \(trusting \[auth\.jwt\] tls_client_ca ca\.pem\)/);
  });

  it('shows tls_skip_verify_insecure = true as such, and fetches without a CA', async () => {
    const r = await run(ini('tls_skip_verify_insecure = true'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(certificate not verified: [auth.jwt] tls_skip_verify_insecure = true)');
  });

  it('applies --ca-file to the jwk_set_url it fetches, not only to --url', async () => {
    const r = await run(ini(''), { caFile: 'ca.pem' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(trusting --ca-file)');
  });

  it('says when --ca-file is not used because nothing is fetched (--jwks)', async () => {
    const r = await run(ini(''), { caFile: 'ca.pem', jwks: 'jwks.json' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: --ca-file ca.pem is not used: the key set comes from --jwks, and nothing is fetched\n');
  });

  it('a tls_client_ca that is not here: exit 2, and the hint names flags explain has', async () => {
    const r = await run(ini('tls_client_ca = /etc/grafana/ca.pem'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[auth.jwt] tls_client_ca /etc/grafana/ca.pem is not here');
    expect(r.stderr).toContain('hint: pass the same CA with --ca-file, or the set Grafana has with --jwks');
    // --ca-file stands in for the container's path.
    expect((await run(ini('tls_client_ca = /etc/grafana/ca.pem'), { caFile: 'ca.pem' })).code).toBe(0);
  });

  it('without the private CA the fetch fails, and the hint names --ca-file, --jwks and --pomerium, not fetch-jwks flags', async () => {
    const r = await run(ini(''));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('certificate is signed by an unknown authority');
    expect(r.stderr).toContain('hint: pass --ca-file with your CA, or give the set with --jwks, or derive it from the Pomerium config with --pomerium');
    expect(r.stderr).not.toContain('--from-signing-key');
  });

  it('refuses an http:// jwk_set_url unless app_mode = development, with Grafana\'s own words', async () => {
    writeFileSync(join(dir, 'grafana.ini'), ini('').replace('https://', 'http://'));
    const t = io();
    const r = await transcript(t, () => explain([token], { grafana: 'grafana.ini' }, t));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('jwt_set_url must have https scheme');
  });
});

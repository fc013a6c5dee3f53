import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as explain } from '../../src/commands/explain.js';
import { run as fetchJwks } from '../../src/commands/fetch-jwks.js';
import { run as mint } from '../../src/commands/mint.js';
import { startServer, type TestServer } from '../helpers/https-server.js';
import { testIo, transcript } from '../helpers/run-command.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

// pomerium.md 3.2 vector 4: this shared_secret derives the key with kid 8fe3...
const SHARED_SECRET = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU2Nzg5MCsvQUFBQT0=';
const KID = '8fe3586687bf08a811338e8fd503289e323d1417a1a4aaa368cfaeafe9ae6cc5';
const NOW = new Date('2026-11-30T12:00:00Z');

const POMERIUM_YAML = `shared_secret: ${SHARED_SECRET}
jwt_claims_headers: [email, groups, given_name]
routes:
  - from: https://grafana.example.com
    to: http://grafana:3000
    pass_identity_headers: true
`;
const GRAFANA_INI = `[auth.jwt]
enabled = true
header_name = X-Pomerium-Jwt-Assertion
email_claim = email
username_claim = user
jwk_set_file = jwks.json
role_attribute_path = contains(groups[*], 'admins') && 'Editor' || 'Viewer'
auto_sign_up = true
`;

let dir: string;
const io = () => testIo(dir, {}, () => NOW);

async function mintToken(...extra: string[]): Promise<string> {
  const t = io();
  const r = await transcript(t, () => mint([], { pomerium: 'pomerium.yaml', email: 'alice@example.com', sub: 'user-1', groups: 'admins,ops', name: 'Alice', ...Object.fromEntries(extra.map((e) => e.split('=') as [string, string])) }, t));
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gp-explain-'));
  writeFileSync(join(dir, 'pomerium.yaml'), POMERIUM_YAML);
  writeFileSync(join(dir, 'grafana.ini'), GRAFANA_INI);
  // grafana.ini's jwk_set_file: the set `fetch-jwks --from-signing-key` derives from the same config.
  const t = io();
  const fetched = await transcript(t, () => fetchJwks([], { pomerium: 'pomerium.yaml', fromSigningKey: true, output: 'jwks.json', timeout: '30s', retries: '3' }, t));
  expect(fetched.code).toBe(0);
});

describe('mint', () => {
  it('prints a token with the header and claims Pomerium sends on the route, and says it is for testing', async () => {
    const t = io();
    const r = await transcript(t, () => mint([], { pomerium: 'pomerium.yaml', email: 'alice@example.com', sub: 'user-1', groups: 'admins,ops', claim: ['given_name=Alice'] }, t));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('this token is for testing');
    expect(r.stderr).not.toContain(SHARED_SECRET);
    const token = r.stdout.trim();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: KID, typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(Object.keys(claims)).toEqual(['aud', 'email', 'exp', 'given_name', 'groups', 'iat', 'iss', 'jti', 'name', 'sid', 'sub', 'user']);
    expect(claims).toMatchObject({
      iss: 'grafana.example.com',
      aud: 'grafana.example.com',
      iat: NOW.getTime() / 1000,
      exp: NOW.getTime() / 1000 + 300,
      sub: 'user-1',
      user: 'user-1',
      email: 'alice@example.com',
      groups: ['admins', 'ops'],
      given_name: 'Alice',
      name: '',
    });
  });

  it('refuses to run without a signing key in the config', async () => {
    writeFileSync(join(dir, 'nokey.yaml'), 'routes:\n  - from: https://grafana.example.com\n    to: http://grafana:3000\n');
    const t = io();
    const r = await transcript(t, () => mint([], { pomerium: 'nokey.yaml', email: 'alice@example.com' }, t));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no signing key to mint with: neither signing_key nor shared_secret is set');
    expect(r.stdout).toBe('');
  });

  it('its token verifies against the set fetch-jwks --from-signing-key derives', async () => {
    expect(readFileSync(join(dir, 'jwks.json'), 'utf8')).toContain(KID);

    const token = await mintToken();
    const t = io();
    const r = await transcript(t, () => explain([token], { grafana: 'grafana.ini' }, t));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ok    key            kid ${KID}: 1 matching key in jwk_set_file jwks.json`);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('Grafana signs in alice@example.com (login user-1) as Editor in org 1');
  });

  describe('against the test HTTPS server serving the same JWKS', () => {
    let pki: TestPki;
    let server: TestServer;
    beforeAll(async () => {
      pki = makeTestPki();
      const jwks = readFileSync(join(dir, 'jwks.json'), 'utf8');
      server = await startServer(pki.server, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(jwks);
      });
    });
    afterAll(async () => server?.close());

    it('verifies the minted token with the keys fetched over https', async () => {
      const token = await mintToken();
      const t = io();
      const url = `${server.origin}/.well-known/pomerium/jwks.json`;
      const r = await transcript(t, () => explain([token], { grafana: 'grafana.ini', url, caFile: pki.caFile, json: true }, t));
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.verdict).toBe('accepted');
      expect(out.steps.find((s: { step: string }) => s.step === 'signature').ok).toBe(true);
    });
  });
});

describe('explain command', () => {
  it('fails the header step when the Pomerium config strips the header on the token\'s route', async () => {
    const token = await mintToken();
    writeFileSync(join(dir, 'stripping.yaml'), POMERIUM_YAML.replace('    pass_identity_headers: true\n', ''));
    const t = io();
    const r = await transcript(t, () => explain([token], { grafana: 'grafana.ini', pomerium: 'stripping.yaml', json: true }, t));
    expect(r.code).toBe(1);
    const header = JSON.parse(r.stdout).steps.find((s: { step: string }) => s.step === 'header');
    expect(header).toEqual({ step: 'header', ok: false, detail: 'Pomerium strips X-Pomerium-Jwt-Assertion on the route https://grafana.example.com (stripping.yaml:4:11): pass_identity_headers is not set to true, so Grafana never sees the token' });
  });

  it('says a path given as the token is a file, and how to pass its content', async () => {
    writeFileSync(join(dir, 'token.jwt'), await mintToken());
    const t = io();
    await expect(explain(['token.jwt'], { grafana: 'grafana.ini' }, t)).rejects.toThrow('token.jwt is a file, not a token');
  });

  it('prints the --json contract and never the token or its signature', async () => {
    const token = await mintToken();
    const t = io();
    const r = await transcript(t, () => explain([`X-Pomerium-Jwt-Assertion: ${token}`], { grafana: 'grafana.ini', pomerium: 'pomerium.yaml', json: true }, t));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['verdict', 'outcome', 'login', 'email', 'name', 'role', 'orgId', 'orgRoles', 'grafanaAdmin', 'groups', 'steps', 'advice']);
    // grafanaAdmin null: allow_assign_grafana_admin is off, so Authenticate leaves IsGrafanaAdmin nil
    // (grafana/grafana pkg/services/authn/clients/jwt.go, JWT.Authenticate, newest read).
    expect(out).toMatchObject({ verdict: 'accepted', outcome: 'accepted', login: 'user-1', email: 'alice@example.com', name: 'Alice', role: 'Editor', orgId: 1, orgRoles: { 1: 'Editor' }, grafanaAdmin: null, groups: null, advice: [] });
    expect(out.steps.map((s: { step: string }) => s.step)).toEqual(['header', 'token', 'sub', 'key', 'signature', 'time', 'expect_claims', 'login/email', 'name', 'role', 'sign-up']);
    const [, , signature] = token.split('.');
    expect(r.stdout).not.toContain(signature);
    expect(r.stdout).not.toContain(token);
  });

  it('reads the token from stdin and shows the claims, not the token', async () => {
    const token = await mintToken();
    const t = { ...io(), readStdin: async () => `Bearer ${token}\n` };
    const r = await transcript(t, () => explain(['-'], { grafana: 'grafana.ini', pomerium: 'pomerium.yaml' }, t));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"email": "alice@example.com"');
    expect(r.stdout).not.toContain(token.split('.')[2]);
  });

  it('exits 1 with the rotation hint when the JWKS file predates the signing key', async () => {
    writeFileSync(join(dir, 'old-jwks.json'), JSON.stringify({ keys: [{ use: 'sig', kty: 'EC', kid: 'd591aa6e01e57ea8b80f349dc5de8517aa7b1f12f77700d89cbdba83938c0c61', crv: 'P-256', alg: 'ES256', x: 'oLZD26lGXDHQBhafGelEfD7e6f3iDcYROV7TlYHtquc', y: 'DxP4R8IH2jHKgDxZRY58iayK2mtXgpWBNs0SkgTXeaU' }] }));
    const token = await mintToken();
    const t = io();
    const r = await transcript(t, () => explain([token], { grafana: 'grafana.ini', jwks: 'old-jwks.json', pomerium: 'pomerium.yaml' }, t));
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(new RegExp(`^Grafana rejects this token: --jwks old-jwks.json has no key with kid ${KID} .*the set was fetched before the signing key rotated`));
  });

  it('checks the times at --at', async () => {
    const token = await mintToken();
    const t = io();
    const r = await transcript(t, () => explain([token], { grafana: 'grafana.ini', pomerium: 'pomerium.yaml', at: '2026-11-30T12:06:01Z' }, t));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('token is expired (exp): it expired 1m1s ago');
  });

  it('exits 2 with file:line:col when grafana.ini does not load', async () => {
    writeFileSync(join(dir, 'broken.ini'), '[auth.jwt]\nenabled = true\nthis line has no equals sign\n');
    const t = io();
    const r = await transcript(t, () => explain(['x.y.z'], { grafana: 'broken.ini' }, t));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.ini:3:1: error: Grafana cannot load this file/);
  });
});

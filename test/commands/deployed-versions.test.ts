// Issue 12 item 9: init, explain (and explain --as), mint and fetch-jwks model the Grafana and Pomerium
// releases the files deploy (a compose file's image tags), as doctor does, say so on stderr, and the
// version flags win.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run as explain } from '../../src/commands/explain.js';
import { run as fetchJwks } from '../../src/commands/fetch-jwks.js';
import { run as init } from '../../src/commands/init.js';
import { run as mint } from '../../src/commands/mint.js';
import { testIo, transcript } from '../helpers/run-command.js';
import { grafanaRouteConfig } from '../helpers/pomerium-config.js';

const NOW = new Date('2026-11-30T12:00:00Z');

const POMERIUM_YAML = grafanaRouteConfig();
// email_attribute_path is read from Grafana 11.0.0 (grafana/grafana#85305, pkg/services/authn/clients/jwt.go);
// 10.4.2 ignores it, so the token carries no login or email Grafana reads.
const GRAFANA_INI = `[auth.jwt]
enabled = true
header_name = X-Pomerium-Jwt-Assertion
email_attribute_path = email
jwk_set_url = https://grafana.example.com/.well-known/pomerium/jwks.json
auto_sign_up = true
`;
const COMPOSE = `services:
  grafana:
    image: grafana/grafana:10.4.2
  pomerium:
    image: pomerium/pomerium:v0.28.0
`;

let dir: string;
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
async function run(command: typeof mint, options: Record<string, unknown>, args: string[] = []) {
  const t = testIo(dir, {}, () => NOW);
  return transcript(t, () => command(args, options, t));
}
const both = { pomerium: 'pomerium.yaml', grafana: 'grafana.ini' };
const pinned = { ...both, compose: 'docker-compose.yml' };
const NO_KEY_ON_0_28 = 'no signing_key is set: Pomerium 0.28.0 serves an empty JWKS';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gp-versions-'));
  write('pomerium.yaml', POMERIUM_YAML);
  write('grafana.ini', GRAFANA_INI);
  write('docker-compose.yml', COMPOSE);
  write('floating.yml', COMPOSE.replace('v0.28.0', 'latest'));
});

describe('mint', () => {
  it('mints as the compose file’s Pomerium v0.28.0, which derives no key from shared_secret, and says where the version came from', async () => {
    const r = await run(mint, { pomerium: 'pomerium.yaml', compose: 'docker-compose.yml', email: 'alice@example.com' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mint: Pomerium 0.28.0, from docker-compose.yml:5\n');
    expect(r.stderr).toContain(NO_KEY_ON_0_28);
    // Without the compose file: the current release (v0.33.1), which derives the key.
    const current = await run(mint, { pomerium: 'pomerium.yaml', email: 'alice@example.com' });
    expect(current.code).toBe(0);
    expect(current.stderr).not.toContain('mint: Pomerium');
  });

  it('lets --pomerium-version win over the image tag, and says nothing about the tag', async () => {
    const r = await run(mint, { pomerium: 'pomerium.yaml', compose: 'docker-compose.yml', email: 'alice@example.com', pomeriumVersion: 'v0.33.1' });
    expect(r.code).toBe(0);
    expect(r.stdout.split('.')).toHaveLength(3);
    expect(r.stderr).not.toContain('mint: Pomerium');
  });
});

describe('fetch-jwks --from-signing-key', () => {
  it('derives as the deployed v0.28.0 (no key), unless --pomerium-version says', async () => {
    const r = await run(fetchJwks, { pomerium: 'pomerium.yaml', compose: 'docker-compose.yml', fromSigningKey: true, output: 'jwks.json', timeout: '30s', retries: '3' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('fetch-jwks: Pomerium 0.28.0, from docker-compose.yml:5\n');
    expect(r.stderr).toContain(NO_KEY_ON_0_28);
    const flagged = await run(fetchJwks, { pomerium: 'pomerium.yaml', compose: 'docker-compose.yml', fromSigningKey: true, output: 'jwks.json', timeout: '30s', retries: '3', pomeriumVersion: '0.33.1' });
    expect(flagged.code).toBe(0);
    // pomerium.md 3.2 vector 4: the kid of the key v0.33 derives from this shared_secret.
    expect(JSON.parse(readFileSync(join(dir, 'jwks.json'), 'utf8')).keys[0].kid).toBe('8fe3586687bf08a811338e8fd503289e323d1417a1a4aaa368cfaeafe9ae6cc5');
  });

  it('says when the Pomerium tag is floating and assumes the current release', async () => {
    const r = await run(fetchJwks, { pomerium: 'pomerium.yaml', compose: 'floating.yml', fromSigningKey: true, output: 'jwks.json', timeout: '30s', retries: '3' });
    expect(r.code).toBe(0);
    // CURRENT_POMERIUM_VERSION (src/core/versions.ts) is assumed for a floating tag.
    expect(r.stderr).toContain('fetch-jwks: Pomerium 0.33.1 assumed, from floating.yml:5: the image tag latest is a floating tag, so the newest release is assumed (--pomerium-version says otherwise)\n');
  });
});

describe('explain --as', () => {
  it('simulates Grafana 10.4.2, which does not read email_attribute_path, as the compose file deploys', async () => {
    const r = await run(explain, { ...pinned, as: 'alice@example.com' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('explain: Grafana 10.4.2, from docker-compose.yml:3\nexplain: Pomerium 0.28.0, from docker-compose.yml:5\n');
    expect(r.stdout).toContain('FAIL  login/email    missing login and email claim in JWT (email_attribute_path is not read before Grafana 11.0)');
    // v0.28.0 derives no key from shared_secret: the simulation signs with a stand-in.
    expect(r.stderr).toContain('signed with a stand-in key');
  });

  it('lets the flags win: Grafana 13.2.0 reads email_attribute_path and signs alice in', async () => {
    const r = await run(explain, { ...pinned, as: 'alice@example.com', grafanaVersion: '13.2.0', pomeriumVersion: '0.33.1' });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('explain: Grafana');
    expect(r.stderr).toContain('signed with shared_secret in pomerium.yaml');
    expect(r.stdout.trim().split('\n').at(-1)).toContain('Grafana signs in alice@example.com');
  });

  it('gives the sign-up refusal of the deployed Grafana: "User not found" before 10.1.0', async () => {
    write('grafana-off.ini', GRAFANA_INI.replace('auto_sign_up = true', 'auto_sign_up = false').replace('email_attribute_path = email', 'email_claim = email'));
    write('grafana-10.0.yml', COMPOSE.replace('10.4.2', '10.0.3'));
    // explain/steps.ts AUTHN_SIGN_UP_MESSAGE: Grafana 10.1 moved JWT onto authn ("Sign up is disabled").
    const old = await run(explain, { ...both, grafana: 'grafana-off.ini', compose: 'grafana-10.0.yml', as: 'alice@example.com' });
    expect(old.stderr).toContain('explain: Grafana 10.0.3, from grafana-10.0.yml:3\n');
    expect(old.stdout).toContain('Grafana answers 401 {"message":"User not found"}');
    const current = await run(explain, { ...both, grafana: 'grafana-off.ini', as: 'alice@example.com' });
    expect(current.stdout).toContain('Grafana answers 401 "Sign up is disabled"');
  });
});

describe('explain TOKEN', () => {
  it('judges a token as the deployed releases: Pomerium v0.28.0 gives no key to check it with', async () => {
    const token = (await run(mint, { pomerium: 'pomerium.yaml', email: 'alice@example.com', pomeriumVersion: '0.33.1' })).stdout.trim();
    const r = await run(explain, pinned, [token]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('explain: Grafana 10.4.2, from docker-compose.yml:3\nexplain: Pomerium 0.28.0, from docker-compose.yml:5\n');
    expect(r.stdout).toContain(NO_KEY_ON_0_28);
    const flagged = await run(explain, { ...pinned, grafanaVersion: '13.2.0', pomeriumVersion: '0.33.1' }, [token]);
    expect(flagged.code).toBe(0);
    expect(flagged.stderr).toBe('');
  });
});

describe('init', () => {
  it('expects iss for the pinned Pomerium v0.28.0 (a known release), and says where the versions came from', async () => {
    const r = await run(init, { pomerium: 'pomerium.yaml', compose: 'docker-compose.yml', format: 'ini' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('init: Pomerium 0.28.0, from docker-compose.yml:5\n');
    expect(r.stderr).toContain('init: Grafana 10.4.2, from docker-compose.yml:3\n');
    // pomerium/jwt.ts expectedIssuer: since v0.22 the route host (jwt_issuer_format default hostOnly).
    expect(r.stdout).toContain('expect_claims = {"aud": "grafana.example.com", "iss": "grafana.example.com"}');
  });

  it('expects only aud when the Pomerium tag floats (the release is a guess), as without any version', async () => {
    const r = await run(init, { pomerium: 'pomerium.yaml', compose: 'floating.yml', format: 'ini' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('init: Pomerium 0.33.1 assumed, from floating.yml:5: the image tag latest is a floating tag');
    expect(r.stdout).toContain('expect_claims = {"aud": "grafana.example.com"}');
  });

  it('lets --grafana-version and --pomerium-version win over the tags', async () => {
    const r = await run(init, { pomerium: 'pomerium.yaml', compose: 'docker-compose.yml', format: 'ini', grafanaVersion: '13.2.0', pomeriumVersion: '0.33.1' });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/init: (Grafana|Pomerium)/);
    expect(r.stdout).toContain('aud and iss as Pomerium 0.33.1 writes them');
  });
});

// `smoke` against the Grafana stand-in. The stand-in's JWT sign-in is a declared model of the running
// Grafana (keys it trusts, auto_sign_up, the role it gives), set per test to agree or to differ with
// the files; the prediction is explain's, from the files.
import { createPublicKey, verify } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/commands/smoke.js';
import { run as explainRun } from '../../src/commands/explain.js';
import { freePort } from '../helpers/https-server.js';
import { testIo, transcript } from '../helpers/run-command.js';
import { startGrafanaStandin, type Standin, type StandinOptions } from '../grafana-standin/standin.js';
import { run as fetchJwks } from '../../src/commands/fetch-jwks.js';

const EXAMPLE = new URL('../../docs/examples/users/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gp-smoke-'));
copyFileSync(join(EXAMPLE, 'pomerium.yaml'), join(dir, 'pomerium.yaml'));
copyFileSync(join(EXAMPLE, 'grafana.ini'), join(dir, 'grafana.ini'));

/** Pomerium's JWKS for the example's signing key, as fetch-jwks --from-signing-key derives it. */
async function pomeriumJwks(): Promise<{ keys: Record<string, unknown>[] }> {
  const io = testIo(dir);
  await fetchJwks([], { pomerium: 'pomerium.yaml', fromSigningKey: true, output: 'jwks.json' }, io);
  return JSON.parse(readFileSync(join(dir, 'jwks.json'), 'utf8'));
}

/** A Grafana that verifies ES256 tokens against `keys` and reads the email claim (the declared model). */
function grafanaTrusting(keys: { keys: Record<string, unknown>[] }, autoSignUp: boolean, role?: string): StandinOptions['jwtSignIn'] {
  return (token) => {
    const [h, p, s] = token.split('.');
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString());
    const key = keys.keys.find((k) => k.kid === header.kid);
    if (!key) return { refuse: 'invalid JWT' };
    const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey({ key: key as never, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(s!, 'base64url'));
    if (!ok) return { refuse: 'invalid JWT' };
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    return { email: claims.email, autoSignUp, ...(role ? { role } : {}) };
  };
}

let grafana: Standin | null = null;
afterEach(async () => {
  await grafana?.close();
  grafana = null;
});

async function smoke(options: Record<string, unknown>, standin: StandinOptions | null) {
  if (standin) grafana = await startGrafanaStandin(standin);
  const io = testIo(dir, { GRAFANA_URL: grafana?.origin ?? `http://127.0.0.1:${await freePort()}` });
  return transcript(io, () => run([], { pomerium: 'pomerium.yaml', grafana: 'grafana.ini', ...options }, io));
}

describe('grafana-pomerium smoke', () => {
  it('agrees for a user Grafana has (found by email), sent only the assertion header', async () => {
    const t = await smoke({ as: 'viewer@example.com' }, { jwtSignIn: grafanaTrusting(await pomeriumJwks(), false) });
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('grafana   GET ' + grafana!.origin + '/api/user: HTTP 200, login viewer, email viewer@example.com; org 1 Viewer');
    expect(t.stdout).toContain('note: Grafana signed in its existing user viewer, found by the email viewer@example.com');
    expect(t.stdout).toContain('agree: the running Grafana does what the files say');
    // As Pomerium sends it: X-Pomerium-Jwt-Assertion, no Authorization.
    expect(grafana!.calls.map((c) => `${c.method} ${c.path} ${c.auth}`)).toEqual(['GET /api/user ', 'GET /api/user/orgs ']);
  });

  it('agrees that an unknown user is refused with auto_sign_up off, and says how to add them', async () => {
    const t = await smoke({ as: 'new@example.com' }, { jwtSignIn: grafanaTrusting(await pomeriumJwks(), false) });
    expect(t.code).toBe(0);
    // Grafana 10.1+: authn's user sync refuses with "Sign up is disabled" (explain's sign-up step).
    expect(t.stdout).toContain('HTTP 401 "Sign up is disabled"');
    expect(t.stdout).toContain('add the user with grafana-pomerium users add --email new@example.com');
  });

  it('differs (exit 1) when the running Grafana trusts another key set, and says which part', async () => {
    const other = { keys: [{ kty: 'EC', crv: 'P-256', kid: 'other', x: 'oLZD26lGXDHQBhafGelEfD7e6f3iDcYROV7TlYHtquc', y: 'DxP4R8IH2jHKgDxZRY58iayK2mtXgpWBNs0SkgTXeaU' }] };
    const t = await smoke({ as: 'viewer@example.com' }, { jwtSignIn: grafanaTrusting(other, false) });
    expect(t.code).toBe(1);
    expect(t.stdout).toContain('differs   sign-in: Grafana says refused the token (HTTP 401 "invalid JWT"); the files say Grafana signs in');
    expect(t.stdout).toContain('disagree: the running Grafana is not configured as these files say');
  });

  it('differs on the role when the files map groups to Admin and the running Grafana does not', async () => {
    const ini = readFileSync(join(EXAMPLE, 'grafana.ini'), 'utf8').replace('auto_sign_up = false', "auto_sign_up = true\nrole_attribute_path = contains(groups[*], 'grafana-admins') && 'Admin' || 'Viewer'");
    writeFileSync(join(dir, 'grafana-roles.ini'), ini);
    const t = await smoke({ as: 'new-admin@example.com', groups: 'grafana-admins', grafana: 'grafana-roles.ini' }, { jwtSignIn: grafanaTrusting(await pomeriumJwks(), true, 'Viewer') });
    expect(t.code).toBe(1);
    expect(t.stdout).toContain('differs   role: Grafana says Viewer in org 1; the files say Admin in org 1');
  });

  it("predicts exactly what explain --as says for that user (one simulation, src/signin/), and names Pomerium's policy apart", async () => {
    const t = await smoke({ as: 'new@example.com' }, { jwtSignIn: grafanaTrusting(await pomeriumJwks(), false) });
    const io = testIo(dir);
    const as = await transcript(io, () => explainRun([], { pomerium: 'pomerium.yaml', grafana: 'grafana.ini', as: 'new@example.com' }, io));
    // The example's policy admits alice, bob, viewer and the grafana-admins group (docs/examples/users/pomerium.yaml):
    // explain --as stops at Pomerium's policy step; smoke, which sends the token to Grafana itself, says so in a note.
    expect(as.stdout).toContain('FAIL  policy');
    const summary = as.stdout.trim().split('\n').at(-1);
    expect(t.stdout).toContain(`note: ${summary}: through Pomerium this user gets Pomerium's 403; this checks Grafana alone`);
    // Grafana's part is explain --as's steps after the policy: its sign-up step gives the refusal smoke predicts.
    expect(as.stdout).toMatch(/sign-up .*"Sign up is disabled"/);
    expect(t.code).toBe(0);
  });

  it('uses the same Grafana verdict line as explain --as for an admitted user', async () => {
    const t = await smoke({ as: 'viewer@example.com' }, { jwtSignIn: grafanaTrusting(await pomeriumJwks(), false) });
    const io = testIo(dir);
    const as = await transcript(io, () => explainRun([], { pomerium: 'pomerium.yaml', grafana: 'grafana.ini', as: 'viewer@example.com' }, io));
    expect(as.code).toBe(0);
    expect(t.stdout).toContain(`files     ${as.stdout.trim().split('\n').at(-1)}\n`);
  });

  it('predicts for the releases the compose file deploys, said on stderr; the flags win', async () => {
    writeFileSync(join(dir, 'versions.yml'), 'services:\n  grafana:\n    image: grafana/grafana:10.0.3\n  pomerium:\n    image: pomerium/pomerium:v0.30.0\n');
    const t = await smoke({ as: 'viewer@example.com', compose: 'versions.yml' }, { jwtSignIn: grafanaTrusting(await pomeriumJwks(), false) });
    expect(t.code).toBe(0);
    expect(t.stderr).toContain('smoke: Pomerium 0.30.0, from versions.yml:5\nsmoke: Grafana 10.0.3, from versions.yml:3\n');
    await grafana?.close();
    const flagged = await smoke({ as: 'viewer@example.com', compose: 'versions.yml', grafanaVersion: '12.2.0', pomeriumVersion: '0.33.1' }, { jwtSignIn: grafanaTrusting(await pomeriumJwks(), false) });
    expect(flagged.code).toBe(0);
    expect(flagged.stderr).not.toContain('smoke:');
  });

  it('could not run (exit 2) when Pomerium strips the header on the route: no sign-in through it can work', async () => {
    writeFileSync(join(dir, 'stripped.yaml'), readFileSync(join(dir, 'pomerium.yaml'), 'utf8').replace('pass_identity_headers: true', 'pass_identity_headers: false'));
    const t = await smoke({ as: 'viewer@example.com', pomerium: 'stripped.yaml' }, { jwtSignIn: grafanaTrusting(await pomeriumJwks(), false) });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('error: no sign-in through Pomerium can work: Pomerium strips X-Pomerium-Jwt-Assertion');
    expect(grafana!.calls).toEqual([]);
  });

  it('could not run (exit 2): Grafana unreachable, or no --as', async () => {
    const down = await smoke({ as: 'viewer@example.com' }, null);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/^error: could not reach Grafana at http:\/\/127\.0\.0\.1:\d+\/\n {2}reason: connection refused/);
    expect((await smoke({}, null)).stderr).toContain('error: smoke needs --as EMAIL');
  });
});

import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainToken } from '../../src/explain/verdict.js';
import type { ExplainInput, JwtSettings } from '../../src/explain/steps.js';
import type { KeySet } from '../../src/explain/keys.js';
import { readTokenInput } from '../../src/explain/token.js';
import { pomeriumSigningJwks } from '../../src/jwks/derive.js';
import type { Signer } from '../../src/jwks/types.js';
import { signJwt } from '../../src/mint/mint.js';
import type { PublicJwk } from '../../src/rules/types.js';
import { BASE_JWT_SETTINGS } from '../helpers/jwt-settings.js';

// Pomerium's own test vector (reference pomerium.md 3.2, vector 4): the key derived from this shared_secret.
const SHARED_SECRET = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU2Nzg5MCsvQUFBQT0=';
const POMERIUM_KID = '8fe3586687bf08a811338e8fd503289e323d1417a1a4aaa368cfaeafe9ae6cc5';
const NOW = new Date('2026-11-30T12:00:00Z');
const IAT = NOW.getTime() / 1000 - 60;

let signer: Signer;
let pomeriumSet: KeySet;

beforeAll(() => {
  const derived = pomeriumSigningJwks({ sharedSecret: SHARED_SECRET, pomeriumVersion: '0.33.0' });
  if ('error' in derived || !derived.signer) throw new Error('fixture key did not derive');
  signer = derived.signer;
  pomeriumSet = { keys: derived.jwks.keys as PublicJwk[], source: 'jwk_set_file /etc/grafana/jwks.json' };
});

/** The claims Pomerium v0.33 sends for alice on grafana.example.com. */
function pomeriumClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: 'grafana.example.com',
    aud: 'grafana.example.com',
    jti: '7a0c3d0e-0000-4000-8000-000000000001',
    iat: IAT,
    exp: IAT + 300,
    sub: 'user-1',
    user: 'user-1',
    email: 'alice@example.com',
    groups: ['admins', 'ops'],
    sid: 'session-1',
    name: 'Alice Liddell',
    ...extra,
  };
}

const SETTINGS: JwtSettings = { ...BASE_JWT_SETTINGS };

function explain(token: string, over: Partial<Omit<ExplainInput, 'settings'>> & { settings?: Partial<JwtSettings> } = {}) {
  const { settings, ...rest } = over;
  return explainToken({
    intake: readTokenInput(token),
    keySet: pomeriumSet,
    pomeriumKids: null,
    at: NOW,
    grafanaVersion: '12.2.0',
    ...rest,
    settings: { ...SETTINGS, ...settings },
  });
}

const step = (result: ReturnType<typeof explain>, id: string) => result.steps.find((s) => s.step === id)!;

async function joseToken(claims: Record<string, unknown>, header: { kid?: string } = {}) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...header }).sign(privateKey);
  return { token, jwk: { ...(await exportJWK(publicKey)), ...header } as PublicJwk };
}

describe('explain: Grafana steps on Pomerium tokens', () => {
  it('accepts a token minted with the Pomerium key and names login, email and role', () => {
    const result = explain(signJwt(pomeriumClaims(), signer), { settings: { usernameClaim: 'user' } });
    expect(result.verdict).toBe('accepted');
    expect(result.summary).toBe('Grafana signs in alice@example.com (login user-1) as Viewer in org 1 (auto_assign_org_role, for a new user)');
    expect(step(result, 'role').detail).toBe('role_attribute_path is not set: [users] auto_assign_org_role Viewer applies');
    expect(result.steps.every((s) => s.ok)).toBe(true);
    expect(step(result, 'key').detail).toContain(`kid ${POMERIUM_KID}`);
    expect(step(result, 'time').detail).toContain('issued 1m ago');
    expect(result).toMatchObject({ email: 'alice@example.com', login: 'user-1', name: 'Alice Liddell', role: 'Viewer', orgId: 1, grafanaAdmin: false });
  });

  it('reads a pasted header line and strips an exact "Bearer " prefix', () => {
    const token = signJwt(pomeriumClaims(), signer);
    const result = explain(`x-pomerium-jwt-assertion: Bearer ${token}\n`);
    expect(result.verdict).toBe('accepted');
    expect(step(result, 'header').detail).toContain('strips the "Bearer " prefix');
  });

  it('rejects a lowercase "bearer " prefix, which Grafana does not strip', () => {
    const result = explain(`bearer ${signJwt(pomeriumClaims(), signer)}`);
    expect(result.verdict).toBe('rejected');
    expect(step(result, 'token').detail).toContain('capital B');
  });

  it('says Grafana never sees the token when header_name has underscores', () => {
    const result = explain(signJwt(pomeriumClaims(), signer), { settings: { headerName: 'X_POMERIUM_JWT_ASSERTION' } });
    expect(result.verdict).toBe('rejected');
    expect(result.summary).toMatch(/^Grafana never sees this token: header_name "X_POMERIUM_JWT_ASSERTION" has '_'/);
  });

  it('rejects an unknown kid and names the kids the set has', async () => {
    const other = await joseToken(pomeriumClaims(), { kid: 'other-kid' });
    const result = explain(other.token);
    expect(result.verdict).toBe('rejected');
    expect(result.summary).toContain(`jwk_set_file /etc/grafana/jwks.json has no key with kid other-kid (it has: ${POMERIUM_KID})`);
    expect(step(result, 'signature').ok).toBe(false);
  });

  it('says the set is stale when Pomerium signs with the unknown kid now', () => {
    const token = signJwt(pomeriumClaims(), signer);
    const staleSet: KeySet = { keys: [{ kty: 'EC', kid: 'old-key', crv: 'P-256', x: 'AA', y: 'AA' }], source: 'jwk_set_file jwks.json' };
    const result = explain(token, { keySet: staleSet, pomeriumKids: [POMERIUM_KID] });
    expect(result.summary).toContain(`has no key with kid ${POMERIUM_KID}`);
    expect(result.summary).toContain('the set was fetched before the signing key rotated');
  });

  it('rejects a kid-less token against a set whose keys all have a kid', async () => {
    const { token, jwk } = await joseToken(pomeriumClaims());
    const result = explain(token, { keySet: { keys: [{ ...jwk, kid: 'some-kid' }], source: 'the JWKS' } });
    expect(result.verdict).toBe('rejected');
    expect(step(result, 'key').detail).toContain('the token has no kid and every key in the JWKS has one');
  });

  it('accepts a kid-less token against a kid-less key (go-jose matches "" to "")', async () => {
    const { token, jwk } = await joseToken(pomeriumClaims());
    const result = explain(token, { keySet: { keys: [jwk], source: 'key_file' } });
    expect(result.verdict).toBe('accepted');
  });

  it('rejects a token with a kid against a kid-less key (key_file without key_id, grafana#71665)', () => {
    const { kid: _kid, ...kidless } = pomeriumSet.keys[0]!;
    const result = explain(signJwt(pomeriumClaims(), signer), { keySet: { keys: [kidless as PublicJwk], source: 'key_file /etc/grafana/pomerium.pem' } });
    expect(result.verdict).toBe('rejected');
    expect(step(result, 'key').detail).toContain(`key_file /etc/grafana/pomerium.pem has no key with kid ${POMERIUM_KID} (it has: (none))`);
  });

  it('rejects a bad signature: another key signed under the Pomerium kid', async () => {
    const { token } = await joseToken(pomeriumClaims(), { kid: POMERIUM_KID });
    const result = explain(token);
    expect(step(result, 'key').ok).toBe(true);
    expect(step(result, 'signature').ok).toBe(false);
    expect(result.summary).toContain('the signature does not verify');
  });

  it('rejects a token whose payload was altered after signing', () => {
    const [h, , s] = signJwt(pomeriumClaims(), signer).split('.');
    const forged = Buffer.from(JSON.stringify(pomeriumClaims({ email: 'mallory@example.com' }))).toString('base64url');
    expect(explain(`${h}.${forged}.${s}`).verdict).toBe('rejected');
  });

  it('accepts a token expired 30 s ago: within the one-minute leeway', () => {
    const token = signJwt(pomeriumClaims({ iat: IAT - 330, exp: NOW.getTime() / 1000 - 30 }), signer);
    const result = explain(token);
    expect(result.verdict).toBe('accepted');
    expect(step(result, 'time').detail).toContain("expired 30s ago but within Grafana's one-minute leeway (accepted for 30s more)");
  });

  it('rejects a token expired 61 s ago and says how old it is', () => {
    const token = signJwt(pomeriumClaims({ iat: NOW.getTime() / 1000 - 361, exp: NOW.getTime() / 1000 - 61 }), signer);
    const result = explain(token);
    expect(result.verdict).toBe('rejected');
    expect(result.summary).toContain('token is expired (exp): it expired 1m1s ago');
    expect(result.summary).toContain('issued 6m1s ago');
  });

  it('rejects an iss that expect_claims does not allow', () => {
    const result = explain(signJwt(pomeriumClaims(), signer), { settings: { expectClaims: '{"iss":"https://grafana.example.com/"}' } });
    expect(result.verdict).toBe('rejected');
    expect(result.summary).toContain('invalid issuer claim (iss): token has "grafana.example.com"');
  });

  it('expect_claims aud: every listed value before Grafana 13, any one from 13 on', () => {
    const token = signJwt(pomeriumClaims(), signer);
    const settings = { expectClaims: '{"aud":["grafana.example.com","grafana.internal"]}' };
    const old = explain(token, { settings, grafanaVersion: '12.2.0' });
    expect(old.verdict).toBe('rejected');
    expect(step(old, 'expect_claims').detail).toContain('wants every one of');
    expect(explain(token, { settings, grafanaVersion: '13.0.0' }).verdict).toBe('accepted');
    expect(explain(token, { settings: { expectClaims: '{"aud":"grafana.internal"}' }, grafanaVersion: '13.0.0' }).verdict).toBe('rejected');
  });

  it('names the member type when an aud array holds a non-string, in expect_claims and in the token (validation.go)', () => {
    const startup = explain(signJwt(pomeriumClaims(), signer), { settings: { expectClaims: '{"aud":["grafana.example.com",1]}' } });
    expect(step(startup, 'expect_claims').detail).toBe('Grafana does not start: "aud" expectation contains value with invalid type float64, string expected');
    const token = signJwt(pomeriumClaims({ aud: ['grafana.example.com', true] }), signer);
    expect(step(explain(token), 'expect_claims').detail).toBe('"aud" claim contains value with invalid type bool, string expected');
  });

  it('matches other expect_claims exactly (arrays in order)', () => {
    const token = signJwt(pomeriumClaims(), signer);
    expect(explain(token, { settings: { expectClaims: '{"groups":["admins","ops"]}' } }).verdict).toBe('accepted');
    expect(explain(token, { settings: { expectClaims: '{"groups":["ops","admins"]}' } }).summary).toContain('"groups" claim mismatch');
  });

  it('says Grafana skips (not rejects) a token without sub', () => {
    const claims = pomeriumClaims();
    delete claims.sub;
    const result = explain(signJwt(claims, signer));
    expect(result.verdict).toBe('rejected');
    // authn JWT.Test: HasSubClaim false -> the client is skipped and the next one runs
    // (grafana/grafana pkg/services/authn/clients/jwt.go, JWT.Test; pkg/services/auth/jwt/auth.go, HasSubClaim).
    expect(result.outcome).toBe('skipped');
    expect(result.summary).toMatch(/^Grafana skips this token: .*falls through to the next sign-in method \(login page or anonymous\)$/);
  });

  it('email_claim wins over email_attribute_path; the path applies only when the claim key is empty', () => {
    const token = signJwt(pomeriumClaims({ profile: { mail: 'alice@corp.example' } }), signer);
    const both = explain(token, { settings: { emailClaim: 'email', emailAttributePath: 'profile.mail' } });
    expect(both.email).toBe('alice@example.com');
    expect(step(both, 'login/email').detail).toContain('email_attribute_path is ignored because email_claim is set');
    const path = explain(token, { settings: { emailClaim: '', emailAttributePath: 'profile.mail' } });
    expect(path.email).toBe('alice@corp.example');
  });

  it('a non-string JMESPath result is empty: both empty is "missing login and email claim"', () => {
    const result = explain(signJwt(pomeriumClaims(), signer), { settings: { emailClaim: '', emailAttributePath: 'groups' } });
    expect(result.verdict).toBe('rejected');
    expect(result.summary).toContain('missing login and email claim in JWT');
  });

  it('role from role_attribute_path with a JMESPath expression', () => {
    const token = signJwt(pomeriumClaims(), signer);
    const result = explain(token, { settings: { roleAttributePath: "contains(groups[*], 'admins') && 'Editor' || 'Viewer'" } });
    expect(result.summary).toBe('Grafana signs in alice@example.com (login alice@example.com) as Editor in org 1');
  });

  it('an invalid role falls back to auto_assign_org_role unless role_attribute_strict', () => {
    const token = signJwt(pomeriumClaims(), signer);
    const path = { roleAttributePath: "'editor'" };
    const loose = explain(token, { settings: { ...path, autoAssignOrgRole: 'Viewer' } });
    expect(loose).toMatchObject({ verdict: 'accepted', role: 'Viewer' });
    const strict = explain(token, { settings: { ...path, roleAttributeStrict: true } });
    expect(strict.verdict).toBe('rejected');
    expect(strict.summary).toContain('could not evaluate any valid roles using IdP provided data');
    const strict10 = explain(token, { settings: { ...path, roleAttributeStrict: true }, grafanaVersion: '10.4.0' });
    expect(strict10.summary).toContain('invalid role claim in JWT: editor');
  });

  it('GrafanaAdmin makes a server admin only with allow_assign_grafana_admin', () => {
    const token = signJwt(pomeriumClaims(), signer);
    const path = { roleAttributePath: "contains(groups, 'admins') && 'GrafanaAdmin' || 'Viewer'" };
    const without = explain(token, { settings: path });
    expect(without).toMatchObject({ verdict: 'accepted', role: 'Admin', grafanaAdmin: false });
    expect(step(without, 'role').detail).toContain('allow_assign_grafana_admin is off');
    const withIt = explain(token, { settings: { ...path, allowAssignGrafanaAdmin: true } });
    expect(withIt).toMatchObject({ role: 'Admin', grafanaAdmin: true });
    expect(withIt.summary).toContain('as Admin in org 1, and makes them a Grafana server admin');
  });

  it('org_mapping (12.0+) maps external orgs and keeps the higher role', () => {
    const token = signJwt(pomeriumClaims(), signer);
    const result = explain(token, {
      settings: { orgAttributePath: 'groups', orgMapping: 'admins:2:Admin ops:3:Editor nobody:4:Admin', roleAttributePath: "'Editor'" },
    });
    expect(result.summary).toBe('Grafana signs in alice@example.com (login alice@example.com) as Admin in org 2, Editor in org 3');
  });

  it('auto_sign_up off: "Sign up is disabled" from 10.1 on, "User not found" up to 10.0', () => {
    const token = signJwt(pomeriumClaims(), signer);
    const current = explain(token, { settings: { autoSignUp: false } });
    expect(current.verdict).toBe('accepted');
    expect(current.summary).toBe('Grafana signs in alice@example.com (login alice@example.com) as Viewer in org 1 (auto_assign_org_role, for a new user), if that user exists already (a new one gets 401 "Sign up is disabled")');
    expect(step(current, 'sign-up').detail).toContain('Grafana answers 401 "Sign up is disabled"');
    const legacy = explain(token, { settings: { autoSignUp: false }, grafanaVersion: '10.0.0' });
    expect(step(legacy, 'sign-up').detail).toContain('Grafana answers 401 {"message":"User not found"}');
  });
});

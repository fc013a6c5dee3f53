import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { run as mint } from '../../src/commands/mint.js';
import { mintClaims, type MintRequest } from '../../src/mint/mint.js';
import { testIo, transcript } from '../helpers/run-command.js';
import { readPomeriumConfig } from '../../src/pomerium/read.js';

function request(yaml: string, pomeriumVersion: string): MintRequest {
  const model = readPomeriumConfig(yaml, 'pomerium.yaml');
  return {
    model,
    route: model.routes[0]!,
    host: 'grafana.example.com',
    pomeriumVersion,
    email: 'alice@example.com',
    sub: 'user-1',
    name: 'Alice',
    groups: [],
    extraValues: {},
    now: new Date('2026-11-30T12:00:00Z'),
    ttlSeconds: 300,
    jti: 'jti-1',
    sid: 'sid-1',
  };
}

const ROUTE = 'routes:\n  - from: https://grafana.example.com\n    to: http://grafana:3000\n';

describe('mintClaims', () => {
  it('uses the uri issuer format when the route asks for it; aud stays the bare host', () => {
    const minted = mintClaims(request(`${ROUTE}    jwt_issuer_format: uri\n`, '0.33.1'));
    expect(minted).toMatchObject({ claims: { iss: 'https://grafana.example.com/', aud: 'grafana.example.com', groups: [] } });
  });

  it('before v0.22 the issuer is the authenticate host, and there is no name before v0.18', () => {
    const minted = mintClaims(request(`authenticate_service_url: https://authenticate.example.com\n${ROUTE}`, '0.17.0'));
    expect('claims' in minted && minted.claims).toMatchObject({ iss: 'authenticate.example.com', aud: 'grafana.example.com' });
    expect('claims' in minted && Object.keys(minted.claims)).not.toContain('name');
  });

  it('cannot tell the issuer before v0.22 without authenticate_service_url', () => {
    expect(mintClaims(request(ROUTE, '0.21.0'))).toEqual({ error: expect.stringContaining('authenticate_service_url is not set') });
  });

  it('jti is a fresh id per token from v0.27 on, the session id before', () => {
    expect(mintClaims(request(ROUTE, '0.27.0'))).toMatchObject({ claims: { jti: 'jti-1', sid: 'sid-1' } });
    expect(mintClaims(request(ROUTE, '0.26.0'))).toMatchObject({ claims: { jti: 'sid-1', sid: 'sid-1' } });
  });

  it('adds jwt_claims_headers extras only when a value is given, as Pomerium does when the IdP lacks them', () => {
    const req = request(`jwt_claims_headers: [given_name, family_name]\n${ROUTE}`, '0.33.1');
    const minted = mintClaims({ ...req, extraValues: { given_name: 'Alice' } });
    expect('claims' in minted && minted.claims.given_name).toBe('Alice');
    expect('claims' in minted && 'family_name' in minted.claims).toBe(false);
  });
});

describe('iat and exp by version', () => {
  const now = Date.parse('2026-11-30T12:00:00Z') / 1000;

  it('since v0.27.0 (bf1d22813): iat the time of the request, exp five minutes later; the session flags do nothing', () => {
    const minted = mintClaims({ ...request(ROUTE, '0.27.0'), idTokenIssuedAt: now - 3600, sessionExpiresAt: now + 60 });
    expect(minted).toMatchObject({ claims: { iat: now, exp: now + 300 } });
  });

  it("before v0.27 (v0.26.1 headers.rego): iat the ID token's issued_at, exp = min(now + 5m, session expiry)", () => {
    expect(mintClaims({ ...request(ROUTE, '0.26.1'), idTokenIssuedAt: now - 3600 })).toMatchObject({ claims: { iat: now - 3600, exp: now + 300 } });
    expect(mintClaims({ ...request(ROUTE, '0.26.1'), sessionExpiresAt: now + 60 })).toMatchObject({ claims: { iat: now, exp: now + 60 } });
    expect(mintClaims({ ...request(ROUTE, '0.26.1'), sessionExpiresAt: now + 3600 })).toMatchObject({ claims: { exp: now + 300 } });
  });
});

describe('mint --iat / --session-expiry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gp-mint-'));
  const signingKey = readFileSync(new URL('../fixtures/jwks/ec-p256.b64', import.meta.url), 'utf8').trim();
  writeFileSync(join(dir, 'pomerium.yaml'), `signing_key: ${signingKey}\nauthenticate_service_url: https://authenticate.example.com\n${ROUTE}`);
  const NOW = new Date('2026-11-30T12:00:00Z');
  const mintWith = async (options: Record<string, unknown>) => {
    const t = testIo(dir, {}, () => NOW);
    return transcript(t, () => mint([], { pomerium: 'pomerium.yaml', email: 'alice@example.com', ...options }, t));
  };

  it('takes them before v0.27 and says what it assumed when they are missing', async () => {
    const given = await mintWith({ pomeriumVersion: '0.26.1', iat: '2026-11-30T11:00:00Z', sessionExpiry: '1796040060' });
    expect(given.code).toBe(0);
    expect(decodeJwt(given.stdout.trim())).toMatchObject({ iat: NOW.getTime() / 1000 - 3600, exp: 1796040060 });
    expect(given.stderr).not.toContain('assumed');
    const assumed = await mintWith({ pomeriumVersion: '0.26.1' });
    expect(assumed.stderr).toContain('note: Pomerium 0.26.1 took iat from the ID token and capped exp at the session\'s expiry; assumed: the ID token was issued now (--iat), the session outlives the token (--session-expiry)');
  });

  it('says they are ignored from v0.27 on, and refuses a time it cannot read', async () => {
    const ignored = await mintWith({ pomeriumVersion: '0.33.1', iat: '1796036400' });
    expect(ignored.code).toBe(0);
    expect(ignored.stderr).toContain('note: --iat ignored: Pomerium 0.33.1 sets iat to the time of the request');
    const bad = await mintWith({ pomeriumVersion: '0.26.1', sessionExpiry: 'tomorrow' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--session-expiry "tomorrow" is not a time');
    expect(bad.stdout).toBe('');
  });
});

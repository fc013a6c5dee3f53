import { describe, expect, it } from 'vitest';
import { mintClaims, type MintRequest } from '../../src/mint/mint.js';
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

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedAudience, expectedIssuer, isHostedAuthenticate, jwksUrlFor, jwtClaimsFor } from '../../src/pomerium/jwt.js';
import { readPomeriumConfig } from '../../src/pomerium/read.js';

const read = (name: string) => readPomeriumConfig(readFileSync(new URL(`../fixtures/pomerium/${name}`, import.meta.url), 'utf8'), name);

describe('jwtClaimsFor', () => {
  it('gives the base claims of each release', () => {
    const m = read('guide-v5.yaml');
    expect([...jwtClaimsFor(m, '0.14.0').claims].sort()).toEqual(['aud', 'email', 'exp', 'groups', 'iat', 'iss', 'jti', 'sub', 'user']);
    expect(jwtClaimsFor(m, '0.15.0').claims.has('sid')).toBe(true);
    expect(jwtClaimsFor(m, '0.17.9').claims.has('name')).toBe(false);
    expect(jwtClaimsFor(m, '0.33.1').claims.has('name')).toBe(true);
  });

  it('adds jwt_claims_headers claims that are not base claims', () => {
    const m = read('issuer.yaml');
    const { claims, extras } = jwtClaimsFor(m, '0.30.0');
    expect(extras).toEqual(['given_name']);
    expect(claims.has('given_name')).toBe(true);
    const old = jwtClaimsFor(read('config.json'), '0.17.0');
    expect(old.extras).toEqual(['name', 'given_name']);
  });
});

describe('issuer and audience', () => {
  const m = read('issuer.yaml');
  const [a, b] = m.routes;

  it('uses the route host since v0.22, as a URI when the format says so', () => {
    expect(expectedIssuer(m, a!, 'a.example.com', '0.33.0')).toBe('https://a.example.com/');
    expect(expectedIssuer(m, b!, 'b.example.com', '0.33.0')).toBe('b.example.com');
    // The global format arrived in v0.29.0 (ed8c5d69: v0.29.0 config/options.go `jwt_issuer_format`,
    // authorize.go WithDefaultJWTIssuerFormat); v0.28.0's Options has no such key, so `uri` at the top level did nothing.
    expect(expectedIssuer(m, a!, 'a.example.com', '0.29.0')).toBe('https://a.example.com/');
    expect(expectedIssuer(m, a!, 'a.example.com', '0.28.0')).toBe('a.example.com');
    expect(expectedIssuer(m, a!, '*.example.com', '0.33.0')).toBeNull();
  });

  it('used the authenticate host before v0.22, unknown when it was not set', () => {
    const v1 = read('guide-v1.yaml');
    expect(expectedIssuer(v1, v1.routes[0]!, 'grafana.localhost.pomerium.io', '0.21.0')).toBe('authenticate.localhost.pomerium.io');
    expect(expectedIssuer(m, a!, 'a.example.com', '0.21.0')).toBeNull();
  });

  it('audience is the bare host', () => {
    expect(expectedAudience('Grafana.Example.com:8443')).toBe('grafana.example.com');
  });
});

describe('jwksUrlFor', () => {
  it('uses the route host on current releases, never the hosted authenticate service', () => {
    const m = read('guide-v5.yaml');
    expect(jwksUrlFor(m, m.routes[0]!, '0.33.0').url).toBe('https://grafana.yourdomain.com/.well-known/pomerium/jwks.json');
    expect(jwksUrlFor(m, m.routes[0]!, '0.19.0').url).toBe('https://grafana.yourdomain.com/.well-known/pomerium/jwks.json');
  });

  it('uses the self-hosted authenticate host before v0.20', () => {
    const m = read('guide-v1.yaml');
    expect(jwksUrlFor(m, m.routes[0]!, '0.16.0')).toMatchObject({
      url: 'https://authenticate.localhost.pomerium.io/.well-known/pomerium/jwks.json',
      why: expect.stringContaining('v0.20'),
    });
    expect(jwksUrlFor(m, m.routes[0]!, '0.20.0').url).toBe('https://grafana.localhost.pomerium.io/.well-known/pomerium/jwks.json');
  });

  it('keeps a non-default port, and handles wildcard routes', () => {
    const m = read('wildcard.yaml');
    expect(jwksUrlFor(m, m.routes[1]!, '0.33.0').url).toBe('https://metrics.example.com:8443/.well-known/pomerium/jwks.json');
    expect(jwksUrlFor(m, m.routes[0]!, '0.33.0')).toMatchObject({ url: expect.stringContaining('*.apps.example.com'), why: expect.stringContaining('placeholder') });
    const withAuth = { ...m, authenticateServiceUrl: { value: 'https://auth.example.com', span: null } };
    expect(jwksUrlFor(withAuth, m.routes[0]!, '0.33.0').url).toBe('https://auth.example.com/.well-known/pomerium/jwks.json');
  });
});

describe('isHostedAuthenticate', () => {
  it('knows the hosted domains only', () => {
    expect(isHostedAuthenticate('https://authenticate.pomerium.app')).toBe(true);
    expect(isHostedAuthenticate('https://Authenticate.Staging.Pomerium.app/')).toBe(true);
    expect(isHostedAuthenticate('https://authenticate.example.com')).toBe(false);
    expect(isHostedAuthenticate('not a url')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { lintCase } from '../../helpers/lint.js';
import { edit, GRAFANA, POMERIUM } from './base.js';

const RULE = 'cross/jwk-set-url';
const URL_LINE = 'jwk_set_url = https://grafana.example.com/.well-known/pomerium/jwks.json';
const run = (url: string, pomerium = POMERIUM, pomeriumVersion?: string) =>
  lintCase({ grafana: edit(GRAFANA, URL_LINE, `jwk_set_url = ${url}`), pomerium, ...(pomeriumVersion ? { pomeriumVersion } : {}) }).findings.filter((f) => f.ruleId === RULE);

describe(RULE, () => {
  it('knows identity providers by host, path and idp_provider_url', () => {
    expect(run('https://dev-123.okta.com/oauth2/default/v1/keys').map((f) => f.messageId)).toEqual(['identityProvider']);
    expect(run('https://sso.example.com/realms/main/protocol/openid-connect/certs').map((f) => f.messageId)).toEqual(['identityProvider']);
    expect(run('https://idp.example.com/.well-known/pomerium/jwks.json').map((f) => f.messageId)).toEqual(['identityProvider']);
  });

  it('fixes the hosted authenticate URL to the route host', () => {
    const [finding] = run('https://authenticate.pomerium.app/.well-known/pomerium/jwks.json');
    expect(finding?.messageId).toBe('hostedAuthenticate');
    expect(finding?.fix?.edits.map((e) => e.text)).toEqual(['https://grafana.example.com/.well-known/pomerium/jwks.json']);
  });

  it('accepts a wildcard route host and warns (only) for unknown hosts', () => {
    const wildcard = edit(POMERIUM, 'from: https://grafana.example.com', 'from: https://*.example.com');
    expect(run('https://grafana.example.com/.well-known/pomerium/jwks.json', wildcard)).toEqual([]);
    expect(run('https://pomerium/.well-known/pomerium/jwks.json').map((f) => [f.messageId, f.severity, f.fix])).toEqual([['unknownHost', 'warning', undefined]]);
  });

  it('before v0.20 wants the authenticate host, and from v0.20 any served host', () => {
    const authenticate = 'https://authenticate.example.com/.well-known/pomerium/jwks.json';
    expect(run(authenticate, POMERIUM, '0.19.1')).toEqual([]);
    expect(run('https://grafana.example.com/.well-known/pomerium/jwks.json', POMERIUM, '0.19.1').map((f) => f.messageId)).toEqual(['authenticateOnly']);
    expect(run('https://grafana.example.com/.well-known/pomerium/jwks.json', POMERIUM, '0.20.0')).toEqual([]);
  });
});

describe(`${RULE}: wording (issue 9, "Also found")`, () => {
  it('says the path is wrong when the host is the Grafana route host and only the path looks like an IdP key set', () => {
    // The route host serves Pomerium's JWKS at /.well-known/pomerium/jwks.json (pomerium handlers/jwks.go, v0.20+);
    // /.well-known/jwks.json there is a wrong path of this Pomerium, not the identity provider's key set.
    const [finding] = run('https://grafana.example.com/.well-known/jwks.json');
    expect(finding).toMatchObject({ messageId: 'wrongPath', severity: 'error' });
    expect(finding!.fix?.edits.map((e) => e.text)).toEqual(['https://grafana.example.com/.well-known/pomerium/jwks.json']);
  });

  it('warns about an internal name without claiming it reaches Pomerium', () => {
    const [finding] = run('https://pomerium/.well-known/pomerium/jwks.json');
    expect(finding).toMatchObject({ messageId: 'unknownHost', severity: 'warning' });
    expect(finding!.message).not.toMatch(/\bdoes\)/);
    expect(finding!.message).toContain('certificate valid for it');
  });
});

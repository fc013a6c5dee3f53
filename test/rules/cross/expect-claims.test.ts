import { describe, expect, it } from 'vitest';
import { lintCase, summarize } from '../../helpers/lint.js';
import { edit, GRAFANA, POMERIUM } from './base.js';

const RULE = 'cross/expect-claims';
const withClaims = (json: string) => edit(GRAFANA, 'expect_claims = {"aud": "grafana.example.com"}', `expect_claims = ${json}`);
const ids = (grafana: string, extra: Parameters<typeof lintCase>[0] = {}) => lintCase({ grafana, pomerium: POMERIUM, ...extra }).findings.filter((f) => f.ruleId === RULE).map((f) => f.messageId);

describe(RULE, () => {
  it('keeps a value protected by backticks whole', () => {
    expect(ids(withClaims('`{"aud": "grafana.example.com", "x": "a;b"}`'))).toEqual(['claimNeverSent']);
  });

  it('reports Go type errors for iss, sub and aud', () => {
    expect(ids(withClaims('{"iss": 1, "sub": ["a"], "aud": true}'))).toEqual(['badType', 'badType', 'badType']);
  });

  it('names a non-string aud element as initClaimExpectations does', () => {
    const [finding] = lintCase({ grafana: withClaims('{"aud": ["grafana.example.com", 1]}'), pomerium: POMERIUM }).findings.filter((f) => f.ruleId === RULE);
    expect(finding!.messageId).toBe('badAudElement');
    expect(finding!.message).toContain('"aud" expectation contains value with invalid type float64, string expected');
  });

  it('says a type error stops Grafana at start (up to 13.0), not at each token', () => {
    const message = (grafanaVersion: string) => lintCase({ grafana: withClaims('{"iss": 1, "aud": "grafana.example.com"}'), pomerium: POMERIUM, grafanaVersion }).findings.find((f) => f.ruleId === RULE)!.message;
    expect(message('12.2.0')).toContain('Grafana refuses to start');
    expect(message('13.2.0')).toContain('jwt auth not configured');
  });

  it('says nothing while JWT auth is off (Grafana never reads expect_claims then)', () => {
    const off = edit(withClaims('{"iss": 1}'), 'enabled = true', 'enabled = false');
    expect(ids(off)).toEqual([]);
  });

  it('refuses a JSON array but lets null through', () => {
    expect(ids(withClaims('["aud"]'))).toEqual(['notObject']);
    expect(ids(withClaims('null'))).toEqual([]);
  });

  it('expects the uri issuer with jwt_issuer_format: uri', () => {
    const pomerium = edit(POMERIUM, 'routes:', 'jwt_issuer_format: uri\nroutes:');
    const grafana = withClaims('{"iss": "grafana.example.com", "aud": "grafana.example.com"}');
    expect(lintCase({ grafana, pomerium }).findings.filter((f) => f.ruleId === RULE).map((f) => f.messageId)).toEqual(['issMismatch']);
    const uri = withClaims('{"iss": "https://grafana.example.com/", "aud": "grafana.example.com"}');
    expect(lintCase({ grafana: uri, pomerium }).findings.filter((f) => f.ruleId === RULE)).toEqual([]);
  });

  it('accepts an aud array that holds the route host', () => {
    expect(ids(withClaims('{"aud": ["other.example.com", "grafana.example.com"]}'))).toEqual([]);
  });

  it('points the aud advice at [auth.jwt] when expect_claims is left at its default', () => {
    const grafana = edit(GRAFANA, 'expect_claims = {"aud": "grafana.example.com"}\n', '');
    expect(summarize(lintCase({ grafana, pomerium: POMERIUM }), RULE)).toEqual([`${RULE} addAud @ini:10:1`]);
  });
});

describe(`${RULE}: claims that change per token, and aud arrays before go-jose v4`, () => {
  const run = (json: string, extra: Parameters<typeof lintCase>[0] = {}) =>
    lintCase({ grafana: withClaims(json), pomerium: POMERIUM, ...extra }).findings.filter((f) => f.ruleId === RULE);

  it('rejects a fixed exp, iat, jti or sid: Grafana compares them with reflect.DeepEqual', () => {
    // grafana pkg/services/auth/jwt/validation.go validateClaims: the loop over s.expect returns "%q claim mismatch";
    // initClaimExpectations deletes only iss, sub and aud from the map, so exp/iat stay in it.
    const found = run('{"aud": "grafana.example.com", "exp": 1700000000, "iat": 1700000000, "jti": "abc", "sid": "s1"}');
    expect(found.map((f) => [f.messageId, f.severity])).toEqual([
      ['perToken', 'error'],
      ['perToken', 'error'],
      ['perToken', 'error'],
      ['perToken', 'error'],
    ]);
    expect(found[0]!.message).toContain('"exp" claim mismatch');
    // sid is per session (pomerium authorize/evaluator headers_evaluator_evaluation.go); jti per token from v0.27.
    expect(found.map((f) => f.message.match(/every (\w+)/)![1])).toEqual(['token', 'token', 'token', 'session']);
    expect(run('{"aud": "grafana.example.com", "jti": "abc"}', { pomeriumVersion: '0.26.0' })[0]!.message).toContain('every session');
  });

  it('before Grafana 11 (go-jose v2) an aud array needs every member in the token: an error', () => {
    // go-jose v2.6.3 jwt/validation.go ValidateWithLeeway: `for _, v := range e.Audience { if !c.Audience.Contains(v) ...}`.
    const [finding] = run('{"aud": ["grafana.example.com", "other.example.com"]}', { grafanaVersion: '10.4.0' });
    expect(finding).toMatchObject({ messageId: 'everyAudience', severity: 'error' });
    expect(run('{"aud": ["grafana.example.com", "grafana.example.com"]}', { grafanaVersion: '10.4.0' })).toEqual([]);
  });

  it('go-jose v3 (11.x, and 12.0 still pinned v3.0.4) also needs every member; from the v4 boundary any one will do', () => {
    // go-jose v3.0.5 jwt/validation.go ValidateWithLeeway still requires every member (grafana go.mod at 00033edd,
    // March 2025, pins v3.0.4); v4.0.0 jwt/validation.go AnyAudience wants one. v4's release is UNCONFIRMED
    // (src/explain/keys.ts GO_JOSE_V4 = 13.0.0), so 12.x gets a warning.
    const aud = '{"aud": ["grafana.example.com", "other.example.com"]}';
    expect(run(aud, { grafanaVersion: '11.3.0' }).map((f) => [f.messageId, f.severity])).toEqual([['everyAudience', 'error']]);
    expect(run(aud, { grafanaVersion: '12.1.0' }).map((f) => [f.messageId, f.severity])).toEqual([['everyAudienceMaybe', 'warning']]);
    expect(run(aud, { grafanaVersion: '13.0.0' })).toEqual([]);
  });
});

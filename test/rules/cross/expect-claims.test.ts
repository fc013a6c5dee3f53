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

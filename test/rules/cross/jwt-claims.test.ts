import { describe, expect, it } from 'vitest';
import { lintCase, summarize } from '../../helpers/lint.js';
import jwtClaims from '../../../src/rules/cross/jwt-claims.js';
import { edit, GRAFANA, POMERIUM } from './base.js';

const RULE = 'cross/jwt-claims';
const withLine = (line: string) => edit(GRAFANA, 'auto_sign_up = true', `auto_sign_up = true\n${line}`);

describe(RULE, () => {
  it('judges what grafana.ini alone tells (an IdP id as email, JMESPath syntax), but no claim against a Pomerium it has not seen', () => {
    const grafana = edit(withLine("role_attribute_path = contains(realm_access.roles[*], 'admin') && 'Admin' || 'Viewer' bad"), 'email_claim = email', 'email_claim = sub');
    expect(summarize(lintCase({ grafana }), RULE)).toEqual([`${RULE} emailIsSubject @ini:13:15`, `${RULE} pathSyntax @ini:19:87`]);
  });

  it('reports a JMESPath syntax error at the column of the bad token', () => {
    // line 19: `role_attribute_path = contains(groups, 'a') && 'Admin' bad`; `bad` is at column 56
    const result = lintCase({ grafana: withLine("role_attribute_path = contains(groups, 'a') && 'Admin' bad"), pomerium: POMERIUM });
    expect(summarize(result, RULE)).toEqual([`${RULE} pathSyntax @ini:19:56`]);
  });

  it('shifts the column past an opening quote go-ini removes', () => {
    const result = lintCase({ grafana: withLine('role_attribute_path = "a ~ b"'), pomerium: POMERIUM });
    expect(summarize(result, RULE)).toEqual([`${RULE} pathSyntax @ini:19:26`]);
  });

  it('names claims the path reads that Pomerium does not send, and not the literal or nested ones', () => {
    const result = lintCase({ grafana: withLine("role_attribute_path = contains(realm_access.roles[*], 'admin') && 'Admin' || 'Viewer'"), pomerium: POMERIUM });
    expect(result.findings.filter((f) => f.ruleId === RULE).map((f) => [f.messageId, f.message.match(/`(\w+)`/)?.[1]])).toEqual([['pathClaimNotSent', 'realm_access']]);
  });

  it("hints that a jwt_claims_headers extra reaches the JWT only when the IdP's session has it", () => {
    // v0.33.1 authorize/evaluator/headers_evaluator_evaluation.go getJWTPayload: an extra claim is set only when
    // getClaimStringSlice finds it in the session's or the user's claims.
    const result = lintCase({ grafana: withLine("role_attribute_path = contains(realm_access.roles[*], 'admin') && 'Admin' || 'Viewer'"), pomerium: POMERIUM });
    const [found] = result.findings.filter((f) => f.ruleId === RULE);
    expect(found!.hint).toContain("list it in the Pomerium option jwt_claims_headers: it reaches the JWT only when the identity provider's session has that claim");
  });

  it('warns that contains() on an extra claim is a substring test', () => {
    const pomerium = edit(POMERIUM, 'idp_provider: oidc', 'jwt_claims_headers: [roles]\nidp_provider: oidc');
    const result = lintCase({ grafana: withLine("role_attribute_path = contains(roles, 'admin') && 'Admin' || 'Viewer'"), pomerium });
    expect(summarize(result, RULE)).toEqual([`${RULE} extraIsString @ini:19:23`]);
  });

  it('makes a missing email and login claim an error, one alone a warning', () => {
    const one = lintCase({ grafana: edit(GRAFANA, 'email_claim = email', 'email_claim = mail'), pomerium: POMERIUM });
    expect(one.findings.filter((f) => f.ruleId === RULE).map((f) => f.severity)).toEqual(['warning']);
    const bothGrafana = edit(edit(GRAFANA, 'email_claim = email', 'email_claim = mail'), 'username_claim = email', 'username_claim = login');
    const alone = lintCase({ grafana: bothGrafana, pomerium: POMERIUM }, [jwtClaims]);
    expect(alone.findings.filter((f) => f.ruleId === RULE).map((f) => f.severity)).toEqual(['error', 'error']);
    // With every rule, the simulated sign-in says the line where Grafana's login/email step fails once
    // (src/doctor/consequences.ts): cross/sign-in there, and this rule at the other line.
    const all = lintCase({ grafana: bothGrafana, pomerium: POMERIUM });
    expect(all.findings.filter((f) => f.ruleId === RULE || f.ruleId === 'cross/sign-in').map((f) => `${f.ruleId} ${f.severity}`).sort()).toEqual(['cross/jwt-claims error', 'cross/sign-in error']);
  });

  it('does not judge a path Grafana ignores because the claim is set', () => {
    const result = lintCase({ grafana: withLine('email_attribute_path = mail'), pomerium: POMERIUM });
    expect(summarize(result, RULE)).toEqual([]);
  });

  it('knows the name claim arrived in Pomerium v0.18.0', () => {
    const grafana = edit(GRAFANA, 'username_claim = email', 'username_claim = name');
    expect(summarize(lintCase({ grafana, pomerium: POMERIUM, pomeriumVersion: '0.17.0' }), RULE)).toEqual([`${RULE} claimNotSent @ini:14:18`, `${RULE} usernameIsName @ini:14:18`]);
  });
});

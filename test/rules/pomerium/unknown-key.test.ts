import { describe, expect, it } from 'vitest';
import { BASE, edit, findings, run } from './base.js';

const ID = 'pomerium/unknown-key';
const second = (lines: string) => `${BASE}  - from: https://prometheus.example.com\n    to: http://prometheus:9090\n${lines}`;

describe(ID, () => {
  it('is silent on known keys, in any case, and on Envoy cluster fields under routes', () => {
    expect(findings(ID, { pomerium: second('    Allowed_Users: [ops@example.com]\n    connect_timeout: 5s\n') })).toEqual([]);
  });

  it('warns about an unknown top-level key with a suggestion', () => {
    const result = run({ pomerium: edit(['idp_provider: oidc', 'idp_provder: oidc']) }).filter((f) => f.ruleId === ID);
    expect(result.map((f) => [f.messageId, f.severity, f.line, f.column])).toEqual([['unknown', 'warning', 6, 1]]);
    expect(result[0]!.message).toContain('`idp_provider`');
  });

  it('warns about a route option written at the top level', () => {
    expect(findings(ID, { pomerium: `preserve_host_header: true\n${BASE}` })).toEqual(['routeOptionAtTop @yaml:1:1']);
  });

  it('errors on removed and refused keys', () => {
    expect(findings(ID, { pomerium: `${BASE}client_ca: abc\npolicy_file: policy.yaml\n` })).toEqual(['removed @yaml:21:1', 'refused @yaml:22:1']);
    const result = run({ pomerium: second('    allowed_groups: [admins]\n') }).filter((f) => f.ruleId === ID);
    expect(result.map((f) => [f.messageId, f.severity, f.line])).toEqual([['removed', 'error', 23]]);
  });

  it('says nothing of removed keys before v0.20.0, when they were still options', () => {
    expect(findings(ID, { pomerium: second('    allowed_groups: [admins]\n'), pomeriumVersion: '0.19.0' })).toEqual([]);
    expect(findings(ID, { pomerium: `${BASE}idp_service_account: abc\n`, pomeriumVersion: '0.19.0' })).toEqual([]);
  });

  it('treats removed route keys in the legacy policy list as merely unknown', () => {
    const pomerium = `${BASE}policy:\n  - from: https://old.example.com\n    to: http://old:80\n    allowed_groups: [admins]\n    connect_timeout: 5s\n`;
    expect(findings(ID, { pomerium })).toEqual(['unknown @yaml:24:5', 'unknown @yaml:25:5']);
  });

  it('explains signing_key_algorithm and jwt_groups_filter', () => {
    const pomerium = `${BASE}signing_key_algorithm: ES256\n`;
    expect(findings(ID, { pomerium })).toEqual(['signingKeyAlgorithm @yaml:21:1']);
    expect(findings(ID, { pomerium: second('    jwt_groups_filter: [admins]\n') })).toEqual(['groupsFilter @yaml:23:5']);
  });

  it("leaves a misspelled pass_identity_headers on Grafana's route to cross/pass-identity-headers", () => {
    const onGrafana = edit(['    pass_identity_headers: true', '    pass_identity_header: true']);
    expect(findings(ID, { pomerium: onGrafana })).toEqual([]);
    expect(findings(ID, { pomerium: second('    pass_identity_header: true\n') })).toEqual(['unknown @yaml:23:5']);
    // With a global true, cross/pass-identity-headers is satisfied and says nothing: the typo is ours.
    expect(findings(ID, { pomerium: `pass_identity_headers: true\n${onGrafana}` })).toEqual(['unknown @yaml:15:5']);
    const withoutKey = edit(['    pass_identity_headers: true\n', '']);
    expect(findings(ID, { pomerium: `pass_identity_header: true\n${withoutKey}` })).toEqual([]);
    expect(findings(ID, { pomerium: `pass_identity_header: true\n${BASE}` })).toEqual(['unknown @yaml:1:1']);
  });

  it('suggests the intended route key', () => {
    const result = run({ pomerium: edit(['    preserve_host_header: true', '    preserve_host_headers: true']) }).filter((f) => f.ruleId === ID);
    expect(result.map((f) => `${f.messageId} @${f.line}:${f.column}`)).toEqual(['unknown @15:5']);
    expect(result[0]!.message).toContain('did you mean `preserve_host_header`?');
  });
});

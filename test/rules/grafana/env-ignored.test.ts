import { describe, expect, it } from 'vitest';
import { BASE, edit, findings, run } from './helpers.js';

const ID = 'grafana/env-ignored';

describe(ID, () => {
  it('reports a variable for a key missing from that version\'s defaults.ini and from grafana.ini', () => {
    const grafana = edit(['expect_claims = {"aud": "grafana.example.com"}\n', '']);
    const env = { GF_AUTH_JWT_EXPECT_CLAIMS: '{"aud":"grafana.example.com"}' };
    expect(findings(ID, { grafana, env, grafanaVersion: '9.2.0' })).toEqual(['absentKey @ini:-:-']);
    expect(findings(ID, { grafana, env, grafanaVersion: '9.3.0' })).toEqual([]);
    // Written in grafana.ini, the key is present, so the variable applies.
    expect(findings(ID, { grafana: BASE, env, grafanaVersion: '9.2.0' })).toEqual([]);
  });

  it('reports a variable for a key the version never reads, even when defaults.ini lists it', () => {
    expect(findings(ID, { grafana: BASE, env: { GF_AUTH_JWT_EXPECTED_CLAIMS: '{}' }, grafanaVersion: '9.2.0' })).toEqual(['notRead @ini:-:-']);
    expect(findings(ID, { grafana: BASE, env: { GF_AUTH_JWT_KEY_VALUE: 'abc' }, grafanaVersion: '12.2.0' })).toEqual(['notRead @ini:-:-']);
  });

  it('suggests the real variable for a typo, and ignores sections it does not model', () => {
    const [finding] = run({ grafana: BASE, env: { GF_AUTH_JWT_EMIAL_CLAIM: 'email' } }).filter((f) => f.ruleId === ID);
    // pkg/setting/setting.go applyEnvVariableOverrides reads only GF_<SECTION>_<KEY> of present keys: silently ignored, an error.
    expect(finding).toMatchObject({ messageId: 'misspelled', severity: 'error' });
    expect(finding!.message).toContain('GF_AUTH_JWT_EMAIL_CLAIM');
    expect(findings(ID, { grafana: BASE, env: { GF_AUTH_LDAP_ENABLED: 'true', GF_DATABASE_TYPE: 'postgres', GF_INSTALL_PLUGINS: 'x' } })).toEqual([]);
  });

  it('points an [auth.jwt] variable for a [users] key at the variable Grafana reads, and reports unknown [auth.jwt] keys', () => {
    const [moved] = run({ grafana: BASE, env: { GF_AUTH_JWT_AUTO_ASSIGN_ORG_ROLE: 'Editor' } }).filter((f) => f.ruleId === ID);
    expect([moved!.messageId, moved!.hint]).toEqual(['misspelled', 'rename it to GF_USERS_AUTO_ASSIGN_ORG_ROLE']);
    expect(findings(ID, { grafana: BASE, env: { GF_AUTH_JWT_FOO: '1' } })).toEqual(['unknownKey @ini:-:-']);
  });

  it('reports an empty value, which Grafana skips', () => {
    expect(findings(ID, { grafana: BASE, env: { GF_AUTH_JWT_ENABLED: '' } })).toEqual(['empty @ini:-:-']);
  });

  it('makes GF_X with GF_X__FILE an error, quoting run.sh, without the values', () => {
    const env = { GF_SECURITY_ADMIN_PASSWORD: 'hunter2', GF_SECURITY_ADMIN_PASSWORD__FILE: '/run/secrets/admin' };
    const [finding] = run({ grafana: BASE, env }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'exclusive', severity: 'error' });
    expect(finding!.message).toBe('the Grafana Docker image refuses to start: "ERROR: Both GF_SECURITY_ADMIN_PASSWORD and GF_SECURITY_ADMIN_PASSWORD__FILE are set (but are exclusive)"');
    expect(findings(ID, { grafana: BASE, env: { ...env, GF_SECURITY_ADMIN_PASSWORD: '' } })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { BASE, edit, findings, run } from './helpers.js';

const ID = 'grafana/version-gate';

describe(ID, () => {
  it('makes auto_sign_up before 8.4.0 an error at the key', () => {
    const [finding] = run({ grafana: BASE, grafanaVersion: '8.3.9' }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'autoSignUp', severity: 'error', line: 18, column: 1 });
    expect(finding!.message).toContain('User not found');
    expect(findings(ID, { grafana: BASE, grafanaVersion: '8.4.0' })).toEqual([]);
    expect(findings(ID, { grafana: BASE, grafanaVersion: '8.4.0-beta1' })).toEqual(['autoSignUp @ini:18:1']);
  });

  it('says "needs" for confirmed releases and "first seen in" for the others', () => {
    const grafana = edit(['auto_sign_up = true', 'auto_sign_up = true\nemail_attribute_path = email\nkey_id = abc']);
    const result = run({ grafana, grafanaVersion: '10.1.0' }).filter((f) => f.ruleId === ID);
    expect(result.map((f) => [f.messageId, f.severity, f.line])).toEqual([
      // email_attribute_path: first read by 11.0.0 (pkg/setting/setting_jwt.go, reference grafana.md 1.1, confirmed):
      // an older Grafana silently ignores it, an error. An unconfirmed first release stays a warning.
      ['needs', 'error', 19],
      ['firstSeen', 'warning', 20],
    ]);
    expect(result[0]!.message).toContain('11.0.0');
  });

  it('skips booleans left off and values that are empty', () => {
    const grafana = edit(['auto_sign_up = true', 'auto_sign_up = false\ntls_skip_verify_insecure = false\nrole_attribute_path =']);
    expect(findings(ID, { grafana, grafanaVersion: '8.0.0' })).toEqual([]);
  });

  it('judges a GF_* variable that Grafana applies', () => {
    const result = run({ grafana: edit(['auto_sign_up = true', 'auto_sign_up = false']), env: { GF_AUTH_JWT_AUTO_SIGN_UP: 'true' }, grafanaVersion: '8.3.0' });
    expect(result.filter((f) => f.ruleId === ID).map((f) => f.message)).toEqual([expect.stringContaining('GF_AUTH_JWT_AUTO_SIGN_UP')]);
  });
});

import { describe, expect, it } from 'vitest';
import { edit, findings, run } from './helpers.js';

const ID = 'grafana/tls-skip-verify';
const skip = (value: string) => edit(['auto_sign_up = true', `auto_sign_up = true\ntls_skip_verify_insecure = ${value}`]);

describe(ID, () => {
  it('is an error at the value, with a hint that fits the version', () => {
    const [now] = run({ grafana: skip('true') }).filter((f) => f.ruleId === ID);
    expect(now).toMatchObject({ messageId: 'skipVerify', severity: 'error', line: 19, column: 28 });
    expect(now!.hint).toContain('tls_client_ca');
    const [old] = run({ grafana: skip('true'), grafanaVersion: '11.6.0' }).filter((f) => f.ruleId === ID);
    expect(old!.hint).toContain('jwk_set_file');
  });

  it('leaves it to version-gate before 11.6, and stays quiet when off or nothing is fetched', () => {
    expect(findings(ID, { grafana: skip('true'), grafanaVersion: '11.5.0' })).toEqual([]);
    expect(findings(ID, { grafana: skip('false') })).toEqual([]);
    const fileKeys = skip('true').replace(/^jwk_set_url = .*$/m, 'jwk_set_file = /etc/grafana/jwks.json');
    expect(findings(ID, { grafana: fileKeys })).toEqual([]);
  });
});

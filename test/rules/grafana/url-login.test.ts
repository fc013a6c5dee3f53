import { describe, expect, it } from 'vitest';
import { edit, findings, run } from './helpers.js';

const ID = 'grafana/url-login';
const urlLogin = (value: string) => edit(['auto_sign_up = true', `auto_sign_up = true\nurl_login = ${value}`]);

describe(ID, () => {
  it('warns at the value and turns it off', () => {
    const grafana = urlLogin('true');
    const [finding] = run({ grafana }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'tokenInUrl', severity: 'warning', line: 19, column: 13 });
    const e = finding!.fix!.edits[0]!;
    expect(grafana.slice(0, e.start) + e.text + grafana.slice(e.end)).toContain('url_login = false');
  });

  it('leaves an empty header_name to grafana/jwt-header-name (one finding for one mistake)', () => {
    const grafana = urlLogin('true').replace('header_name = X-Pomerium-Jwt-Assertion\n', '');
    const ids = run({ grafana }).filter((f) => f.ruleId === ID || f.ruleId === 'grafana/jwt-header-name').map((f) => `${f.ruleId} ${f.messageId}`);
    expect(ids).toEqual(['grafana/jwt-header-name missing']);
  });

  it('is quiet when off, and before 9.1 (version-gate says so)', () => {
    expect(findings(ID, { grafana: urlLogin('false') })).toEqual([]);
    expect(findings(ID, { grafana: urlLogin('true'), grafanaVersion: '9.0.0' })).toEqual([]);
  });
});

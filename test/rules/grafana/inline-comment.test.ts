import { describe, expect, it } from 'vitest';
import { parseIni } from '../../../src/grafana/ini-parse.js';
import { keyString } from '../../../src/grafana/ini-values.js';
import { edit, findings, run } from './helpers.js';

const ID = 'grafana/inline-comment';
const withLine = (line: string) => edit(['auto_sign_up = true', `auto_sign_up = true\n${line}`]);

/** Applies a finding's fix to the text. */
function applyFix(text: string, fix: { edits: { start: number; end: number; text: string }[] }): string {
  return [...fix.edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
}

describe(ID, () => {
  it('reports text cut off inside quotes, brackets or a URL, at the cut', () => {
    expect(findings(ID, { grafana: withLine('login_hint = "email;username"') })).toEqual(['cut @ini:19:20']);
    expect(findings(ID, { grafana: withLine('expect_claims = {"aud": "grafana#prod"}') })).toEqual(['cut @ini:19:33']);
    expect(findings(ID, { grafana: withLine('jwk_set_url = https://grafana.example.com/jwks.json#v2') })).toEqual(['cut @ini:19:52']);
  });

  it('leaves ordinary spaced-out comments alone', () => {
    for (const line of ['login_hint = email ; what users type', 'login_hint = email # what users type', 'login_hint = email ;', 'login_hint = `a;b`', 'login_hint = """a#b"""']) {
      expect(findings(ID, { grafana: withLine(line) })).toEqual([]);
    }
  });

  it('reports a cut secret but offers no fix (the running setup may use the cut value), and never shows it', () => {
    const [f] = run({ grafana: edit(['[users]', '[database]\npassword = hunter2#notacomment\n\n[users]']) }).filter((x) => x.ruleId === ID);
    expect([f!.messageId, f!.fix]).toEqual(['cut', undefined]);
    expect(f!.message).not.toMatch(/hunter2|notacomment/);
  });

  it('fixes the value so go-ini reads it whole (quotes the user wrote are dropped)', () => {
    for (const [line, meant] of [
      ['login_hint = "email;username" ; old comment', 'email;username'],
      ['signout_redirect_url = https://grafana.example.com/#/login ; keeps the hash route', 'https://grafana.example.com/#/login'],
      ['role_attribute_path = contains(groups[*], \'a#b\') && \'Admin\' || \'Viewer\'', "contains(groups[*], 'a#b') && 'Admin' || 'Viewer'"],
    ] as const) {
      const grafana = withLine(line);
      const finding = run({ grafana }).find((f) => f.ruleId === ID)!;
      const fixed = parseIni(applyFix(grafana, finding.fix!), 'grafana.ini');
      const key = line.split(' = ')[0]!;
      expect(keyString(fixed, 'auth.jwt', key)).toBe(meant);
    }
  });

  it('reports a GF_ value that carries an ini comment, but not a secret one', () => {
    const [finding] = run({ grafana: edit(), env: { GF_AUTH_JWT_HEADER_NAME: 'X-Pomerium-Jwt-Assertion ; from grafana.ini' } }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'envComment', line: null });
    expect(findings(ID, { grafana: edit(), env: { GF_AUTH_JWT_HEADER_NAME: 'X-Pomerium-Jwt-Assertion#x' } })).toEqual([]);
    expect(findings(ID, { grafana: edit(), env: { GF_SECURITY_ADMIN_PASSWORD: 'pa ss # word' } })).toEqual([]);
  });
});

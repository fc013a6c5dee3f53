import { describe, expect, it } from 'vitest';
import { BASE, edit, findings, run } from './helpers.js';

const ID = 'grafana/unknown-key';
const withJwt = (line: string) => edit(['auto_sign_up = true', `auto_sign_up = true\n${line}`]);

describe(ID, () => {
  it('reports dead and unsupported [auth.jwt] keys at the key', () => {
    expect(findings(ID, { grafana: withJwt('enable_login_token = true') })).toEqual(['neverRead @ini:19:1']);
    expect(findings(ID, { grafana: withJwt('name_attribute_path = name') })).toEqual(['neverRead @ini:19:1']);
  });

  it('makes expected_claims an error and renames it, unless expect_claims is already there', () => {
    const grafana = edit(['expect_claims =', 'expected_claims =']);
    const [finding] = run({ grafana }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'neverRead', severity: 'error', line: 17, column: 1, endColumn: 16 });
    const e = finding!.fix!.edits[0]!;
    expect(grafana.slice(0, e.start) + e.text + grafana.slice(e.end)).toBe(BASE);
    const [both] = run({ grafana: withJwt('expected_claims = {}') }).filter((f) => f.ruleId === ID);
    expect(both!.fix).toBeUndefined();
  });

  it('suggests the real key for typos and case mistakes, and fixes only case', () => {
    const typo = run({ grafana: withJwt('emial_claim = email') }).filter((f) => f.ruleId === ID);
    expect(typo.map((f) => [f.messageId, f.line, f.fix])).toEqual([['didYouMean', 19, undefined]]);
    expect(typo[0]!.message).toContain('`email_claim`');
    const [upper] = run({ grafana: withJwt('Url_Login = false') }).filter((f) => f.ruleId === ID);
    expect(upper!.fix!.edits[0]!.text).toBe('url_login');
  });

  it('reports any unknown [auth.jwt] key, but elsewhere only likely typos', () => {
    expect(findings(ID, { grafana: withJwt('frobnicate = 1') })).toEqual(['unknown @ini:19:1']);
    expect(findings(ID, { grafana: edit(['[users]', '[users]\ndefault_permissions = x']) })).toEqual([]);
    expect(findings(ID, { grafana: edit(['[users]', '[users]\nauto_asign_org = true']) })).toEqual(['didYouMean @ini:21:1']);
    expect(findings(ID, { grafana: `${BASE}\n[database]\nenabeld = x\n` })).toEqual([]);
  });

  it('leaves misplaced keys to grafana/misplaced-key and only judges the line go-ini keeps', () => {
    expect(findings(ID, { grafana: withJwt('auto_assign_org_role = Viewer') })).toEqual([]);
    expect(findings(ID, { grafana: withJwt('emial_claim = a\nemial_claim = b') })).toEqual(['didYouMean @ini:20:1']);
    expect(findings(ID, { grafana: BASE })).toEqual([]);
  });
});

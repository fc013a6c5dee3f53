import { describe, expect, it } from 'vitest';
import type { Fix } from '../../../src/core/finding.js';
import { BASE, edit, findings, run } from './helpers.js';

const ID = 'grafana/misplaced-key';

function applied(text: string, fix: Fix | undefined): string {
  expect(fix).toBeDefined();
  return fix!.edits.reduceRight((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
}

describe(ID, () => {
  it('says an [auth.jwt] key of [auth] takes effect through the parent lookup, and names the [auth] line it replaces', () => {
    const grafana = edit(['auto_sign_up = true', 'auto_sign_up = true\nsignout_redirect_url = https://grafana.example.com/.pomerium/sign_out']);
    const [finding] = run({ grafana }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'viaParent', severity: 'warning', line: 19, column: 1 });
    expect(finding!.message).toContain('replacing the [auth] value on line 8');
    expect(finding!.fix).toBeUndefined();
  });

  it('moves a parent-section key into [auth] when [auth] does not set it yet', () => {
    const grafana = edit(['[auth]\nsignout_redirect_url = https://grafana.example.com/.pomerium/sign_out\n', '[auth]\n'], ['auto_sign_up = true', 'auto_sign_up = true\ndisable_login_form = true']);
    const [finding] = run({ grafana }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'viaParent', line: 18 });
    const fixed = applied(grafana, finding!.fix);
    expect(fixed).toContain('[auth]\ndisable_login_form = true\n');
    expect(fixed).not.toMatch(/auto_sign_up = true\ndisable_login_form/);
    expect(findings(ID, { grafana: fixed })).toEqual([]);
  });

  it('follows go-ini: a repeated [auth] header merges into the first, so the [auth.jwt] line still wins; a GF_* variable beats it', () => {
    const grafana = `${edit(['auto_sign_up = true', 'auto_sign_up = true\ndisable_login_form = true'])}\n[auth]\ndisable_login_form = false\n`;
    const [finding] = run({ grafana }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'viaParent', line: 19 });
    expect(finding!.message).toContain('line 26');
    const lost = run({ grafana, env: { GF_AUTH_DISABLE_LOGIN_FORM: 'false' } }).filter((f) => f.ruleId === ID);
    expect(lost.map((f) => [f.messageId, f.line])).toEqual([['viaParentLost', 19]]);
    expect(lost[0]!.message).toContain('GF_AUTH_DISABLE_LOGIN_FORM');
  });

  it('reports a [users] key under [auth.jwt] as ignored, and moves it into [users] only when [users] lacks it', () => {
    const grafana = edit(['auto_sign_up = true', 'auto_sign_up = true\nauto_assign_org_role = Editor']);
    const [clash] = run({ grafana }).filter((f) => f.ruleId === ID);
    // pkg/setting/setting.go readUserSettings reads auto_assign_org_role from [users] only: a key in a section Grafana
    // never reads it from is silently ignored, an error whichever key it is.
    expect(clash).toMatchObject({ messageId: 'ignored', severity: 'error', line: 19, column: 1, endColumn: 21 });
    expect(clash!.fix).toBeUndefined();
    const alone = edit(['auto_assign_org_role = Viewer\n', ''], ['auto_sign_up = true', 'auto_sign_up = true\nauto_assign_org_role = Editor']);
    const [finding] = run({ grafana: alone }).filter((f) => f.ruleId === ID);
    expect(applied(alone, finding!.fix)).toMatch(/\[users\]\nauto_assign_org = true\nauto_assign_org_role = Editor\n$/);
  });

  it('adds the missing section at the end when moving', () => {
    const grafana = edit(['[users]\nauto_assign_org = true\nauto_assign_org_role = Viewer\n', ''], ['auto_sign_up = true', 'auto_sign_up = true\nauto_assign_org = true']);
    const [finding] = run({ grafana }).filter((f) => f.ruleId === ID);
    expect(applied(grafana, finding!.fix)).toMatch(/auto_sign_up = true\n\n\[users\]\nauto_assign_org = true\n$/);
  });

  it('is an error when a key JWT sign-in needs sits outside [auth.jwt]', () => {
    const grafana = edit(['auto_sign_up = true\n', ''], ['[auth]\n', '[auth]\nauto_sign_up = true\n']);
    const [finding] = run({ grafana }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'ignored', severity: 'error', line: 8 });
    expect(finding!.message).toContain('belongs in [auth.jwt]');
  });

  it('points JWT users at auto_sign_up when allow_sign_up sits in [auth.jwt]', () => {
    const [finding] = run({ grafana: edit(['auto_sign_up = true', 'allow_sign_up = true']) }).filter((f) => f.ruleId === ID);
    expect(finding!.hint).toContain('[auth.jwt] auto_sign_up');
  });

  it('leaves real keys, empty values, unknown keys and unmodelled sections alone', () => {
    expect(findings(ID, { grafana: BASE })).toEqual([]);
    expect(findings(ID, { grafana: edit(['auto_sign_up = true', 'auto_sign_up = true\nauto_assign_org_role =']) })).toEqual([]);
    expect(findings(ID, { grafana: edit(['auto_sign_up = true', 'auto_sign_up = true\nemial_claim = email']) })).toEqual([]);
    expect(findings(ID, { grafana: `${BASE}\n[security]\nauto_sign_up = true\n` })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { BASE, edit, findings, run } from './helpers.js';

const ID = 'grafana/anonymous-auth';
const anonymous = (lines: string) => `${BASE}\n[auth.anonymous]\n${lines}\n`;

describe(ID, () => {
  it('warns at `enabled` when anonymous access is on beside JWT', () => {
    const [finding] = run({ grafana: anonymous('enabled = true') }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'masksJwt', severity: 'warning', line: 25, column: 11 });
  });

  it('makes an Editor or Admin anonymous role an error, with or without JWT', () => {
    expect(findings(ID, { grafana: anonymous('enabled = true\norg_role = Admin') })).toEqual(['masksJwt @ini:25:11', 'writingRole @ini:26:12']);
    const withoutJwt = edit(['enabled = true', 'enabled = false']);
    expect(findings(ID, { grafana: `${withoutJwt}\n[auth.anonymous]\nenabled = yes\norg_role = Editor\n` })).toEqual(['writingRole @ini:26:12']);
  });

  it('reads the setting as Grafana does: GF_* variables and go-ini booleans', () => {
    expect(findings(ID, { grafana: BASE, env: { GF_AUTH_ANONYMOUS_ENABLED: 'true' } })).toEqual(['masksJwt @ini:-:-']);
    expect(findings(ID, { grafana: anonymous('enabled = enabled\norg_role = Admin') })).toEqual([]);
    expect(findings(ID, { grafana: anonymous('enabled = false\norg_role = Admin') })).toEqual([]);
  });
});

// signout_redirect_url by Grafana release: grafana PR #75269 (per-provider keys, [auth.jwt] listed in defaults.ini),
// PR #79635 ([auth]'s value honoured only for OAuth/SAML), PR #87631 (fix; backports #88749 to 10.4.x, #87681 to
// 11.0.x). Patch releases UNCONFIRMED: src/grafana/defaults.ts SIGNOUT_* windows.
import { describe, expect, it } from 'vitest';
import { lintCase } from '../../helpers/lint.js';
import { edit, GRAFANA, POMERIUM } from './base.js';

const AUTH_LINE = '[auth]\nsignout_redirect_url = https://grafana.example.com/.pomerium/sign_out\n';
const run = (grafana: string, grafanaVersion: string, rule: string) =>
  lintCase({ grafana, pomerium: POMERIUM, grafanaVersion }).findings.filter((f) => f.ruleId === rule).map((f) => [f.messageId, f.severity, f.line]);

describe('signout_redirect_url version windows', () => {
  it('in 10.3-10.4.4 and 11.0.0, [auth] signout_redirect_url is ignored for JWT users (#79635): an error that says upgrade', () => {
    expect(run(GRAFANA, '10.4.0', 'cross/signout-redirect')).toEqual([['ignoredForJwt', 'error', 8]]);
    expect(run(GRAFANA, '11.0.0', 'cross/signout-redirect')).toEqual([['ignoredForJwt', 'error', 8]]);
    // Before #79635 and after #87631 (11.1.0) the correct [auth] line is clean.
    for (const version of ['10.2.0', '11.1.0', '12.2.0']) expect(run(GRAFANA, version, 'cross/signout-redirect')).toEqual([]);
  });

  it('under [auth.jwt] the line works through go-ini\'s parent lookup (warning), except where defaults.ini lists it there (error)', () => {
    // pkg/setting/setting.go loadSpecifiedConfigFile: GetKey falls back to [auth] only when [auth.jwt] lacks the key;
    // PR #87631 removed `signout_redirect_url =` from [auth.jwt] in conf/defaults.ini ("never read into jwt config").
    const underJwt = edit(GRAFANA, AUTH_LINE, '[auth]\n').replace('[auth.jwt]\n', '[auth.jwt]\nsignout_redirect_url = https://grafana.example.com/.pomerium/sign_out\n');
    expect(run(underJwt, '12.2.0', 'grafana/misplaced-key').map((f) => f.slice(0, 2))).toEqual([['viaParent', 'warning']]);
    expect(run(underJwt, '10.2.0', 'grafana/misplaced-key').map((f) => f.slice(0, 2))).toEqual([['ignored', 'error']]);
    expect(run(underJwt, '10.2.0', 'cross/signout-redirect').map((f) => f[0])).toEqual(['missing']);
  });

  it('[auth.generic_oauth] signout_redirect_url is its own key from 10.2 (PR #75269), never [auth]\'s value', () => {
    const oauth = edit(GRAFANA, AUTH_LINE, '[auth]\n') + '\n[auth.generic_oauth]\nsignout_redirect_url = https://idp.example.com/logout\n';
    expect(run(oauth, '12.2.0', 'cross/signout-redirect').map((f) => f[0])).toEqual(['missing']);
    // Before 10.2 defaults.ini had no such key there, so go-ini's parent lookup did put it into [auth].
    expect(run(oauth, '10.1.0', 'cross/signout-redirect').map((f) => f[0])).toEqual(['wrong']);
  });
});

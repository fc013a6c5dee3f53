import { describe, expect, it } from 'vitest';
import { lintCase } from '../../helpers/lint.js';
import { edit, GRAFANA, POMERIUM } from './base.js';

const findings = (grafana: string, pomerium: string, rule: string) => lintCase({ grafana, pomerium }).findings.filter((f) => f.ruleId === rule);

describe('cross/signout-redirect', () => {
  it('adds an [auth] section when there is none, and the result is clean', () => {
    const grafana = edit(GRAFANA, '[auth]\nsignout_redirect_url = https://grafana.example.com/.pomerium/sign_out\n\n', '');
    const [finding] = findings(grafana, POMERIUM, 'cross/signout-redirect');
    expect(finding?.messageId).toBe('missing');
    const edits = finding!.fix!.edits;
    const fixed = edits.reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), grafana);
    expect(findings(fixed, POMERIUM, 'cross/signout-redirect')).toEqual([]);
  });
});

describe('cross/host-header', () => {
  it('accepts the route host in [security] csrf_trusted_origins', () => {
    const pomerium = edit(POMERIUM, '    preserve_host_header: true\n', '');
    expect(findings(GRAFANA, pomerium, 'cross/host-header').map((f) => f.messageId)).toEqual(['rewritten']);
    expect(findings(`${GRAFANA}\n[security]\ncsrf_trusted_origins = grafana.example.com\n`, pomerium, 'cross/host-header')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { lintCase } from '../../helpers/lint.js';
import { edit, GRAFANA, POMERIUM } from './base.js';

const RULE = 'cross/any-user-admin';
const POLICY = '    policy:\n      - allow:\n          or:\n            - domain:\n                is: example.com\n';
const anyone = edit(POMERIUM, POLICY, '    allow_any_authenticated_user: true\n');
const admin = edit(GRAFANA, 'auto_assign_org_role = Viewer', 'auto_assign_org_role = Admin');
const ids = (grafana: string, pomerium: string, grafanaVersion?: string) =>
  lintCase({ grafana, pomerium, ...(grafanaVersion ? { grafanaVersion } : {}) }).findings.filter((f) => f.ruleId === RULE).map((f) => f.messageId);

describe(RULE, () => {
  it('needs any-user access, sign-up and an Admin default together', () => {
    expect(ids(admin, anyone)).toEqual(['anyoneIsAdmin']);
    expect(ids(admin, POMERIUM)).toEqual([]);
    expect(ids(edit(admin, 'auto_sign_up = true', 'auto_sign_up = false'), anyone)).toEqual([]);
  });

  it('knows auto_sign_up arrived in Grafana 8.4.0', () => {
    expect(ids(admin, anyone, '8.3.6')).toEqual([]);
  });

  it('lets a role path that gives Viewer to users without groups win over the Admin fallback', () => {
    const grafana = edit(admin, 'auto_sign_up = true', "auto_sign_up = true\nrole_attribute_path = contains(groups[*], 'ops') && 'Admin' || 'Viewer'");
    expect(ids(grafana, anyone)).toEqual([]);
  });

  it('does not judge a policy with a deny block, or an and with a real restriction', () => {
    const deny = edit(POMERIUM, POLICY, '    policy:\n      - allow:\n          or:\n            - authenticated_user: true\n        deny:\n          or:\n            - email:\n                is: x@example.com\n');
    const and = edit(POMERIUM, POLICY, '    policy:\n      allow:\n        and:\n          - authenticated_user: true\n          - domain:\n              is: example.com\n');
    expect(ids(admin, deny)).toEqual([]);
    expect(ids(admin, and)).toEqual([]);
  });
});

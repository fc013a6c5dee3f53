import { describe, expect, it } from 'vitest';
import { edit, findings, run } from './helpers.js';

const ID = 'grafana/claim-and-path';

describe(ID, () => {
  it('reports the ignored path at its value, for email and username', () => {
    const grafana = edit(['email_claim = email', 'email_claim = email\nemail_attribute_path = mail'], ['username_claim = email', 'username_claim = email\nusername_attribute_path = preferred_username']);
    expect(findings(ID, { grafana })).toEqual(['pathIgnored @ini:14:24', 'pathIgnored @ini:16:27']);
  });

  it('sees a claim set by a GF_ variable', () => {
    const grafana = edit(['email_claim = email\n', 'email_attribute_path = mail\n']);
    expect(findings(ID, { grafana })).toEqual([]);
    const [finding] = run({ grafana, env: { GF_AUTH_JWT_EMAIL_CLAIM: 'email' } }).filter((f) => f.ruleId === ID);
    expect(finding!.message).toContain('GF_AUTH_JWT_EMAIL_CLAIM = email');
  });

  it('says nothing before 11.0, where Grafana reads no path at all', () => {
    expect(findings(ID, { grafana: edit(['email_claim = email', 'email_claim = email\nemail_attribute_path = mail']), grafanaVersion: '10.4.0' })).toEqual([]);
  });
});

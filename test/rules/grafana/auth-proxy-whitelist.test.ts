import { describe, expect, it } from 'vitest';
import { BASE, edit, findings, run } from './helpers.js';

const ID = 'grafana/auth-proxy-whitelist';
const proxy = (lines: string, base = BASE) => `${base}\n[auth.proxy]\n${lines}\n`;

describe(ID, () => {
  it('is an error at the section header when the proxy trusts any address, with or without JWT', () => {
    const [finding] = run({ grafana: proxy('enabled = true') }).filter((f) => f.ruleId === ID && f.messageId === 'noWhitelist');
    expect(finding).toMatchObject({ severity: 'error', line: 24, column: 1 });
    expect(finding!.message).toContain('X-WEBAUTH-USER');
    expect(findings(ID, { grafana: proxy('enabled = true\nheader_name = X-Email', edit(['enabled = true', 'enabled = false'])) })).toEqual(['noWhitelist @ini:24:1']);
  });

  it('warns at `enabled` beside JWT, mentioning the old order before 9.2', () => {
    const grafana = proxy('enabled = true\nwhitelist = 10.0.0.5');
    expect(findings(ID, { grafana })).toEqual(['beside @ini:25:11']);
    const [old] = run({ grafana, grafanaVersion: '9.1.0' }).filter((f) => f.ruleId === ID);
    expect(old!.message).toContain('before the JWT');
  });

  it('is quiet when the proxy is off', () => {
    expect(findings(ID, { grafana: proxy('enabled = false') })).toEqual([]);
    expect(findings(ID, { grafana: BASE })).toEqual([]);
  });
});

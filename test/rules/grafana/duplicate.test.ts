import { describe, expect, it } from 'vitest';
import { BASE, edit, findings, run } from './helpers.js';

const ID = 'grafana/duplicate';

describe(ID, () => {
  it('reports each overridden line, covering the whole entry, and names the winner', () => {
    const grafana = edit(['email_claim = email', 'email_claim = mail\nemail_claim = upn\nemail_claim = email']);
    const result = run({ grafana }).filter((f) => f.ruleId === ID);
    expect(result.map((f) => [f.messageId, f.severity, f.line, f.column, f.endColumn])).toEqual([
      // go-ini v1.67.0 section.go NewKey: a repeated key replaces the earlier value, so the earlier line is
      // silently dropped: an error under the severity rule (docs/rules/README.md).
      ['overridden', 'error', 13, 1, 19],
      ['overridden', 'error', 14, 1, 18],
    ]);
    expect(result[0]!.message).toContain('line 15');
  });

  it('counts keys across repeated headers of one section, not across different sections', () => {
    expect(findings(ID, { grafana: `${BASE}\n[auth.jwt]\nauto_sign_up = false\n` })).toEqual(['overridden @ini:18:1', 'section @ini:24:1']);
    expect(findings(ID, { grafana: `${BASE}\n[ auth.jwt ]\nauto_sign_up = false\n` })).toEqual([]);
  });

  it('says an empty last value leaves the default, and a repeat of the same value is only info', () => {
    expect(findings(ID, { grafana: edit(['cache_ttl = 60m', 'cache_ttl = 10m\ncache_ttl =']) })).toEqual(['blanked @ini:16:1']);
    const [same] = run({ grafana: edit(['auto_sign_up = true', 'auto_sign_up = true\nauto_sign_up = true']) }).filter((f) => f.ruleId === ID);
    expect(same).toMatchObject({ messageId: 'repeated', severity: 'info' });
  });

  it('never quotes a value, so a repeated secret stays hidden', () => {
    const result = run({ grafana: '[security]\nadmin_password = first-secret\nadmin_password = second-secret\n' }).filter((f) => f.ruleId === ID);
    expect(result).toHaveLength(1);
    expect(JSON.stringify(result)).not.toMatch(/first-secret|second-secret/);
  });

  it('ignores go-ini list items written as `-`', () => {
    expect(findings(ID, { grafana: '[list]\n- = a\n- = b\n' })).toEqual([]);
  });

  it('reports every overridden line when repeats of two keys interleave, and nothing for the last of each', () => {
    // go-ini v1.67.0 section.go NewKey: each repeat replaces the value, so lines 2, 3 and 4 lose to lines 5 and 6.
    const grafana = '[server]\ndomain = a\nhttp_port = 1\ndomain = b\nhttp_port = 2\ndomain = c\n';
    expect(findings(ID, { grafana })).toEqual(['overridden @ini:2:1', 'overridden @ini:3:1', 'overridden @ini:4:1']);
  });
});

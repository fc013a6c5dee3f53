import { describe, expect, it } from 'vitest';
import { BASE, findings, run } from './helpers.js';

const ID = 'grafana/ini-syntax';

describe(ID, () => {
  it('points at the line go-ini fails on and quotes its message', () => {
    expect(findings(ID, { grafana: `${BASE}\nthis is not a setting\n` })).toEqual([`loadError @ini:${BASE.split('\n').length + 1}:1`]);
    expect(run({ grafana: '[auth.jwt\nenabled = true\n' })[0]!.message).toContain('unclosed section: [auth.jwt');
    // go-ini quotes the line with its line ending; the sentence goes on without it.
    expect(run({ grafana: '[a]\nno equals here\r\n' })[0]!.message).toContain('key-value delimiter not found: no equals here. Grafana stops');
  });

  it('masks the line when it looks like a secret', () => {
    const [finding] = run({ grafana: '[security]\nadmin_password hunter2\n' });
    expect(finding!.message).not.toContain('hunter2');
    expect(finding!.message).toContain('key-value delimiter not found');
  });

  it('keeps the rules that judge values quiet when the file does not load', () => {
    const judged = ['jwt-not-enabled', 'jwt-header-name', 'jwt-key-source', 'jwk-set-url-scheme', 'invalid-value', 'duplicate', 'inline-comment', 'claim-and-path'];
    const ids = run({ grafana: '[auth.jwt]\nenabled = false\nenabled = false\nnonsense\n' }).map((f) => f.ruleId);
    expect(ids).toContain(ID);
    for (const name of judged) expect(ids).not.toContain(`grafana/${name}`);
  });

  it('says nothing about a file that loads', () => {
    expect(findings(ID, { grafana: BASE })).toEqual([]);
  });
});

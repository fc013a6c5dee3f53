import { describe, expect, it } from 'vitest';
import { BASE, edit, run } from './base.js';

const ID = 'pomerium/host-rewrite-header';
const applyFix = (text: string, edits: { start: number; end: number; text: string }[]) =>
  [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
const mine = (pomerium: string) => run({ pomerium }).filter((f) => f.ruleId === ID);

describe(ID, () => {
  it('is silent on preserve_host_header and on a real header name', () => {
    expect(mine(BASE)).toEqual([]);
    expect(mine(edit(['    preserve_host_header: true', '    host_rewrite_header: X-Forwarded-Host']))).toEqual([]);
  });

  it('warns on host_rewrite_header: true and fixes it to preserve_host_header: true', () => {
    const pomerium = edit(['    preserve_host_header: true', '    host_rewrite_header: true']);
    const [f] = mine(pomerium);
    expect([f!.messageId, f!.line, f!.column]).toEqual(['boolHeaderName', 15, 26]);
    expect(f!.message).toContain('a header named "1"');
    expect(applyFix(pomerium, f!.fix!.edits)).toBe(BASE);
  });

  it('warns without a fix when the value is not plain true or preserve_host_header is there too', () => {
    const quoted = mine(edit(['    preserve_host_header: true', '    host_rewrite_header: "true"']));
    expect(quoted.map((f) => [f.messageId, f.fix])).toEqual([['boolHeaderName', undefined]]);
    const both = mine(edit(['    preserve_host_header: true', '    preserve_host_header: true\n    host_rewrite_header: true']));
    expect(both.map((f) => [f.messageId, f.line, f.fix])).toEqual([['boolHeaderName', 16, undefined]]);
  });
});

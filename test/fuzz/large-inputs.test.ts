// Large inputs in the shapes that once made doctor's readers and rules quadratic. Nothing here is
// timed: each case is sized so that linear code finishes in about a second while the quadratic
// code it replaced needs minutes, far past the test timeout (speed itself is shown by `npm run bench`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIni } from '../../src/grafana/ini-parse.js';
import { readPomeriumConfig } from '../../src/pomerium/read.js';
import { GRAFANA_FILE, lintCase, POMERIUM_FILE } from '../helpers/lint.js';

const BASE = new URL('../fixtures/rules/_base/', import.meta.url).pathname;
const BASE_YAML = readFileSync(`${BASE}pomerium.yaml`, 'utf8');

const lines = (count: number, line: (i: number) => string) => Array.from({ length: count }, (_, i) => line(i)).join('\n') + '\n';

describe('grafana.ini', () => {
  it('150 000 sections: every one read, the last key found through the model', () => {
    const text = lines(150_000, (i) => `[s${i}]\nk = v${i}`);
    const doc = parseIni(text, GRAFANA_FILE);
    expect(doc.sections).toHaveLength(150_001); // DEFAULT first
    expect(doc.sections.at(-1)).toEqual({ name: 's149999', keys: [{ key: 'k', value: 'v149999' }] });
    const result = lintCase({ grafana: text, pomerium: BASE_YAML });
    expect(result.ctx.grafana!.get('s149999', 'k')).toMatchObject({ value: 'v149999', source: 'file', span: { line: 300_000, column: 5 } });
  });

  it('a 200 000-line continued value: joined in order, its span from the first line to the last', () => {
    const text = '[auth.jwt]\nexpect_claims = {\\\n' + '"a":1,\\\n'.repeat(200_000) + '"b":2}\n';
    const doc = parseIni(text, GRAFANA_FILE);
    const entry = doc.entries[0]!;
    expect(entry.value).toBe('{' + '"a":1,'.repeat(200_000) + '"b":2}');
    expect(entry.valueSpan).toMatchObject({ line: 2, column: 17, endLine: 200_003, endColumn: 7 });
  });

  it('one key written 100 000 times: every overridden line reported', () => {
    const text = '[auth.jwt]\n' + lines(100_000, (i) => `header_name = X-Pomerium-Jwt-Assertion${i === 99_999 ? '' : i}`);
    const duplicates = lintCase({ grafana: text, pomerium: BASE_YAML }).findings.filter((f) => f.ruleId === 'grafana/duplicate');
    expect(duplicates).toHaveLength(99_999);
    expect(duplicates.at(-1)).toMatchObject({ line: 100_000, message: expect.stringContaining('set again on line 100001') });
  });

  it('60 000 disable comments, each over a finding: all of them used', () => {
    const text = '[auth.jwt]\n' + lines(60_000, (i) => `; grafana-pomerium-disable-next-line grafana/duplicate\nheader_name = X${i}`) + 'header_name = X-Pomerium-Jwt-Assertion\n';
    const rules = lintCase({ grafana: text, pomerium: BASE_YAML }).findings.map((f) => f.ruleId);
    expect(rules).not.toContain('grafana/duplicate');
    expect(rules).not.toContain('meta/unused-disable-directive');
    // Without the comments, each of those lines is reported.
    const bare = text.replace(/^; .*\n/gm, '');
    expect(lintCase({ grafana: bare, pomerium: BASE_YAML }).findings.filter((f) => f.ruleId === 'grafana/duplicate')).toHaveLength(60_000);
  });
});

describe('Pomerium config', () => {
  const route = (i: number, extra: string[]) => [`  - from: https://app-${i}.example.com`, ...extra].join('\n');

  it('10 000 routes merging one anchored mapping: each route gets its values', () => {
    const text = 'base: &b {to: "http://app:8080", pass_identity_headers: true}\nroutes:\n' + lines(10_000, (i) => route(i, ['    <<: *b']));
    const model = readPomeriumConfig(text, POMERIUM_FILE);
    expect(model.routes).toHaveLength(10_000);
    expect(model.routes.every((r) => r.to?.value[0]?.url === 'http://app:8080' && r.passIdentityHeaders?.value === true)).toBe(true);
  });

  it('15 000 routes with host_rewrite_header: true: one fix each, at its own key', () => {
    const text = 'routes:\n' + lines(15_000, (i) => route(i, ['    to: http://app:8080', '    host_rewrite_header: true']));
    const fixes = lintCase({ pomerium: text }).findings.filter((f) => f.ruleId === 'pomerium/host-rewrite-header').map((f) => f.fix!);
    expect(fixes).toHaveLength(15_000);
    const last = fixes.at(-1)!.edits[0]!;
    expect(text.slice(last.start, last.end)).toBe('host_rewrite_header');
    expect(text.lastIndexOf('host_rewrite_header')).toBe(last.start);
  });
});

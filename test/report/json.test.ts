import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/report/json.js';
import { VERSION } from '../../src/version.js';
import { SECRET, expectExpectedFile, reportInput } from './fixtures.js';

describe('json report', () => {
  const text = formatJson(reportInput());
  const report = JSON.parse(text);

  it('matches the expected output', () => {
    expectExpectedFile(text, 'report.json');
  });

  it('is one line ending in a newline', () => {
    expect(text.indexOf('\n')).toBe(text.length - 1);
  });

  it('has exactly the documented keys, in order', () => {
    expect(Object.keys(report)).toEqual(['tool', 'version', 'findings', 'summary']);
    expect(report.tool).toBe('grafana-pomerium');
    expect(report.version).toBe(VERSION);
    const keys = ['ruleId', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn'];
    for (const finding of report.findings) {
      expect(Object.keys(finding)).toEqual(finding.hint === undefined ? keys : [...keys, 'hint']);
    }
    expect(report.summary).toEqual({ errors: 3, warnings: 3, infos: 1 });
  });

  it('gives null positions to findings without a place', () => {
    const placeless = report.findings.find((f: { ruleId: string }) => f.ruleId === 'cross/grafana-route');
    expect(placeless).toMatchObject({ file: null, line: null, column: null, endLine: null, endColumn: null });
  });

  it('carries no source text, so no secret', () => {
    expect(text).not.toContain(SECRET);
  });

  it('reports an empty run', () => {
    expect(JSON.parse(formatJson(reportInput({ findings: [] })))).toEqual({
      tool: 'grafana-pomerium',
      version: VERSION,
      findings: [],
      summary: { errors: 0, warnings: 0, infos: 0 },
    });
  });
});

import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { formatHuman } from '../../src/report/human.js';
import { SECRET, expectExpectedFile, reportInput } from './fixtures.js';

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'grafana/x',
  severity: 'error',
  message: 'm',
  file: 'a.ini',
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 2,
  ...over,
});

describe('human report', () => {
  it('matches the expected text without colour', () => {
    expectExpectedFile(formatHuman(reportInput()), 'human.txt');
  });

  it('matches the expected text with colour', () => {
    expectExpectedFile(formatHuman(reportInput({ colors: new Chalk({ level: 1 }) })), 'human-color.txt');
  });

  it('uses no escape codes when colour is off', () => {
    expect(formatHuman(reportInput())).not.toContain('\u001b');
  });

  it('never prints a masked secret', () => {
    expect(formatHuman(reportInput({ colors: new Chalk({ level: 1 }) }))).not.toContain(SECRET);
  });

  it('masks a secret key\'s value by its name even without a span masker; --show-secrets prints the raw line', () => {
    expect(formatHuman(reportInput({ maskSecrets: undefined }))).not.toContain(SECRET);
    expect(formatHuman(reportInput({ maskSecrets: undefined, showSecrets: true }))).toContain(SECRET);
  });

  it('says so when there is nothing to report', () => {
    expect(formatHuman(reportInput({ findings: [] }))).toBe('✓ no problems found\n');
  });

  it('gets singular and plural right', () => {
    const one = formatHuman(reportInput({ findings: [finding({})], sources: new Map() }));
    expect(one.endsWith('✖ 1 problem (1 error, 0 warnings, 0 infos)\n')).toBe(true);
    const infos = [finding({ severity: 'info' }), finding({ severity: 'info', line: 2 })];
    expect(formatHuman(reportInput({ findings: infos, sources: new Map() }))).toContain('✖ 2 problems (0 errors, 0 warnings, 2 infos)');
  });

  it('keeps the caret under the span after a tab', () => {
    const lines = formatHuman(reportInput()).split('\n');
    const at = lines.findIndex((line) => line.startsWith('5 | '));
    const source = lines[at]!.slice(4);
    const caret = lines[at + 1]!.slice(4);
    expect(source).not.toContain('\t');
    expect(caret).toBe(' '.repeat(source.indexOf('sub')) + '^~~');
  });

  it('counts wide characters as two cells when placing the caret', () => {
    const lines = formatHuman(reportInput()).split('\n');
    const at = lines.findIndex((line) => line.startsWith('7 | '));
    const caret = lines[at + 1]!.slice(4);
    // "org_name = Überwachung " is 23 cells, "監視" 4, then one space: the ";" is at cell 28.
    expect(caret).toBe(' '.repeat(28) + '^~~~~~~~');
  });

  it('puts a caret at an empty span and at a span past the end of the line', () => {
    const sources = new Map([['a.ini', 'kid = value\n']]);
    const empty = formatHuman(reportInput({ findings: [finding({ column: 4, endColumn: 4 })], sources }));
    expect(empty).toContain('1 | kid = value\n  |    ^\n');
    const past = formatHuman(reportInput({ findings: [finding({ column: 20, endColumn: 25 })], sources }));
    expect(past).toContain('1 | kid = value\n  |            ^\n');
  });

  it('leaves out the excerpt when the line is not in the source', () => {
    const text = formatHuman(reportInput({ findings: [finding({ line: 9, endLine: 9 })], sources: new Map([['a.ini', 'x = 1\n']]) }));
    expect(text).not.toContain(' | ');
    expect(text.startsWith('a.ini:9:1: error: m [grafana/x]\n  docs: ')).toBe(true);
  });
});

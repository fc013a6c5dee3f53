import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../src/core/finding.js';
import { escapeData, escapeProperty, formatGithub, workflowCommand } from '../../src/report/github.js';
import { formatHuman } from '../../src/report/human.js';
import { CWD, SECRET, expectExpectedFile, reportInput } from './fixtures.js';

const finding = (severity: Severity, line: number): Finding => ({
  ruleId: 'grafana/x',
  severity,
  message: `${severity} ${line}`,
  file: 'grafana.ini',
  line,
  column: 1,
  endLine: line,
  endColumn: 2,
});

describe('github report', () => {
  const text = formatGithub(reportInput({ colors: new Chalk({ level: 1 }) }));

  it('matches the expected output', () => {
    expectExpectedFile(text, 'github.txt');
  });

  it('follows the commands with the plain human report', () => {
    expect(text.endsWith(`\n\n${formatHuman(reportInput())}`)).toBe(true);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain(SECRET);
  });

  it('escapes data as actions/toolkit does, % first', () => {
    expect(escapeData('100%\r\nnext: a, b')).toBe('100%25%0D%0Anext: a, b');
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('escapes properties as actions/toolkit does, also : and ,', () => {
    expect(escapeProperty('configs/team:a,b/p%.yaml\n')).toBe('configs/team%3Aa%2Cb/p%25.yaml%0A');
  });

  it('gives columns only when the span is on one line', () => {
    const multi = { ...finding('error', 4), endLine: 10, endColumn: 32 };
    expect(workflowCommand(multi, CWD)).toBe('::error file=/work/repo/grafana.ini,line=4,endLine=10,title=grafana/x::error 4');
    expect(workflowCommand(finding('warning', 3), CWD)).toBe(
      '::warning file=/work/repo/grafana.ini,line=3,endLine=3,col=1,endColumn=2,title=grafana/x::warning 3',
    );
  });

  it('gives absolute paths, which the runner makes relative to the workspace', () => {
    expect(workflowCommand({ ...finding('info', 1), file: 'deploy/grafana.ini' }, CWD)).toMatch(/^::notice file=\/work\/repo\/deploy\/grafana.ini,/);
    expect(workflowCommand({ ...finding('info', 1), file: '/etc/grafana.ini' }, CWD)).toMatch(/^::notice file=\/etc\/grafana.ini,/);
  });

  it('annotates at most 10 findings of each severity and counts the rest', () => {
    const findings = [
      ...Array.from({ length: 12 }, (_, i) => finding('error', i + 1)),
      ...Array.from({ length: 11 }, (_, i) => finding('warning', i + 20)),
      finding('info', 40),
    ];
    const lines = formatGithub(reportInput({ findings, sources: new Map() })).split('\n');
    const commands = lines.filter((line) => line.startsWith('::'));
    expect(commands.filter((c) => c.startsWith('::error '))).toHaveLength(10);
    expect(commands.filter((c) => c.startsWith('::warning '))).toHaveLength(10);
    expect(commands.filter((c) => c.startsWith('::notice '))).toHaveLength(1);
    expect(lines[21]).toBe('3 more findings not annotated (see the full report)');
    expect(lines.filter((line) => line.startsWith('grafana.ini:'))).toHaveLength(24);
  });

  it('prints only the human report when there are no findings', () => {
    expect(formatGithub(reportInput({ findings: [] }))).toBe('✓ no problems found\n');
  });
});

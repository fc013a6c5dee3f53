import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { Finding, Severity } from '../../src/core/finding.js';
import { useColor } from '../../src/report/color.js';
import { getExitCode, type FailLevel } from '../../src/report/exit-code.js';
import { REPORT_FORMATS, getReporter } from '../../src/report/index.js';
import { formatJson } from '../../src/report/json.js';
import { ruleDocsUrl } from '../../src/report/rule-docs.js';

const findingOf = (severity: Severity): Finding => ({
  ruleId: 'grafana/x',
  severity,
  message: 'm',
  file: null,
  line: null,
  column: null,
  endLine: null,
  endColumn: null,
});

describe('getExitCode', () => {
  // [worst severity found (none: no findings), fail level, exit code]
  const table: [Severity | null, FailLevel, 0 | 1][] = [
    [null, 'error', 0],
    [null, 'info', 0],
    ['info', 'error', 0],
    ['info', 'warning', 0],
    ['info', 'info', 1],
    ['info', 'none', 0],
    ['warning', 'error', 0],
    ['warning', 'warning', 1],
    ['warning', 'info', 1],
    ['warning', 'none', 0],
    ['error', 'error', 1],
    ['error', 'warning', 1],
    ['error', 'info', 1],
    ['error', 'none', 0],
  ];
  it.each(table)('worst %s at --fail-level %s exits %i', (worst, failLevel, code) => {
    const below: Severity[] = worst === 'error' ? ['info', 'warning'] : worst === 'warning' ? ['info'] : [];
    const findings = worst === null ? [] : [...below, worst].map(findingOf);
    expect(getExitCode(findings, failLevel)).toBe(code);
  });
});

describe('useColor', () => {
  const cases: [boolean | undefined, boolean, Record<string, string>, boolean][] = [
    [true, false, { NO_COLOR: '1' }, true],
    [false, true, { FORCE_COLOR: '1' }, false],
    [undefined, true, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    [undefined, true, { NO_COLOR: '' }, true],
    [undefined, false, { FORCE_COLOR: '1' }, true],
    [undefined, false, { FORCE_COLOR: '' }, true],
    [undefined, true, { FORCE_COLOR: '0' }, false],
    [undefined, true, { FORCE_COLOR: 'false' }, false],
    [undefined, true, { TERM: 'xterm-256color' }, true],
    [undefined, true, { TERM: 'dumb' }, false],
    [undefined, true, {}, true],
    [undefined, false, {}, false],
  ];
  it.each(cases)('flag %s, tty %s, env %j -> %s', (flag, isTTY, env, expected) => {
    expect(useColor(flag, isTTY, env)).toBe(expected);
  });
});

describe('getReporter', () => {
  it('knows every format', () => {
    expect(REPORT_FORMATS).toEqual(['human', 'json', 'sarif', 'github', 'gitlab']);
    expect(getReporter('json')).toBe(formatJson);
  });

  it('refuses an unknown format with a UserError that lists the formats', () => {
    expect(() => getReporter('xml')).toThrow(UserError);
    try {
      getReporter('xml');
    } catch (err) {
      expect((err as UserError).options.hint).toBe('use one of: human, json, sarif, github, gitlab');
    }
  });
});

describe('ruleDocsUrl', () => {
  it('names the command that prints the page shipped in the package, never a web address', () => {
    expect(ruleDocsUrl('grafana/jwt-header-name')).toBe('grafana-pomerium rule grafana/jwt-header-name');
  });
});

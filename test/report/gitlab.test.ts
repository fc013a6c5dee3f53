import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { formatGitlab } from '../../src/report/gitlab.js';
import { getReporter } from '../../src/report/index.js';
import { FINDINGS, GRAFANA_INI, POMERIUM_YAML, expectExpectedFile, reportInput } from './fixtures.js';

// GitLab's documented Code Quality fields (see the schema's $comment).
const schema = JSON.parse(readFileSync(new URL('../fixtures/gitlab/code-quality.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

describe('gitlab report', () => {
  const text = formatGitlab(reportInput());
  const issues = JSON.parse(text);

  it('matches the expected output', () => {
    expectExpectedFile(text, 'report.gitlab.json');
  });

  it('is registered as --format gitlab', () => {
    expect(getReporter('gitlab')).toBe(formatGitlab);
  });

  it('validates against GitLab\'s documented Code Quality fields', () => {
    expect(validate(issues), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it.each([
    ['an unknown severity', (bad: any) => (bad[0].severity = 'error')],
    ['an absolute path', (bad: any) => (bad[0].location.path = '/abs/grafana.ini')],
    ['no lines', (bad: any) => delete bad[1].location.lines],
    ['no fingerprint', (bad: any) => delete bad[2].fingerprint],
    ['line 0', (bad: any) => (bad[3].location.lines.begin = 0)],
  ])('is checked by a schema that rejects %s', (_name, spoil) => {
    const bad = structuredClone(issues);
    spoil(bad);
    expect(validate(bad)).toBe(false);
  });

  it('keeps every finding, maps severities, and makes paths relative to the project', () => {
    expect(issues).toHaveLength(FINDINGS.length);
    expect(new Set(issues.map((i: any) => i.severity))).toEqual(new Set(['major', 'minor', 'info']));
    const header = issues.find((i: any) => i.check_name === 'grafana/jwt-header-name');
    expect(header).toMatchObject({ severity: 'major', location: { path: GRAFANA_INI, lines: { begin: 4 } } });
    const multiLine = issues.find((i: any) => i.check_name === 'pomerium/pass-identity-headers');
    expect(multiLine.location.lines).toEqual({ begin: 4, end: 10 });
    // A finding with no place is kept, on the first file read (GitLab requires a path).
    expect(issues.find((i: any) => i.check_name === 'cross/grafana-route').location).toEqual({ path: GRAFANA_INI, lines: { begin: 1 } });
    const absolute = JSON.parse(formatGitlab(reportInput({ findings: [{ ...FINDINGS[0]!, file: `/work/repo/${POMERIUM_YAML}` }] })));
    expect(absolute[0].location.path).toBe(POMERIUM_YAML);
  });

  it('fingerprints are unique, stable across runs, and do not move with the line', () => {
    const prints = issues.map((i: any) => i.fingerprint);
    expect(new Set(prints).size).toBe(prints.length);
    expect(JSON.parse(formatGitlab(reportInput())).map((i: any) => i.fingerprint)).toEqual(prints);
    const moved = FINDINGS.map((f) => (f.line === null ? f : { ...f, line: f.line + 3, endLine: f.endLine! + 3 }));
    const movedPrints = JSON.parse(formatGitlab(reportInput({ findings: moved }))).map((i: any) => i.fingerprint);
    expect(new Set(movedPrints)).toEqual(new Set(prints));
    const twice = JSON.parse(formatGitlab(reportInput({ findings: [FINDINGS[0]!, { ...FINDINGS[0]!, line: 1 }] })));
    expect(twice[0].fingerprint).not.toBe(twice[1].fingerprint);
  });

  it('an empty report is an empty array', () => {
    expect(formatGitlab(reportInput({ findings: [] }))).toBe('[]\n');
  });
});

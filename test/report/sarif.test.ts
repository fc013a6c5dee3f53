import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { formatSarif, pascalCase } from '../../src/report/sarif.js';
import { FINDINGS, expectExpectedFile, reportInput } from './fixtures.js';

// The official SARIF 2.1.0 schema (draft-07), validation keywords only: see its $comment.
const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));

// RFC 3986 characters, percent escapes included; ajv ships no format checks of its own.
const URI_CHARACTERS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const ajv = new Ajv({ allErrors: true, strictTypes: false })
  .addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URI_CHARACTERS.test(s))
  .addFormat('uri-reference', (s: string) => URI_CHARACTERS.test(s))
  .addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
const validate = ajv.compile(schema);

const sarifOf = (text: string) => JSON.parse(text);

describe('sarif report', () => {
  const text = formatSarif(reportInput());
  const log = sarifOf(text);
  const run = log.runs[0];

  it('matches the expected output', () => {
    expectExpectedFile(text, 'report.sarif');
  });

  it('is valid SARIF 2.1.0', () => {
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it.each([
    ['an unknown level', (bad: any) => (bad.runs[0].results[0].level = 'info')],
    ['line 0', (bad: any) => (bad.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0)],
    ['a result without a message', (bad: any) => delete bad.runs[0].results[2].message],
    ['a URI with a space', (bad: any) => (bad.runs[0].results[3].locations[0].physicalLocation.artifactLocation.uri = 'a b.ini')],
    ['an unknown property', (bad: any) => (bad.runs[0].results[0].severity = 'error')],
  ])('is checked by a schema that rejects %s', (_name, spoil) => {
    const bad = structuredClone(log);
    spoil(bad);
    expect(validate(bad)).toBe(false);
  });

  it('points every result at its rule', () => {
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });

  it('lists every rule that ran, then rules only findings name', () => {
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids.at(-1)).toBe('pomerium/signing-key-missing');
    expect(ids).toContain('grafana/auto-sign-up');
    expect(run.tool.driver.rules[0]).toEqual({
      id: 'grafana/jwt-header-name',
      name: 'GrafanaJwtHeaderName',
      shortDescription: { text: 'auth.jwt header_name must be the header Pomerium sends' },
      // The page that ships in the package, carried in the report (GitHub shows help.markdown).
      help: { text: readFileSync(new URL('../../docs/rules/grafana/jwt-header-name.md', import.meta.url), 'utf8'), markdown: readFileSync(new URL('../../docs/rules/grafana/jwt-header-name.md', import.meta.url), 'utf8') },
      defaultConfiguration: { level: 'error' },
    });
  });

  it('makes URIs relative to cwd, percent-encoded, against %SRCROOT%', () => {
    const uris = run.results.map((r: any) => r.locations[0].physicalLocation.artifactLocation);
    expect(uris).toContainEqual({ uri: 'configs/team%3Aa%2Cb/pomerium.yaml', uriBaseId: '%SRCROOT%' });
    expect(uris).toContainEqual({ uri: 'deploy/grafana.ini', uriBaseId: '%SRCROOT%' });
  });

  it('uses an absolute file URI for a file outside cwd', () => {
    const outside = { ...FINDINGS[1]!, file: '/etc/grafana/grafana.ini' };
    const [result] = sarifOf(formatSarif(reportInput({ findings: [outside] }))).runs[0].results;
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///etc/grafana/grafana.ini' });
  });

  it('maps info to note and appends the hint to the message', () => {
    const info = run.results.find((r: any) => r.ruleId === 'grafana/username-claim');
    expect(info.level).toBe('note');
    const header = run.results.find((r: any) => r.ruleId === 'grafana/jwt-header-name');
    expect(header.message.text).toBe(
      'header_name is "X-Jwt" but Pomerium sends X-Pomerium-Jwt-Assertion\nhint: set header_name = X-Pomerium-Jwt-Assertion',
    );
  });

  it('gives a file-only finding a location without a region', () => {
    const fileOnly = run.results.find((r: any) => r.ruleId === 'pomerium/signing-key-missing');
    expect(fileOnly.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'configs/team%3Aa%2Cb/pomerium.yaml', uriBaseId: '%SRCROOT%' } } },
    ]);
  });

  it('reports a finding with no file as a notification, never as a result without a location', () => {
    expect(run.results).toHaveLength(FINDINGS.length - 1);
    for (const result of run.results) expect(result.locations).toHaveLength(1);
    expect(run.invocations[0].toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: "no Pomerium route sends traffic to Grafana's root_url\nhint: pass --pomerium-config, or add a route whose to: is Grafana" },
        associatedRule: { id: 'cross/grafana-route', index: 6 },
      },
    ]);
  });

  it('is valid with no findings, and has no invocations then', () => {
    const empty = sarifOf(formatSarif(reportInput({ findings: [] })));
    expect(validate(empty)).toBe(true);
    expect(empty.runs[0].results).toEqual([]);
    expect(empty.runs[0].invocations).toBeUndefined();
  });

  it('builds PascalCase rule names from ids', () => {
    expect(pascalCase('grafana/jwt-header-name')).toBe('GrafanaJwtHeaderName');
    expect(pascalCase('cross/jwks-url-host')).toBe('CrossJwksUrlHost');
  });
});

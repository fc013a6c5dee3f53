// Whole-run snapshots of the built CLI, after arethetypeswrong's: each test/transcripts/<name>.md holds
// the command line, stdout, stderr and exit code. UPDATE_TRANSCRIPTS=1 rewrites them.
import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './built-cli.js';

const HERE = new URL('./', import.meta.url).pathname.replace(/\/$/, '');
const BROKEN = ['--pomerium', 'files/broken.yaml', '--grafana', 'files/broken.ini'];

const TRANSCRIPTS: Record<string, string[]> = {
  'clean-example': ['doctor', '--pomerium', 'files/clean.yaml', '--grafana', 'files/clean.ini'],
  'broken-human': ['doctor', ...BROKEN],
  'broken-json': ['doctor', ...BROKEN, '--format', 'json'],
  'broken-github': ['doctor', ...BROKEN, '--format', 'github'],
  'broken-sarif': ['doctor', ...BROKEN, '--format', 'sarif'],
  'fail-level-warning': ['doctor', '--pomerium', 'files/clean.yaml', '--grafana', 'files/warning.ini', '--fail-level', 'warning'],
  'yaml-syntax-error': ['doctor', '--pomerium', 'files/syntax-error.yaml', '--grafana', 'files/clean.ini'],
  'missing-file': ['doctor', '--pomerium', 'files/clean.yaml', '--grafana', 'files/missing.ini'],
  ignore: ['doctor', ...BROKEN, '--ignore', 'grafana/jwt-header-name', '--ignore', 'cross/jwk-set-url', '--ignore', 'cross/pass-identity-headers'],
};

/** The Markdown form; the absolute test folder (GitHub annotations carry it) becomes `<cwd>`. */
function render(args: string[], run: CliRun): string {
  const clean = (text: string) => text.replaceAll(HERE, '<cwd>');
  const block = (text: string) => '```\n' + clean(text) + (text === '' || text.endsWith('\n') ? '' : '\n') + '```\n';
  return [
    '```console',
    `$ grafana-pomerium ${args.join(' ')}`,
    '```',
    '',
    '## stdout',
    '',
    block(run.stdout),
    '## stderr',
    '',
    block(run.stderr),
    `Exit code: ${run.code}`,
    '',
  ].join('\n');
}

const runs = new Map<string, CliRun>();
/** The same runs with bin/'s fast paths off (README, "Speed"): the output must not change by a byte. */
const slowRuns = new Map<string, CliRun>();

beforeAll(() => {
  for (const [name, args] of Object.entries(TRANSCRIPTS)) runs.set(name, runCli(args, { cwd: HERE }));
  for (const [name, args] of Object.entries(TRANSCRIPTS)) slowRuns.set(name, runCli(args, { cwd: HERE, env: { GRAFANA_POMERIUM_NO_FAST_PATH: '1' } }));
}, 120_000);

describe('transcripts', () => {
  for (const [name, args] of Object.entries(TRANSCRIPTS)) {
    it(name, () => {
      const actual = render(args, runs.get(name)!);
      const path = `${HERE}/${name}.md`;
      if (process.env.UPDATE_TRANSCRIPTS) writeFileSync(path, actual);
      expect(actual).toBe(readFileSync(path, 'utf8'));
    });
  }

  it('every transcript is byte-identical with the fast path off (GRAFANA_POMERIUM_NO_FAST_PATH=1)', () => {
    for (const name of Object.keys(TRANSCRIPTS)) expect(slowRuns.get(name), name).toEqual(runs.get(name));
  });

  it('exit codes: 0 clean, 1 findings, 2 could not run', () => {
    expect(runs.get('clean-example')!.code).toBe(0);
    expect(runs.get('broken-human')!.code).toBe(1);
    expect(runs.get('fail-level-warning')!.code).toBe(1);
    expect(runs.get('yaml-syntax-error')!.code).toBe(1);
    expect(runs.get('missing-file')).toEqual({ code: 2, stdout: '', stderr: 'error: cannot read grafana.ini files/missing.ini: no such file\n' });
  });

  it('--fail-level warning is what fails the warnings-only run', () => {
    const defaultLevel = runCli(TRANSCRIPTS['fail-level-warning']!.slice(0, -2), { cwd: HERE });
    expect(defaultLevel.code).toBe(0);
    expect(defaultLevel.stdout).toBe(runs.get('fail-level-warning')!.stdout);
  });

  it('the SARIF log is valid SARIF 2.1.0 with repo-relative URIs', () => {
    const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
    const URI_CHARACTERS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
    const validate = new Ajv({ allErrors: true, strictTypes: false })
      .addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URI_CHARACTERS.test(s))
      .addFormat('uri-reference', (s: string) => URI_CHARACTERS.test(s))
      .addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)))
      .compile(schema);
    const log = JSON.parse(runs.get('broken-sarif')!.stdout);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const uris = new Set(log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri));
    expect([...uris].sort()).toEqual(['files/broken.ini', 'files/broken.yaml']);
    // Each rule carries its page, the one docs/rules/<id>.md ships in the package; no web address.
    for (const rule of log.runs[0].tool.driver.rules) {
      expect(rule.helpUri).toBeUndefined();
      expect(rule.help.markdown).toBe(readFileSync(new URL(`../../docs/rules/${rule.id}.md`, import.meta.url), 'utf8'));
    }
  });
});

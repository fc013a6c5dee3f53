// Robustness: random and mutated YAML and INI fed to doctor's core, and a few to the built CLI.
// Every run must end in findings (no crash, no `internal error` finding) or one clear error line.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LintResult } from '../../src/doctor/lint.js';
import { runCli } from '../transcripts/built-cli.js';
import { lintCase } from '../helpers/lint.js';

const BASE = new URL('../fixtures/rules/_base/', import.meta.url).pathname;
const BASE_INI = readFileSync(join(BASE, 'grafana.ini'), 'utf8');
const BASE_YAML = readFileSync(join(BASE, 'pomerium.yaml'), 'utf8');

/** Each property stops after this long (what ran must pass); the file stays well under 20 s on 2 cores. */
const BUDGET = { interruptAfterTimeLimit: 1_500, markInterruptAsFailure: false, numRuns: 300 } as const;

/** Characters that mean something to go-ini, YAML, the env expanders or the line index. */
const SPECIAL = ['\n', '\r', '\r\n', '\0', '\uFEFF', '\uFFFD', '\t', ' ', '[', ']', '=', ':', ';', '#', '"', "'", '`', '"""', '\\', '-', '- ', '&a ', '*a', '!!binary ', '{', '}', '%(k)s', '${X}', '$__file{/x}', '$__env{X}', '|', '>', '? ', '---\n', '...\n', 'é', '😀', '\uD800'];

const junk = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: fc.constantFrom(...SPECIAL), maxLength: 60 }).map((s) => s));

/** An edit at a random place: insert, delete or replace a run of text. */
const mutation = fc.record({ at: fc.nat(), drop: fc.nat({ max: 40 }), insert: fc.oneof(fc.constantFrom(...SPECIAL), junk) });

function mutate(text: string, edits: { at: number; drop: number; insert: string }[]): string {
  let out = text;
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % (out.length + 1);
    out = out.slice(0, at) + e.insert + out.slice(at + e.drop);
  }
  return out;
}

const mutated = (base: string) => fc.array(mutation, { minLength: 1, maxLength: 8 }).map((edits) => mutate(base, edits));

/** Line-ending and encoding variants of a text. */
const variant = (text: fc.Arbitrary<string>) =>
  fc.tuple(text, fc.constantFrom('lf', 'crlf', 'cr', 'bom')).map(([t, v]) =>
    v === 'crlf' ? t.replace(/\n/g, '\r\n') : v === 'cr' ? t.replace(/\n/g, '\r') : v === 'bom' ? '\uFEFF' + t : t,
  );

const iniText = variant(fc.oneof(junk, mutated(BASE_INI)));
const yamlText = variant(fc.oneof(junk, mutated(BASE_YAML)));

/** What every run must give: findings with sane places and no rule that crashed. */
function expectSound(result: LintResult): void {
  for (const f of result.findings) {
    expect(f.message, f.ruleId).not.toMatch(/internal error/);
    expect(['error', 'warning', 'info']).toContain(f.severity);
    if (f.line !== null) {
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.column).toBeGreaterThanOrEqual(1);
      expect(f.endLine! * 1e6 + f.endColumn!).toBeGreaterThanOrEqual(f.line * 1e6 + f.column!);
    }
  }
}

describe('doctor core on random and mutated input', () => {
  it('grafana.ini alone', () => {
    fc.assert(fc.property(iniText, (grafana) => expectSound(lintCase({ grafana }))), BUDGET);
  });

  it('Pomerium config alone', () => {
    fc.assert(fc.property(yamlText, (pomerium) => expectSound(lintCase({ pomerium }))), BUDGET);
  });

  it('both, with GF_* and Pomerium variables', () => {
    const env = fc.dictionary(fc.constantFrom('GF_AUTH_JWT_HEADER_NAME', 'GF_AUTH_JWT_EXPECT_CLAIMS', 'GF_SERVER_ROOT_URL', 'PASS_IDENTITY_HEADERS', 'SIGNING_KEY', 'ROUTES', 'POLICY'), junk, { maxKeys: 3 });
    fc.assert(fc.property(iniText, yamlText, env, (grafana, pomerium, e) => expectSound(lintCase({ grafana, pomerium, env: e }))), BUDGET);
  });

  it.each([
    ['deep YAML flow nesting', '['.repeat(5_000) + ']'.repeat(5_000)],
    ['deep YAML block nesting', Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n'],
    ['a YAML alias bomb', ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`), 'routes: *i', ''].join('\n')],
    ['a 1 MB line', `routes:\n  - from: https://${'g'.repeat(1_000_000)}.example.com\n    to: http://grafana:3000\n`],
    ['NUL bytes', BASE_YAML.replace(/: /g, ':\0 ')],
    ['invalid UTF-8 (as decoded)', Buffer.from([0x72, 0x6f, 0x75, 0x74, 0x65, 0x73, 0x3a, 0xff, 0xfe, 0xc3, 0x28, 0x0a]).toString('utf8')],
    ['a lone CR file', BASE_YAML.replace(/\n/g, '\r')],
  ])('survives %s in YAML', (_name, pomerium) => {
    expectSound(lintCase({ pomerium, grafana: BASE_INI }));
  });

  it.each([
    ['a 1 MB line', `[auth.jwt]\nheader_name = ${'X'.repeat(1_000_000)}\n`],
    // Small sizes here; large-inputs.test.ts has these shapes at sizes only linear code gets through.
    ['a 10 000-line continuation', '[auth.jwt]\nexpect_claims = {\\\n' + '"a":1,\\\n'.repeat(10_000) + '"b":2}\n'],
    ['5 000 sections', Array.from({ length: 5_000 }, (_, i) => `[s${i}]\nk = v`).join('\n')],
    ['deep %(key)s interpolation', '[auth.jwt]\n' + Array.from({ length: 200 }, (_, i) => `k${i} = %(k${i + 1})s`).join('\n') + '\nheader_name = %(k0)s\n'],
    ['NUL bytes and a BOM', '\uFEFF' + BASE_INI.replace(/ = /g, ' =\0 ')],
    ['an unclosed """', '[auth.jwt]\nexpect_claims = """{"a":\n'],
  ])('survives %s in grafana.ini', (_name, grafana) => {
    expectSound(lintCase({ grafana, pomerium: BASE_YAML }));
  });
});

describe('the built CLI on hostile files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gp-fuzz-'));

  const cases: [string, Buffer | string, Buffer | string][] = [
    ['binary junk', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 104729) % 256))],
    ['invalid UTF-8 bytes', Buffer.concat([Buffer.from('[auth.jwt]\nheader_name = '), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('\n')]), Buffer.concat([Buffer.from('routes:\n  - from: '), Buffer.from([0xfe, 0xff]), Buffer.from('\n')])],
    ['CR line ends and a BOM', '\uFEFF' + BASE_INI.replace(/\n/g, '\r'), '\uFEFF' + BASE_YAML.replace(/\n/g, '\r\n')],
    ['a YAML alias bomb', BASE_INI, 'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\nroutes: *d\n'],
    ['a collection as a map key', BASE_INI, BASE_YAML.replace('            - domain:\n', '            - ? [a]\n              : b\n            - domain:\n')],
  ];

  it.each(cases)('%s: findings and exit 0 or 1, or one error line and exit 2', (name, ini, yaml) => {
    const slug = name.replace(/\W+/g, '-');
    writeFileSync(join(dir, `${slug}.ini`), ini);
    writeFileSync(join(dir, `${slug}.yaml`), yaml);
    for (const format of ['human', 'json', 'sarif', 'github']) {
      const run = runCli(['doctor', '--grafana', `${slug}.ini`, '--pomerium', `${slug}.yaml`, '--format', format], { cwd: dir, timeoutMs: 15_000 });
      expect([0, 1, 2], run.stderr).toContain(run.code);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at |\(node:\d+\) Warning/);
      expect(run.stdout).not.toMatch(/internal error/);
      if (run.code === 2) expect(run.stderr.trimEnd().split('\n')[0]).toMatch(/^(\S+: )?error: /);
      else if (format === 'json') expect(JSON.parse(run.stdout).tool).toBe('grafana-pomerium');
      else if (format === 'sarif') expect(JSON.parse(run.stdout).version).toBe('2.1.0');
    }
  });
});

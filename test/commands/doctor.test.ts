// `doctor` end to end, in process: real files in temp folders, the command's own Io.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/commands/doctor.js';
import { VERSION } from '../../src/version.js';
import { testIo, transcript, type Transcript } from '../helpers/run-command.js';

const BASE = new URL('../fixtures/rules/_base/', import.meta.url).pathname;
const BASE_INI = readFileSync(join(BASE, 'grafana.ini'), 'utf8');
const BASE_YAML = readFileSync(join(BASE, 'pomerium.yaml'), 'utf8');
const WRONG_HEADER_INI = BASE_INI.replace('header_name = X-Pomerium-Jwt-Assertion', 'header_name = X-JWT-Assertion');
const ESC = '\x1b[';

/** A temp folder holding `files`; returns its path. */
function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gp-doctor-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function doctor(cwd: string, options: Record<string, unknown>, env: Record<string, string> = {}, tty = false): Promise<Transcript> {
  const io = { ...testIo(cwd, env), stdoutIsTTY: tty };
  return transcript(io, () => run([], { format: 'human', failLevel: 'error', ...options }, io));
}

const pair = (grafana = BASE_INI, pomerium = BASE_YAML) => folder({ 'grafana.ini': grafana, 'pomerium.yaml': pomerium });
const both = { grafana: 'grafana.ini', pomerium: 'pomerium.yaml' };
const rulesOf = (t: Transcript) => (JSON.parse(t.stdout).findings as { ruleId: string }[]).map((f) => f.ruleId);

describe('doctor exit codes', () => {
  it('exits 0 on the correct pair, with the summary line', async () => {
    const t = await doctor(pair(), both);
    expect(t).toEqual({ code: 0, stdout: '✓ no problems found\n', stderr: '' });
  });

  it('exits 1 on an error, with file:line:col, the excerpt, hint and docs', async () => {
    const t = await doctor(pair(WRONG_HEADER_INI), both);
    expect(t.code).toBe(1);
    expect(t.stderr).toBe('');
    const lines = t.stdout.split('\n');
    expect(lines[0]).toMatch(/^grafana\.ini:12:15: error: .*X-JWT-Assertion.* \[grafana\/jwt-header-name\]$/);
    expect(lines[1]).toBe('12 | header_name = X-JWT-Assertion');
    expect(lines[2]).toBe('   |               ^~~~~~~~~~~~~~~');
    expect(lines[3]).toMatch(/^ {2}hint: .*X-Pomerium-Jwt-Assertion/);
    expect(lines[4]).toBe('  docs: grafana-pomerium rule grafana/jwt-header-name');
    expect(t.stdout.endsWith('✖ 1 problem (1 error, 0 warnings, 0 infos)\n')).toBe(true);
  });

  it('--fail-level decides which severities fail the run', async () => {
    // An unused disable comment is a warning and nothing else.
    const dir = pair(BASE_INI.replace('[users]', '; grafana-pomerium-disable-next-line grafana/jwt-header-name\n[users]'));
    expect((await doctor(dir, both)).code).toBe(0);
    expect((await doctor(dir, { ...both, failLevel: 'warning' })).code).toBe(1);
    expect((await doctor(dir, { ...both, failLevel: 'info' })).code).toBe(1);
    expect((await doctor(pair(WRONG_HEADER_INI), { ...both, failLevel: 'none' })).code).toBe(0);
  });

  it.each([
    ['a missing file', { grafana: 'nope.ini' }, 'error: cannot read grafana.ini nope.ini: no such file\n'],
    ['a directory', { grafana: 'sub' }, 'error: grafana.ini sub is a directory, not a file\n'],
    ['a bad --format', { ...both, format: 'xml' }, 'error: unknown report format "xml"\n  hint: use one of: human, json, sarif, github, gitlab\n'],
    ['a bad --fail-level', { ...both, failLevel: 'fatal' }, 'error: unknown --fail-level "fatal"\n  hint: use one of: error, warning, info, none\n'],
    ['an unknown --ignore', { ...both, ignore: ['grafana/nope'] }, 'error: --ignore names an unknown rule "grafana/nope"\n  hint: the rules are listed in docs/rules/\n'],
    ['a bad --grafana-version', { ...both, grafanaVersion: 'latest' }, 'error: --grafana-version "latest" is not a version\n  hint: write it like 13.2.0\n'],
    ['a bad --pomerium-version', { ...both, pomeriumVersion: '0.x' }, 'error: --pomerium-version "0.x" is not a version\n  hint: write it like 0.33.1\n'],
  ])('exits 2 with one clear message on %s', async (_name, options, stderr) => {
    const dir = pair();
    mkdirSync(join(dir, 'sub'));
    expect(await doctor(dir, options)).toEqual({ code: 2, stdout: '', stderr });
  });

  it('refuses a file over 10 MiB', async () => {
    const dir = pair();
    truncateSync(join(dir, 'grafana.ini'), 10 * 1024 * 1024 + 1);
    const t = await doctor(dir, both);
    expect(t).toEqual({ code: 2, stdout: '', stderr: 'error: grafana.ini grafana.ini is 10.0 MiB; files over 10 MiB are refused (is it the right file?)\n' });
  });

  it.skipIf(process.getuid?.() === 0)('exits 2 on a file it may not read', async () => {
    const dir = pair();
    chmodSync(join(dir, 'grafana.ini'), 0o000);
    expect(await doctor(dir, both)).toEqual({ code: 2, stdout: '', stderr: 'error: cannot read grafana.ini grafana.ini: permission denied\n' });
  });

  it('reports a file that does not parse as a finding at its line and column (exit 1, not 2)', async () => {
    const yaml = await doctor(pair(BASE_INI, 'routes:\n  - from: https://grafana.example.com\n    to: [http://grafana:3000\n'), { ...both, format: 'json' });
    expect(yaml.code).toBe(1);
    expect(JSON.parse(yaml.stdout).findings).toContainEqual(expect.objectContaining({ ruleId: 'pomerium/yaml-syntax', file: 'pomerium.yaml', line: expect.any(Number), column: expect.any(Number) }));
    const ini = await doctor(pair('[auth.jwt]\nenabled = true\nthis line has no equals sign\n'), { ...both, format: 'json' });
    expect(ini.code).toBe(1);
    expect(JSON.parse(ini.stdout).findings).toContainEqual(expect.objectContaining({ ruleId: 'grafana/ini-syntax', file: 'grafana.ini', line: 3 }));
  });

  it('checks either file alone, and only with its own rules', async () => {
    const grafanaOnly = await doctor(folder({ 'grafana.ini': WRONG_HEADER_INI }), { grafana: 'grafana.ini', format: 'json' });
    expect(rulesOf(grafanaOnly)).toEqual(['grafana/jwt-header-name']);
    const pomeriumOnly = await doctor(folder({ 'pomerium.yaml': BASE_YAML.replace('    pass_identity_headers: true\n', '') }), { pomerium: 'pomerium.yaml', format: 'json' });
    expect(rulesOf(pomeriumOnly)).toEqual(['cross/pass-identity-headers']);
  });
});

describe('doctor finds the usual files', () => {
  it('uses ./config.yaml and ./grafana.ini and says so on stderr', async () => {
    const t = await doctor(folder({ 'config.yaml': BASE_YAML, 'grafana.ini': BASE_INI }), {});
    expect(t).toEqual({ code: 0, stdout: '✓ no problems found\n', stderr: 'doctor: using ./config.yaml and ./grafana.ini\n' });
  });

  it('takes ./pomerium.yaml when there is no ./config.yaml, and a lone file', async () => {
    const t = await doctor(folder({ 'pomerium.yaml': BASE_YAML }), {});
    expect(t.stderr).toBe('doctor: using ./pomerium.yaml\n');
    expect(t.code).toBe(0);
  });

  it('prefers ./config.yaml over ./pomerium.yaml', async () => {
    const t = await doctor(folder({ 'config.yaml': BASE_YAML, 'pomerium.yaml': 'routes: [' }), { format: 'json' });
    expect(t.stderr).toBe('doctor: using ./config.yaml\n');
    expect(rulesOf(t)).not.toContain('pomerium/yaml-syntax');
  });

  it('exits 2 when it finds nothing, naming the places it looked', async () => {
    const t = await doctor(folder(), {});
    expect(t.code).toBe(2);
    expect(t.stderr).toBe(
      'error: no config files found\n  hint: pass --pomerium FILE and/or --grafana FILE (looked for ./config.yaml, ./pomerium.yaml, /etc/pomerium/config.yaml, ./grafana.ini, /etc/grafana/grafana.ini)\n',
    );
  });
});

describe('doctor --output-file', () => {
  it('writes the report there (atomically, no colour) and nothing on stdout', async () => {
    const dir = pair(WRONG_HEADER_INI);
    const toStdout = await doctor(dir, both);
    // The folder must exist: the report is never half-written somewhere else.
    expect((await doctor(dir, { ...both, outputFile: 'out/report.txt' })).code).toBe(2);
    mkdirSync(join(dir, 'out'));
    const written = await doctor(dir, { ...both, outputFile: 'out/report.txt', color: true }, { FORCE_COLOR: '1' }, true);
    expect(written).toEqual({ code: 1, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, 'out/report.txt'), 'utf8')).toBe(toStdout.stdout);
    expect(readdirSync(join(dir, 'out'))).toEqual(['report.txt']);
  });

  it('replaces an existing report', async () => {
    const dir = pair();
    writeFileSync(join(dir, 'report.json'), 'old');
    await doctor(dir, { ...both, format: 'json', outputFile: 'report.json' });
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).tool).toBe('grafana-pomerium');
  });
});

describe('doctor colour', () => {
  const dir = pair(WRONG_HEADER_INI);
  it.each([
    ['--color', { color: true }, {}, false, true],
    ['--no-color on a terminal', { color: false }, { FORCE_COLOR: '1' }, true, false],
    ['NO_COLOR on a terminal', {}, { NO_COLOR: '1' }, true, false],
    ['NO_COLOR over FORCE_COLOR', {}, { NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
    ['--color over NO_COLOR', { color: true }, { NO_COLOR: '1' }, false, true],
    ['FORCE_COLOR without a terminal', {}, { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR=0 on a terminal', {}, { FORCE_COLOR: '0' }, true, false],
    ['a terminal', {}, {}, true, true],
    ['TERM=dumb', {}, { TERM: 'dumb' }, true, false],
    ['a pipe', {}, {}, false, false],
  ])('%s', async (_name, options, env, tty, coloured) => {
    const t = await doctor(dir, { ...both, ...options }, env as Record<string, string>, tty);
    expect(t.stdout.includes(ESC)).toBe(coloured);
  });

  it.each(['json', 'sarif', 'github'])('never colours %s', async (format) => {
    const t = await doctor(dir, { ...both, format, color: true }, { FORCE_COLOR: '3' }, true);
    expect(t.stdout).not.toContain(ESC);
  });
});

describe('doctor --ignore and disable comments', () => {
  it('--ignore drops a rule', async () => {
    const dir = pair(WRONG_HEADER_INI);
    expect(await doctor(dir, { ...both, ignore: ['grafana/jwt-header-name'] })).toEqual({ code: 0, stdout: '✓ no problems found\n', stderr: '' });
  });

  it('an INI comment on the line above hides the finding', async () => {
    const ini = WRONG_HEADER_INI.replace('header_name =', '; grafana-pomerium-disable-next-line grafana/jwt-header-name -- testing\nheader_name =');
    expect((await doctor(pair(ini), both)).stdout).toBe('✓ no problems found\n');
    const hash = WRONG_HEADER_INI.replace('header_name =', '# grafana-pomerium-disable-next-line\nheader_name =');
    expect((await doctor(pair(hash), both)).stdout).toBe('✓ no problems found\n');
  });

  it('a YAML comment on the line above hides the finding', async () => {
    const yaml = BASE_YAML.replace('    pass_identity_headers: true\n', '');
    const found = rulesOf(await doctor(pair(BASE_INI, yaml), { ...both, format: 'json' }));
    expect(found).toContain('cross/pass-identity-headers');
    const hidden = yaml.replace('  - from:', '  # grafana-pomerium-disable-next-line cross/pass-identity-headers\n  - from:');
    expect(rulesOf(await doctor(pair(BASE_INI, hidden), { ...both, format: 'json' }))).not.toContain('cross/pass-identity-headers');
  });

  it('reports a disable comment that hides nothing, or a rule it names in vain', async () => {
    const ini = WRONG_HEADER_INI.replace('header_name =', '; grafana-pomerium-disable-next-line grafana/jwt-header-name, cross/signout-redirect\nheader_name =').replace(
      '[users]',
      '; grafana-pomerium-disable-next-line\n[users]',
    );
    const t = await doctor(pair(ini), { ...both, format: 'json' });
    const findings = JSON.parse(t.stdout).findings as { ruleId: string; line: number; column: number; message: string }[];
    expect(findings.map((f) => `${f.ruleId} ${f.line}:${f.column}`)).toEqual(['meta/unused-disable-directive 12:3', 'meta/unused-disable-directive 21:3']);
    expect(findings[0]!.message).toContain('cross/signout-redirect');
    expect(t.code).toBe(0);
    // A YAML `;` is not a comment, and --ignore silences the unused-directive report too.
    const quiet = await doctor(pair(ini), { ...both, format: 'json', ignore: ['meta/unused-disable-directive'] });
    expect(rulesOf(quiet)).toEqual([]);
  });
});

describe('doctor keeps secrets', () => {
  const SECRETS = ['c2hhcmVkLXNlY3JldC1TRUNSRVQtT05F', 'Y29va2llLXNlY3JldC1TRUNSRVQtVFdP', 'SIGNINGKEYSECRETTHREE', 'IDPCLIENTSECRETFOUR', 'ADMINPASSWORDSIX', 'DBPASSWORDSEVEN'];
  const yaml = [
    'authenticate_service_url: https://authenticate.example.com',
    `shared_secret: ${SECRETS[0]}`,
    `cookie_secret: ${SECRETS[1]}`,
    `signing_key: ${SECRETS[2]}`,
    `idp_client_secret: ${SECRETS[3]}`,
    'routes:',
    '  - from: https://grafana.example.com',
    '    to: http://grafana:3000',
    '    pass_identity_headers: true',
    '    preserve_host_header: true',
    '',
  ].join('\n');
  const ini = BASE_INI.replace('[users]', `[security]\nadmin_password = ${SECRETS[4]}\n[database]\npassword = ${SECRETS[5]}\n[users]`);

  it.each(['human', 'json', 'sarif', 'github', 'gitlab'])('%s output holds no secret value', async (format) => {
    const dir = pair(ini, yaml);
    const t = await doctor(dir, { ...both, format, failLevel: 'none' });
    expect(t.code).toBe(0);
    for (const secret of SECRETS) {
      expect(t.stdout).not.toContain(secret);
      expect(t.stderr).not.toContain(secret);
    }
  });

  it('masks the value in the excerpt of a finding on a secret line', async () => {
    const t = await doctor(pair(ini, yaml), { ...both, failLevel: 'none' });
    // The signing key does not decode: a finding on its line, with the line shown masked.
    expect(t.stdout).toMatch(/^pomerium\.yaml:4:\d+: error: .*\[pomerium\/signing-key\]\n4 \| signing_key: \*\*\*\*\n/m);
  });

  it.each([
    ['a line go-ini cannot load', '[database]\npassword topsecretvalue\n', ['topsecretvalue'], '2 | ****'],
    ['the part go-ini cut as a comment', '[database]\npassword = hunter2#notacomment\n', ['hunter2', 'notacomment'], '2 | password = ****'],
  ])('masks a secret in the excerpt of %s', async (_what, text, secrets, excerpt) => {
    for (const format of ['human', 'github']) {
      const t = await doctor(folder({ 'grafana.ini': text }), { grafana: 'grafana.ini', format, failLevel: 'none' });
      for (const secret of secrets) expect(t.stdout).not.toContain(secret);
      expect(t.stdout).toContain(excerpt);
    }
  });
});

describe('doctor --fix', () => {
  // A key Grafana reads only in [users], written under [auth.jwt]: doctor moves it.
  const misplaced = BASE_INI.replace('auto_sign_up = true', 'auto_sign_up = true\n; keep this comment\nauto_assign_org_role = Editor').replace('auto_assign_org_role = Viewer\n', '');

  it('edits in place, keeps comments, says what it changed, and a second run changes nothing', async () => {
    const dir = pair(misplaced);
    const before = await doctor(dir, { ...both, format: 'json' });
    expect(rulesOf(before)).toContain('grafana/misplaced-key');

    const fixed = await doctor(dir, { ...both, format: 'json', fix: true });
    expect(fixed.stderr).toMatch(/^doctor: fixed .*grafana\/misplaced-key.* in grafana\.ini\n$/);
    expect(rulesOf(fixed)).not.toContain('grafana/misplaced-key');
    const text = readFileSync(join(dir, 'grafana.ini'), 'utf8');
    expect(text).toContain('; keep this comment');
    expect(text).toContain('; A correct grafana.ini for Grafana behind Pomerium');
    expect(text).toMatch(/\[users\][^[]*auto_assign_org_role = Editor/);
    expect(readdirSync(dir).sort()).toEqual(['grafana.ini', 'pomerium.yaml']);

    const again = await doctor(dir, { ...both, format: 'json', fix: true });
    expect(again.stderr).toBe('');
    expect(readFileSync(join(dir, 'grafana.ini'), 'utf8')).toBe(text);
  });

  it('never touches a file that did not parse', async () => {
    const broken = misplaced + 'this line has no equals sign\n';
    const dir = pair(broken, 'routes: [\n');
    await doctor(dir, { ...both, fix: true });
    expect(readFileSync(join(dir, 'grafana.ini'), 'utf8')).toBe(broken);
    expect(readFileSync(join(dir, 'pomerium.yaml'), 'utf8')).toBe('routes: [\n');
  });
});

describe('doctor --format json, end to end', () => {
  it('is exactly the documented shape for a broken pair', async () => {
    const t = await doctor(pair(WRONG_HEADER_INI), { ...both, format: 'json' });
    const finding = JSON.parse(t.stdout).findings[0];
    expect(t.stdout).toBe(
      JSON.stringify({
        tool: 'grafana-pomerium',
        version: VERSION,
        findings: [
          {
            ruleId: 'grafana/jwt-header-name',
            severity: 'error',
            message: finding.message,
            file: 'grafana.ini',
            line: 12,
            column: 15,
            endLine: 12,
            endColumn: 30,
            hint: finding.hint,
          },
        ],
        summary: { errors: 1, warnings: 0, infos: 0 },
      }) + '\n',
    );
    expect(Object.keys(finding)).toEqual(['ruleId', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'hint']);
  });

  it('gives null positions to a finding with no place', async () => {
    // A GF_* variable from this process's environment (--use-env) has no line to point at.
    const t = await doctor(pair(), { ...both, useEnv: true, format: 'json', failLevel: 'none' }, { GF_AUTH_JWT_EMIAL_CLAIM: 'email' });
    const placeless = (JSON.parse(t.stdout).findings as Record<string, unknown>[]).filter((f) => f.line === null);
    expect(placeless).toEqual([expect.objectContaining({ ruleId: 'grafana/env-ignored', file: 'grafana.ini', line: null, column: null, endLine: null, endColumn: null })]);
  });
});

// Issue 11, end to end through the command modules: what doctor reads, prints and writes. Real files in temp folders;
// modes and owners checked with stat, links with lstat, BOM files byte for byte, secrets searched for in every format.
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as doctor } from '../../src/commands/doctor.js';
import { run as init } from '../../src/commands/init.js';
import { run as showIni } from '../../src/commands/show-ini.js';
import { testIo, transcript, type Transcript } from '../helpers/run-command.js';

const BASE = new URL('../fixtures/rules/_base/', import.meta.url).pathname;
const BASE_INI = readFileSync(join(BASE, 'grafana.ini'), 'utf8');
const BASE_YAML = readFileSync(join(BASE, 'pomerium.yaml'), 'utf8');
const FORMATS = ['human', 'json', 'sarif', 'github'] as const;
/** Every control character but newline and tab. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gp-harden-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function runDoctor(cwd: string, options: Record<string, unknown>): Promise<Transcript> {
  const io = testIo(cwd);
  return transcript(io, () => doctor([], { format: 'human', failLevel: 'error', ...options }, io));
}

async function everyFormat(cwd: string, options: Record<string, unknown>): Promise<string> {
  let all = '';
  for (const format of FORMATS) {
    const t = await runDoctor(cwd, { ...options, format });
    all += t.stdout + t.stderr;
  }
  return all;
}

const both = { grafana: 'grafana.ini', pomerium: 'pomerium.yaml' };

describe('item 1: $__file{} content is never printed, and --root confines every path', () => {
  it('shows the reference, not the content of the file, in every format', async () => {
    const dir = folder({ 'pomerium.yaml': BASE_YAML, 'environ': 'GITHUB_TOKEN=ghs_leakedtokenvalue\n' });
    writeFileSync(join(dir, 'grafana.ini'), BASE_INI.replace('header_name = X-Pomerium-Jwt-Assertion', `header_name = $__file{${join(dir, 'environ')}}`));
    const out = await everyFormat(dir, both);
    expect(out).toContain('grafana/jwt-header-name'); // the finding is still there
    expect(out).not.toContain('ghs_leakedtokenvalue');
    expect(out).toContain(`$__file{${join(dir, 'environ')}}`);
  });

  it('under --root, reads neither ../x nor a link out of the root: "could not check"', async () => {
    const base = folder({ 'outside': 'OUTSIDE_SECRET_VALUE\n' });
    const root = join(base, 'root');
    mkdirSync(root);
    symlinkSync(join(base, 'outside'), join(root, 'link'));
    for (const ref of ['../outside', '/link']) {
      const dir = folder({ 'pomerium.yaml': BASE_YAML });
      writeFileSync(join(dir, 'grafana.ini'), BASE_INI.replace('header_name = X-Pomerium-Jwt-Assertion', `header_name = $__file{${ref}}`));
      const out = await everyFormat(dir, { ...both, root });
      expect(out, ref).not.toContain('OUTSIDE_SECRET_VALUE');
      const json = JSON.parse((await runDoctor(dir, { ...both, root, format: 'json' })).stdout) as { findings: { severity: string; message: string }[] };
      expect(json.findings.some((f) => f.severity === 'info' && /could not check/.test(f.message)), ref).toBe(true);
    }
  });
});

describe('items 2 and 7: doctor --fix keeps mode, owner, group and links', () => {
  it('a 0600 pomerium.yaml holding shared_secret stays 0600 and keeps uid/gid', async () => {
    const dir = folder({ 'grafana.ini': BASE_INI, 'pomerium.yaml': BASE_YAML.replace('    pass_identity_headers: true\n', '') });
    const path = join(dir, 'pomerium.yaml');
    chmodSync(path, 0o600);
    chownSync(path, 1234, 5678); // the test runs as root in CI; as another user this throws and the test fails loudly
    const t = await runDoctor(dir, { ...both, fix: true });
    expect(t.stderr).toContain('doctor: fixed');
    expect(readFileSync(path, 'utf8')).toContain('pass_identity_headers: true');
    const st = statSync(path);
    expect(st.mode & 0o7777).toBe(0o600);
    expect([st.uid, st.gid]).toEqual([1234, 5678]);
    expect(readdirSync(dir).sort()).toEqual(['grafana.ini', 'pomerium.yaml']);
  });

  it('writes through a symlinked grafana.ini to its target, which stays a link', async () => {
    const dir = folder({ 'pomerium.yaml': BASE_YAML });
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'grafana.ini'), BASE_INI.replace('header_name = X-Pomerium-Jwt-Assertion', 'header_name = X-JWT-Assertion'));
    chmodSync(join(dir, 'data', 'grafana.ini'), 0o640);
    symlinkSync('data/grafana.ini', join(dir, 'grafana.ini'));
    await runDoctor(dir, { ...both, fix: true });
    expect(lstatSync(join(dir, 'grafana.ini')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'data', 'grafana.ini'), 'utf8')).toBe(BASE_INI);
    expect(statSync(join(dir, 'data', 'grafana.ini')).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(dir, 'data'))).toEqual(['grafana.ini']); // the temp file lived in the target's folder
  });
});

describe('item 3: doctor --fix on files that start with a UTF-8 BOM', () => {
  const BOM = '\ufeff';
  it('fixes the right characters of a BOM grafana.ini and keeps the BOM, byte for byte', async () => {
    const dir = folder({ 'pomerium.yaml': BASE_YAML, 'grafana.ini': BOM + BASE_INI.replace('header_name = X-Pomerium-Jwt-Assertion', 'header_name =X-JWT-Assertion') });
    const t = await runDoctor(dir, { ...both, fix: true });
    expect(t.code).toBe(0);
    expect(readFileSync(join(dir, 'grafana.ini'))).toEqual(Buffer.from(BOM + BASE_INI.replace('header_name = X-Pomerium-Jwt-Assertion', 'header_name =X-Pomerium-Jwt-Assertion')));
  });

  it('keeps the BOM of a YAML file it fixes: the same bytes as the fix of the file without it, after the BOM', async () => {
    const broken = BASE_YAML.replace('    pass_identity_headers: true\n', '');
    const plain = folder({ 'grafana.ini': BASE_INI, 'pomerium.yaml': broken });
    await runDoctor(plain, { ...both, fix: true });
    const fixed = readFileSync(join(plain, 'pomerium.yaml'), 'utf8');
    expect(fixed).toContain('pass_identity_headers: true');
    const dir = folder({ 'grafana.ini': BASE_INI, 'pomerium.yaml': BOM + broken });
    await runDoctor(dir, { ...both, fix: true });
    expect(readFileSync(join(dir, 'pomerium.yaml'))).toEqual(Buffer.from(BOM + fixed));
  });
});

describe('items 4 and 5: secrets masked by name and by shape in every command and format', () => {
  it("init's printed diff masks secrets in its context lines", async () => {
    const ini = '[database]\npassword = dbPASSWORD1\nurl = postgres://grafana:URLPASS2@db/grafana\n[security]\nsecret_key = SECRETKEY3\n';
    const dir = folder({ 'pomerium.yaml': BASE_YAML.replace('    pass_identity_headers: true\n', ''), 'grafana.ini': ini });
    const io = testIo(dir);
    const t = await transcript(io, () => init([], { pomerium: 'pomerium.yaml', write: 'grafana.ini', format: 'ini', cacheTtl: '60m' }, io));
    expect(t.code).toBe(0);
    const shown = t.stdout + t.stderr;
    expect(shown).toContain('[auth.jwt]');
    for (const secret of ['dbPASSWORD1', 'URLPASS2', 'SECRETKEY3', 'not-a-real-secret', 'Y2hhbmdlLW1lLWNoYW5nZS1tZS1jaGFuZ2UtbWUtMzI=']) expect(shown).not.toContain(secret);
    expect(readFileSync(join(dir, 'grafana.ini'), 'utf8')).toContain('dbPASSWORD1'); // the file itself keeps them
  });

  it('doctor masks unknown secret names and URL passwords in excerpts and messages, in every format', async () => {
    const yaml = BASE_YAML.replace('idp_client_secret: not-a-real-secret', 'idp_client_secrt: MISSPELTSECRET1\nidp_service_account: SERVICEACCOUNT2\ndatabroker_storage_connection_string: postgres://pomerium:DBPASS3@db/pomerium');
    const dir = folder({ 'grafana.ini': BASE_INI + '[database]\nurl = postgres://grafana:URLPASS4@db/grafana\n', 'pomerium.yaml': yaml });
    const out = await everyFormat(dir, both);
    expect(out).toMatch(/idp_client_secrt|idp_service_account/); // there are findings on those lines
    for (const secret of ['MISSPELTSECRET1', 'SERVICEACCOUNT2', 'DBPASS3', 'URLPASS4']) expect(out).not.toContain(secret);
  });

  it('show-ini masks [database] url and [remote_cache] connstr unless --show-secrets', async () => {
    const dir = folder({ 'grafana.ini': '[database]\nurl = mysql://grafana:URLPASS5@db:3306/grafana\n[remote_cache]\nconnstr = addr=redis:6379,password=REDISPASS6\n' });
    for (const json of [false, true]) {
      const io = testIo(dir);
      await showIni(['grafana.ini'], json ? { json } : {}, io);
      expect(io.stdout.join('')).not.toMatch(/URLPASS5|REDISPASS6/);
      const shown = testIo(dir);
      await showIni(['grafana.ini'], { ...(json ? { json } : {}), showSecrets: true }, shown);
      expect(shown.stdout.join('')).toMatch(/URLPASS5/);
    }
  });
});

describe('item 6: control characters in a config never reach the output', () => {
  it('escapes ESC/BEL in excerpts and messages, and a YAML value cannot start a workflow command line', async () => {
    const ini = BASE_INI.replace('header_name = X-Pomerium-Jwt-Assertion', `header_name = X\x1b]0;PWNED\x07\x1b[31m${'\x00\x01'.repeat(2000)}`);
    const yaml = BASE_YAML.replace('authenticate_service_url: https://authenticate.example.com', 'authenticate_service_url: "https://a.example.com\\n::error title=x::injected\\u001b[2J"');
    const dir = folder({ 'grafana.ini': ini, 'pomerium.yaml': yaml });
    for (const format of FORMATS) {
      const t = await runDoctor(dir, { ...both, format });
      expect(t.stdout, format).not.toMatch(CONTROL);
      expect(t.stdout, format).toContain('grafana/jwt-header-name');
      if (format === 'github') expect(t.stdout.split('\n').filter((l) => l.startsWith('::error title=x'))).toEqual([]);
      if (format === 'human') expect(t.stdout.split('\n').every((l) => l.length < 1000)).toBe(true); // 4 KB of junk is cut
    }
    const io = testIo(dir);
    await showIni(['grafana.ini'], {}, io);
    expect(io.stdout.join('') + io.stderr.join('')).not.toMatch(CONTROL);
  });
});

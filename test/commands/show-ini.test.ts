import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/commands/show-ini.js';
import { UserError } from '../../src/core/errors.js';
import type { Io } from '../../src/core/io.js';

const dir = mkdtempSync(join(tmpdir(), 'show-ini-'));

function fakeIo(stdin = ''): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
    env: {},
    cwd: dir,
    stdoutIsTTY: false,
    readStdin: async () => stdin,
    now: () => new Date(0),
  };
  return io;
}

async function showIni(content: string, json = false, extra: Record<string, unknown> = {}) {
  const name = `case-${Math.random().toString(36).slice(2)}.ini`;
  writeFileSync(join(dir, name), content);
  const io = fakeIo();
  const code = await run([name], { ...(json ? { json: true } : {}), ...extra }, io);
  return { code, stdout: io.stdout, stderr: io.stderr, name };
}

describe('show-ini --json', () => {
  it('prints exactly one vector-shaped case, values as String() returns them', async () => {
    const r = await showIni('app_mode = production\n[server]\nprotocol = https\nroot_url = %(protocol)s://x/ ; c\n', true);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '{"sections":[{"name":"DEFAULT","keys":[["app_mode","production"]]},{"name":"server","keys":[["protocol","https"],["root_url","https://x/"]]}],"error":null}\n',
    );
  });

  it('reports a go-ini failure in the JSON and still exits 0', async () => {
    const r = await showIni('[server]\nhttp_port = 3000\noops\n', true);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ sections: [], error: 'key-value delimiter not found: oops\n' });
  });

  it('prints go-ini\'s exact values with --show-secrets (the vectors\' contract), masked without it', async () => {
    const r = await showIni('[database]\npassword = """s3cr#t"""\nuser = grafana\n', true, { showSecrets: true });
    expect(JSON.parse(r.stdout).sections[1]).toEqual({ name: 'database', keys: [['password', 's3cr#t'], ['user', 'grafana']] });
    const masked = await showIni('[database]\npassword = """s3cr#t"""\nurl = postgres://u:PASS@h/db\n[remote_cache]\nconnstr = addr=h:6379,password=hunter2\n', true);
    expect(masked.stdout).not.toMatch(/s3cr#t|PASS|hunter2/);
  });
});

describe('show-ini (human output)', () => {
  it('masks secret values, values that interpolate a secret, and error text on a line naming a secret', async () => {
    const r = await showIni('[database]\npassword = """s3cr#t"""\nurl = postgres://u:%(password)s@db\nuser = grafana\n[x]\nclient_secret =\n');
    expect(r.stdout).not.toContain('s3cr');
    expect(r.stdout).toBe('[database]\npassword = ****\nurl = ****\nuser = grafana\n\n[x]\nclient_secret = ""\n');
    const failed = await showIni('[database]\npassword = """hunter2\n');
    expect(failed.stderr).not.toContain('hunter2');
    expect(failed.stderr).toContain('missing closing key quote from "****" to "****"');
  });

  it('shows secret values with --show-secrets', async () => {
    const r = await showIni('[database]\npassword = p;w\n');
    const name = r.name;
    const io = fakeIo();
    expect(await run([name], { showSecrets: true }, io)).toBe(0);
    expect(io.stdout).toBe('[database]\npassword = p\n');
  });
  it('prints sections in go-ini order with a blank line between them, skipping an empty DEFAULT', async () => {
    const r = await showIni('[server]\nhttp_port = 3000\n[auth.jwt]\nenabled = true ;on\n[server]\ndomain = g\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('[server]\nhttp_port = 3000\ndomain = g\n\n[auth.jwt]\nenabled = true\n');
  });

  it('quotes what a reader would misread: edge spaces, comment characters, invisible characters, empty values', async () => {
    const r = await showIni('[ spaced ]\na = """ x """\nb = `p;q#r`\nc = \u200bzero\nd =\n"e=f" = g\n- = first\n');
    expect(r.stdout).toBe('[" spaced "]\na = " x "\nb = "p;q#r"\nc = "\\u200bzero"\nd = ""\n"e=f" = g\n"#1" = first\n');
  });

  it('prints a go-ini failure as file:line:col: error: message and exits 1', async () => {
    const r = await showIni('[server]\n  http_port = 3000\n  oops\r\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${r.name}:3:3: error: key-value delimiter not found: oops\n`);
  });

  it('reads standard input for "-"', async () => {
    const io = fakeIo('[a]\nk = v\n');
    expect(await run(['-'], {}, io)).toBe(0);
    expect(io.stdout).toBe('[a]\nk = v\n');
  });

  it('names <stdin> in a failure read from standard input', async () => {
    const io = fakeIo('[a\n');
    expect(await run(['-'], {}, io)).toBe(1);
    expect(io.stderr).toBe('<stdin>:1:1: error: unclosed section: [a\n');
  });
});

describe('show-ini: files it cannot read are UserErrors (exit 2)', () => {
  it('a missing file', async () => {
    const err = await run(['nope.ini'], {}, fakeIo()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe('cannot read grafana.ini nope.ini: no such file');
    expect((err as UserError).exitCode).toBe(2);
  });

  it('a directory', async () => {
    mkdirSync(join(dir, 'adir'), { recursive: true });
    await expect(run(['adir'], {}, fakeIo())).rejects.toThrow('grafana.ini adir is a directory, not a file');
  });

  it('a file over 10 MiB', async () => {
    writeFileSync(join(dir, 'big.ini'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x61));
    await expect(run(['big.ini'], {}, fakeIo())).rejects.toThrow('grafana.ini big.ini is 10.0 MiB; files over 10 MiB are refused');
  });

  it('standard input over 10 MiB', async () => {
    await expect(run(['-'], {}, fakeIo('a'.repeat(10 * 1024 * 1024 + 1)))).rejects.toThrow('the grafana.ini on standard input is over 10 MiB');
  });
});

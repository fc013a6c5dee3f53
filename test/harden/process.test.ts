// Issue 11 items 8, 13, 14, 15: the built CLI as a process (pipes, stdin, deep input) and the report caps.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLimited } from '../../src/core/io.js';
import { UserError } from '../../src/core/errors.js';
import type { Finding } from '../../src/core/finding.js';
import { formatGithub } from '../../src/report/github.js';
import { formatHuman } from '../../src/report/human.js';
import { formatJson } from '../../src/report/json.js';
import { formatSarif } from '../../src/report/sarif.js';

const BIN = new URL('../../bin/grafana-pomerium.js', import.meta.url).pathname;
const BASE = new URL('../fixtures/rules/_base/', import.meta.url).pathname;
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
delete env.NODE_OPTIONS;

function cli(args: string[], options: { stdin?: string; closeStdoutAfterFirstLine?: boolean; cwd?: string } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: options.cwd ?? process.cwd() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      // `| head -1`: the reader takes one line and closes the pipe.
      if (options.closeStdoutAfterFirstLine && stdout.includes('\n')) child.stdout.destroy();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
  });
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('item 13: a closed stdout', () => {
  it('ends the program quietly (no stack trace, no EPIPE message)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-pipe-'));
    const lines = Array.from({ length: 30_000 }, (_, i) => `key${i} = value${i}`).join('\n');
    writeFileSync(join(dir, 'grafana.ini'), `[section]\n${lines}\n`);
    const r = await cli(['show-ini', 'grafana.ini'], { cwd: dir, closeStdoutAfterFirstLine: true });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 60_000);
});

describe('item 14: standard input is capped like every other input', () => {
  it('refuses more than 10 MiB while reading, without holding it all', async () => {
    let produced = 0;
    const chunk = Buffer.alloc(1 << 20, 'a');
    const endless = Readable.from(
      (function* () {
        for (;;) {
          produced += chunk.length;
          yield chunk;
          if (produced > 200 * (1 << 20)) return;
        }
      })(),
    );
    await expect(readLimited(endless)).rejects.toThrow(UserError);
    expect(produced).toBeLessThanOrEqual(12 * (1 << 20)); // stopped at the limit, not after 200 MB
  });

  it('explain refuses an over-size token on stdin with one message, exit 2', async () => {
    const r = await cli(['explain', '--grafana', join(BASE, 'grafana.ini'), '--jwks', join(BASE, '..', '..', '..', 'fixtures', 'jwks', 'missing.json')], { stdin: 'a'.repeat(11 * 1024 * 1024) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/standard input is over 10 MiB/);
  }, 60_000);
});

describe('item 15: deep nesting', () => {
  it('claims nested 100,000 deep: a clear input error, never a stack overflow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-deep-'));
    writeFileSync(join(dir, 'jwks.json'), '{"keys":[]}');
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const token = `${b64('{"alg":"ES256","kid":"k"}')}.${b64(`{"email":"a@example.com","x":${deep}}`)}.c2ln`;
    const r = await cli(['explain', '--grafana', join(BASE, 'grafana.ini'), '--jwks', join(dir, 'jwks.json')], { stdin: token });
    expect(r.stderr).not.toMatch(/Maximum call stack|internal error|at .*\.js:\d+/);
    expect(r.stderr).toMatch(/nested too deeply/);
    expect(r.code).toBe(2);
  }, 60_000);

  it('YAML nested 800 deep: an input error, not "Pomerium refuses to start"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-deep-'));
    writeFileSync(join(dir, 'pomerium.yaml'), `routes: ${'['.repeat(800)}1${']'.repeat(800)}\n`);
    const r = await cli(['doctor', '--pomerium', 'pomerium.yaml'], { cwd: dir });
    expect(r.stdout).not.toContain('refuses to start');
    expect(r.stderr).toMatch(/nested more than \d+ levels deep/);
    expect(r.code).toBe(2);
  }, 60_000);
});

describe('item 8: findings capped per rule and file', () => {
  it('every format shows at most 50 findings of one rule in one file, then how many more', () => {
    const findings: Finding[] = Array.from({ length: 1000 }, (_, i) => ({
      ruleId: 'grafana/unknown-key', severity: 'warning', message: `unknown key k${i}`, file: 'grafana.ini', line: i + 2, column: 1, endLine: i + 2, endColumn: 3,
    }));
    const input = { findings, sources: new Map([['grafana.ini', `[server]\n${Array.from({ length: 1000 }, (_, i) => `k${i} = v`).join('\n')}\n`]]), rules: [], cwd: '/' };
    const json = JSON.parse(formatJson(input)) as { findings: { message: string }[]; summary: { warnings: number } };
    expect(json.findings).toHaveLength(51);
    expect(json.findings[50]!.message).toBe('950 more findings of grafana/unknown-key in this file not shown (at most 50 per rule and file)');
    expect(json.summary.warnings).toBe(1000);
    const human = formatHuman(input);
    expect(human.match(/\[grafana\/unknown-key\]/g)).toHaveLength(51);
    expect(human).toContain('✖ 1000 problems');
    expect((JSON.parse(formatSarif(input)) as { runs: { results: unknown[] }[] }).runs[0]!.results).toHaveLength(51);
    expect(formatGithub(input)).toContain('950 more findings');
  });
});

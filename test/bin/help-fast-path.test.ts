// bin/grafana-pomerium.js answers --version and --help from dist/help.json (captured at build time
// from the real commander program) without loading the bundle. Every form it answers must print
// exactly what commander prints: this compares both, for the top level and every subcommand that
// src/program.ts defines today (read from the program itself, so new commands are covered too).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/program.js';
import { REPO } from '../transcripts/built-cli.js';

const BIN = `${REPO}bin/grafana-pomerium.js`;

function run(args: string[], fastPath: boolean) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', GRAFANA_POMERIUM_FAST_PATH_TRACE: '1' };
  if (!fastPath) env.GRAFANA_POMERIUM_NO_FAST_PATH = '1';
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, env, encoding: 'utf8', timeout: 20_000 });
  const trace = r.stderr.split('\n').filter((l) => l.startsWith('fast-path: '));
  const stderr = r.stderr.split('\n').filter((l) => !l.startsWith('fast-path: ')).join('\n');
  return { stdout: r.stdout, stderr, code: r.status, trace };
}

const commands = buildProgram().commands.map((c) => c.name());

const forms: string[][] = [['--version'], ['-V'], ['--help'], ['-h'], ['help']];
for (const c of commands) forms.push([c, '--help'], [c, '-h'], ['help', c]);

describe('--version and --help from dist/help.json', () => {
  it('knows every command of the program', () => {
    expect(commands).toEqual(expect.arrayContaining(['init', 'doctor', 'fetch-jwks', 'explain', 'mint', 'show-ini']));
  });

  for (const args of forms) {
    it(`grafana-pomerium ${args.join(' ')}: the same bytes as commander, without loading the bundle`, () => {
      const fast = run(args, true);
      const slow = run(args, false);
      expect(slow.trace).toEqual(['fast-path: off']);
      expect(fast.trace).toEqual(['fast-path: help.json']);
      expect(fast.stdout).toBe(slow.stdout);
      expect(fast.stderr).toBe(slow.stderr);
      expect(fast.code).toBe(slow.code);
      expect(slow.code).toBe(0);
      expect(slow.stdout.length).toBeGreaterThan(0);
    });
  }

  // Forms it does not answer go to commander, with its own output and exit code.
  for (const args of [['help', 'nosuchcommand'], ['nosuchcommand', '--help'], ['--version', '--help'], ['doctor', '--help', 'x'], ['--Help']]) {
    it(`grafana-pomerium ${args.join(' ')}: left to commander`, () => {
      const fast = run(args, true);
      const slow = run(args, false);
      expect(fast.trace.some((l) => l.includes('help.json'))).toBe(false);
      expect([fast.stdout, fast.stderr, fast.code]).toEqual([slow.stdout, slow.stderr, slow.code]);
    });
  }
});

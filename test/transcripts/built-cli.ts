// The built CLI (`node bin/grafana-pomerium.js`), built once per test run. Test files run in
// parallel workers of one vitest process: the first to get here builds, the others wait, and
// nobody rebuilds (which would empty dist/ under a running test) while the marker names this run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = new URL('../../', import.meta.url).pathname;
const BIN = join(REPO, 'bin/grafana-pomerium.js');
const LOCK = join(REPO, 'dist.building');
const MARKER = join(REPO, 'dist', `.built-for-${process.ppid}`);

export async function buildCli(): Promise<void> {
  for (;;) {
    if (existsSync(MARKER)) return;
    try {
      mkdirSync(LOCK);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      if (!existsSync(MARKER)) {
        execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'pipe' });
        writeFileSync(MARKER, '');
      }
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with a plain environment (no colour variables, no terminal). */
export function runCli(args: string[], options: { cwd: string; input?: string; timeoutMs?: number }): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '' },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// The built CLI (`node bin/grafana-pomerium.js`); test/global-setup.ts builds dist/ once before
// any test file runs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const REPO = new URL('../../', import.meta.url).pathname;
const BIN = join(REPO, 'bin/grafana-pomerium.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with a plain environment (no colour variables, no terminal). */
export function runCli(args: string[], options: { cwd: string; input?: string; timeoutMs?: number; env?: Record<string, string> }): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

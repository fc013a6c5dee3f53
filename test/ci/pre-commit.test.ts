// .pre-commit-hooks.yaml, run by the real `pre-commit` tool (installed from the Python registry by this
// test's set-up, into a virtualenv of its own) on a temporary repository that uses this checkout as
// its hook repository, exactly as a user's .pre-commit-config.yaml would. The hook is `language:
// system`: it runs the grafana-pomerium on PATH, here the packed tarball installed into a temp prefix.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const REPO = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gp-pre-commit-'));
const venv = join(dir, 'venv');
const toolRepo = join(dir, 'tool');
const userRepo = join(dir, 'project');
const prefix = join(dir, 'prefix');
const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, PRE_COMMIT_HOME: join(dir, 'cache'), GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
let rev = '';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  execFileSync('python3', ['-m', 'venv', venv]);
  // Few retries and a short timeout: an index that cannot be reached should cost seconds, not minutes.
  execFileSync(join(venv, 'bin/pip'), ['install', '--quiet', '--retries', '1', '--timeout', '10', 'pre-commit'], { stdio: 'pipe' });
  // The tool as a user installs it (dist/ is built by test/global-setup.ts).
  const name = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--loglevel=error'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  execFileSync('npm', ['install', '-g', join(dir, name), '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  // The hook repository: this checkout as it is now (tracked and new files), committed.
  mkdirSync(toolRepo);
  git(toolRepo, 'init', '-q');
  const files = git(REPO, 'ls-files', '--cached', '--others', '--exclude-standard').split('\n');
  for (const f of files) {
    try {
      mkdirSync(dirname(join(toolRepo, f)), { recursive: true });
      cpSync(join(REPO, f), join(toolRepo, f));
    } catch {
      // a file deleted in the work tree but still in the index
    }
  }
  git(toolRepo, 'add', '-A');
  git(toolRepo, 'commit', '-q', '-m', 'tool');
  rev = git(toolRepo, 'rev-parse', 'HEAD');
  // The user's project: the 2023 guide's configs.
  mkdirSync(userRepo);
  git(userRepo, 'init', '-q');
  cpSync(join(REPO, 'docs/examples/2023-guide'), join(userRepo, 'deploy'), { recursive: true });
  writeFileSync(join(userRepo, 'README.md'), 'project\n');
}, 240_000);

function preCommit(args: string[], hookArgs: string[]) {
  writeFileSync(
    join(userRepo, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${toolRepo}\n    rev: ${rev}\n    hooks:\n      - id: grafana-pomerium-doctor\n        args: [${hookArgs.join(', ')}]\n`,
  );
  git(userRepo, 'add', '-A');
  return spawnSync(join(venv, 'bin/pre-commit'), args, { cwd: userRepo, env, encoding: 'utf8', timeout: 600_000 });
}

describe('.pre-commit-hooks.yaml', () => {
  it('declares the grafana-pomerium-doctor hook', () => {
    const hooks = parse(readFileSync(join(REPO, '.pre-commit-hooks.yaml'), 'utf8'));
    expect(hooks.map((h: { id: string }) => h.id)).toEqual(['grafana-pomerium-doctor']);
    const files = new RegExp(hooks[0].files);
    for (const f of ['grafana.ini', 'deploy/grafana/grafana.ini', 'pomerium.yaml', 'k8s/pomerium-config.yml', 'values.yaml', 'docker-compose.yml', 'compose.yaml', '.env']) expect(f, f).toMatch(files);
    for (const f of ['README.md', 'src/app.ts', 'config.ini']) expect(f, f).not.toMatch(files);
  });

  it('pre-commit runs doctor and fails the commit on the 2023 guide\'s errors', () => {
    const r = preCommit(['run', '--all-files'], ['--pomerium, deploy/pomerium.yaml', '--grafana, deploy/grafana.ini']);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/grafana-pomerium doctor\.+Failed/);
    expect(r.stdout).toContain('- exit code: 1');
    expect(r.stdout).toContain('deploy/grafana.ini:6:15: error:');
  }, 600_000);

  it('passes when the findings are below --fail-level, and skips when no config changed', () => {
    const passed = preCommit(['run', '--all-files'], ['--pomerium, deploy/pomerium.yaml', '--grafana, deploy/grafana.ini', '--fail-level, none']);
    expect(passed.status, passed.stdout + passed.stderr).toBe(0);
    expect(passed.stdout).toMatch(/grafana-pomerium doctor\.+Passed/);
    const skipped = preCommit(['run', '--files', 'README.md'], ['--pomerium, deploy/pomerium.yaml']);
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toMatch(/grafana-pomerium doctor\.+\(no files to check\)Skipped/);
  }, 600_000);
});

// The packed tarball installs and runs on a fresh machine: `npm install -g ./grafana-pomerium-*.tgz`
// into a temporary prefix, with only runtime dependencies, dist/ inside, no build step and no
// install-scripts warning; then doctor and rule run from the installed copy.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gp-pack-'));
const prefix = join(dir, 'prefix');
let tarball = '';
let install: { status: number | null; stdout: string; stderr: string };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  // dist/ is built once by test/global-setup.ts; --ignore-scripts keeps `prepack` from rebuilding it under other tests' feet.
  const name = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--loglevel=error'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  tarball = join(dir, name);
  // As a user would: from the folder with the tarball, into a prefix of its own, nothing else on hand.
  install = spawnSync('npm', ['install', '-g', `./${name}`, '--prefix', prefix, '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_global: undefined } });
}, 180_000);

describe('npm pack tarball', () => {
  it('holds bin, dist, templates, docs and package.json; no sources or tests', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    expect(files).toContain('package/dist/cli.cjs');
    expect(files).toContain('package/bin/grafana-pomerium.js');
    expect(files).toContain('package/docs/rules/grafana/jwt-header-name.md');
    expect(files.filter((f) => /^package\/(src|test|bench|scripts|node_modules)\//.test(f))).toEqual([]);
  });

  it('installs with npm install -g into a temp prefix, without an install-scripts warning', () => {
    expect(install.status, install.stderr).toBe(0);
    expect(install.stderr).not.toMatch(/install-scripts|prepare/);
    // dist/ is self-contained (one bundle, plus undici's and jose's: scripts/build.mjs), so nothing is installed beside it.
    const deps = join(prefix, 'lib', 'node_modules', 'grafana-pomerium', 'node_modules');
    expect(existsSync(deps) ? readdirSync(deps).filter((d) => !d.startsWith('.')) : []).toEqual([]);
  });

  it('runs doctor from the installed copy (exit 1 on the 2023 guide\'s errors), and rule prints its shipped page', () => {
    const bin = join(prefix, 'bin', 'grafana-pomerium');
    const doctor = spawnSync(bin, ['doctor', '--pomerium', 'pomerium.yaml', '--grafana', 'grafana.ini'], { cwd: join(REPO, 'docs/examples/2023-guide'), encoding: 'utf8' });
    expect(doctor.status, doctor.stderr).toBe(1);
    expect(doctor.stdout).toContain('[grafana/jwt-header-name]');
    expect(doctor.stdout).toContain('docs: grafana-pomerium rule grafana/jwt-header-name');
    const rule = spawnSync(bin, ['rule', 'grafana/jwt-header-name'], { encoding: 'utf8' });
    expect(rule.status, rule.stderr).toBe(0);
    expect(rule.stdout.split('\n')[0]).toBe('# grafana/jwt-header-name');
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { interpolate } from '../../src/compose/interpolate.js';
import { readCompose } from '../../src/compose/project.js';
import { lintCase } from '../helpers/lint.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const FIXTURE = `${ROOT}test/fixtures/compose/`;
const COMPOSE = readFileSync(`${FIXTURE}docker-compose.yml`, 'utf8');
const CONFIG = readFileSync(`${FIXTURE}config.yaml`, 'utf8');
const DOT_ENV = Object.fromEntries(
  readFileSync(`${FIXTURE}.env`, 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

describe('compose interpolation', () => {
  it.each([
    ['${A}', { A: 'x' }, 'x'],
    ['$A/$$A', { A: 'x' }, 'x/$A'],
    ['${A:-d}', { A: '' }, 'd'],
    ['${A-d}', { A: '' }, ''],
    ['${A-d}', {}, 'd'],
    ['${A:+alt}', { A: 'x' }, 'alt'],
    ['${A:-${B}}', { B: 'b' }, 'b'],
  ] as const)('%s with %j is %s', (text, vars, expected) => {
    expect(interpolate(text, vars).value).toBe(expected);
  });

  it('reports unset variables and ${VAR:?}', () => {
    expect(interpolate('${A}', {})).toEqual({ value: '', unset: ['A'], error: null });
    expect(interpolate('${A:?needs A}', { A: '' }).error).toBe('required variable A is missing a value: needs A');
  });
});

describe('compose file -> Grafana env and Pomerium model', () => {
  it('finds the services, reads both environment forms with positions and the mounted Pomerium config', () => {
    const project = readCompose(COMPOSE, 'deploy/docker-compose.yml', {
      vars: DOT_ENV,
      readFile: (path) => (path === 'deploy/config.yaml' ? CONFIG : null),
    });
    expect(project.grafana?.image).toBe('grafana/grafana:12.2.0');
    const jwt = project.grafana?.env.get('GF_AUTH_JWT_ENABLED');
    expect(jwt?.value).toBe('true');
    expect(jwt?.nameSpan).toEqual({ file: 'deploy/docker-compose.yml', line: 20, column: 9, endLine: 20, endColumn: 28 });
    expect(jwt?.valueSpan).toMatchObject({ line: 20, column: 29, endColumn: 33 });
    const claims = project.grafana?.env.get('GF_AUTH_JWT_EXPECT_CLAIMS');
    expect(claims?.value).toBe('{"aud": "grafana.example.com"}');
    expect(claims?.nameSpan).toMatchObject({ line: 26, column: 10 });
    const secret = project.pomerium?.env.get('SHARED_SECRET');
    expect(secret?.value).toBe(DOT_ENV.SHARED_SECRET);
    expect(secret?.valueSpan).toMatchObject({ line: 9, column: 22 });
    expect(project.pomeriumConfig).toMatchObject({ path: 'deploy/config.yaml', target: '/pomerium/config.yaml', text: CONFIG });
    expect(project.problems).toEqual([]);
  });

  it('a clean project passes doctor; broken variants point at the compose and config lines', () => {
    const lint = (compose: string) =>
      lintCase({ compose, vars: DOT_ENV, files: { 'config.yaml': CONFIG } })
        .findings.filter((f) => f.severity !== 'info')
        .map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`);
    expect(lint(COMPOSE)).toEqual([]);
    expect(lint(COMPOSE.replace('GF_AUTH_JWT_HEADER_NAME=X-Pomerium-Jwt-Assertion', 'GF_AUTH_JWT_HEADER_NAME=X_POMERIUM_JWT_ASSERTION'))).toEqual([
      'grafana/jwt-header-name docker-compose.yml:21:33',
    ]);
    expect(lint(COMPOSE.replace('      - GF_AUTH_JWT_AUTO_SIGN_UP=true', '      - GF_AUTH_JWT_AUTO_SIGN_UP=true\n      - GF_AUTH_JWT_AUTO_SIGN_UP__FILE=/run/secrets/x'))).toEqual([
      'grafana/env-ignored docker-compose.yml:28:9',
    ]);
    expect(lint(COMPOSE.replace('SIGNING_KEY: ${SIGNING_KEY}', 'SIGNING_KEY: ${SIGNING_KEY_TYPO}'))).toContain('compose/interpolation docker-compose.yml:11:20');
    const lintConfig = (config: string) =>
      lintCase({ compose: COMPOSE, vars: DOT_ENV, files: { 'config.yaml': config } }).findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`);
    expect(lintConfig(CONFIG.replace('    pass_identity_headers: true\n', ''))).toEqual(['cross/pass-identity-headers config.yaml:7:11']);
  });
});

describe('the built CLI', () => {
  const doctor = (...args: string[]) => spawnSync(process.execPath, ['bin/grafana-pomerium.js', 'doctor', '--no-color', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('passes the Kubernetes example clean', () => {
    const run = doctor('--pomerium', 'examples/kubernetes', '--grafana-values', 'examples/kubernetes/values.yaml', '--fail-level', 'warning');
    expect(run.stdout).toContain('no problems found');
    expect(run.status).toBe(0);
  });

  it('passes examples/compose clean through --compose (the mounted pomerium.yaml and grafana.ini are read)', () => {
    const run = doctor('--compose', 'examples/compose/docker-compose.yml', '--fail-level', 'warning');
    expect(run.stdout).toContain('no problems found');
    expect(run.status).toBe(0);
  });

  it('passes a GF_*-only compose project clean (config.yaml and .env read beside it), secrets never printed', () => {
    const run = doctor('--compose', 'test/fixtures/compose/docker-compose.yml', '--fail-level', 'warning', '--format', 'json');
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain(DOT_ENV.SHARED_SECRET);
  });

  it('reports a manifest that is not YAML as could-not-run, at its line', () => {
    const run = doctor('--pomerium', 'test/fixtures/kubernetes/broken.yaml');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^test\/fixtures\/kubernetes\/broken\.yaml:6:1: error: /);
  });
});

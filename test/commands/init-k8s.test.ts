// init's Kubernetes and compose forms (--format ingress/compose, --write on values, Ingress and compose
// files), read back by doctor; fetch-jwks, mint and explain on manifests; the order of --help.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { run as doctor } from '../../src/commands/doctor.js';
import { run as explain } from '../../src/commands/explain.js';
import { run as fetchJwks } from '../../src/commands/fetch-jwks.js';
import { run as init } from '../../src/commands/init.js';
import { run as mint } from '../../src/commands/mint.js';
import { interpolate } from '../../src/compose/interpolate.js';
import { buildProgram } from '../../src/program.js';
import { testIo, transcript, type Transcript } from '../helpers/run-command.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
// pomerium.md 3.2 vector 4: on v0.33+ this shared_secret derives the signing key.
const SHARED_SECRET = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU2Nzg5MCsvQUFBQT0=';
const NOW = new Date('2026-11-30T12:00:00Z');

function workDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gp-k8s-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

type Run = (args: string[], options: Record<string, unknown>, io: ReturnType<typeof testIo>) => Promise<number>;
function cli(command: Run, dir: string, options: Record<string, unknown>, args: string[] = []): Promise<Transcript> {
  const io = testIo(dir, {}, () => NOW);
  return transcript(io, () => command(args, options, io));
}
const runInit = (dir: string, options: Record<string, unknown>) => cli(init as Run, dir, { format: 'ini', cacheTtl: '60m', ...options });
const runDoctor = (dir: string, options: Record<string, unknown>) => cli(doctor as Run, dir, { format: 'json', failLevel: 'error', ...options });
const findings = (t: Transcript) => (JSON.parse(t.stdout).findings as { ruleId: string; severity: string; line: number | null }[]);

describe('init --format ingress', () => {
  it('writes the Grafana Ingress: string annotations, the policy, host, TLS secret and backend from the route', async () => {
    const dir = workDir();
    const t = await runInit(dir, { pomerium: 'compose/pomerium.yaml', format: 'ingress' });
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain('    ingress.pomerium.io/pass_identity_headers: "true"\n    ingress.pomerium.io/preserve_host_header: "true"\n');
    const ingress = parse(t.stdout) as Record<string, any>;
    expect(ingress.metadata.annotations['ingress.pomerium.io/policy']).toBe('- allow:\n    or:\n      - email:\n          is: you@example.com\n');
    expect(ingress.spec).toEqual({
      ingressClassName: 'pomerium',
      tls: [{ hosts: ['grafana.localhost.pomerium.io'], secretName: 'grafana-tls' }],
      rules: [{ host: 'grafana.localhost.pomerium.io', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'grafana', port: { number: 3000 } } } }] } }],
    });
  });

  it('warns that the Ingress lacks pass_identity_headers, except when the output is that Ingress (it sets it)', async () => {
    const dir = workDir();
    const path = join(dir, 'kubernetes/ingress.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^ {4}ingress\.pomerium\.io\/pass_identity_headers.*\n/m, ''));
    const ini = await runInit(dir, { pomerium: 'kubernetes', format: 'ini' });
    expect(ini.stderr).toMatch(/^warning: Pomerium strips the JWT header .*ingress\.pomerium\.io\/pass_identity_headers: "true"/);
    const ingress = await runInit(dir, { pomerium: 'kubernetes', format: 'ingress' });
    expect(ingress.stderr).toBe('');
    expect(parse(ingress.stdout).metadata.annotations['ingress.pomerium.io/pass_identity_headers']).toBe('true');
  });

  it('round-trips: its Ingress, with the Pomerium resource and init\'s Helm values, passes doctor clean', async () => {
    const dir = workDir();
    const ingress = await runInit(dir, { pomerium: 'kubernetes', format: 'ingress' });
    const values = await runInit(dir, { pomerium: 'kubernetes', format: 'helm', autoSignUp: true });
    writeFileSync(join(dir, 'kubernetes/ingress.yaml'), ingress.stdout);
    writeFileSync(join(dir, 'values.yaml'), values.stdout);
    expect(parse(ingress.stdout).metadata.namespace).toBe('monitoring');
    const checked = await runDoctor(dir, { pomerium: 'kubernetes', grafanaValues: 'values.yaml' });
    expect(findings(checked).filter((f) => f.severity === 'error')).toEqual([]);
    expect(checked.code).toBe(0);
  });

  it('refuses a route whose to is not a Kubernetes Service, at the to', async () => {
    const dir = workDir({ 'ext.yaml': 'routes:\n  - from: https://grafana.example.com\n    to: http://10.0.0.5:3000\n    pass_identity_headers: true\n' });
    const t = await runInit(dir, { pomerium: 'ext.yaml', format: 'ingress' });
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/^ext\.yaml:3:9: error: the route's to http:\/\/10\.0\.0\.5:3000 is not a Service name/m);
  });
});

describe('init --format compose', () => {
  it('writes the environment block: map form, every value a quoted string, $ as $$', async () => {
    const dir = workDir();
    const t = await runInit(dir, { pomerium: 'compose/pomerium.yaml', format: 'compose', autoSignUp: true, role: 'Editor' });
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain('services:\n  grafana:\n    environment:\n      GF_AUTH_SIGNOUT_REDIRECT_URL: "https://grafana.localhost.pomerium.io/.pomerium/sign_out"\n      GF_AUTH_JWT_ENABLED: "true"\n');
    const env = (parse(t.stdout) as { services: { grafana: { environment: Record<string, unknown> } } }).services.grafana.environment;
    for (const value of Object.values(env)) expect(typeof value).toBe('string');
    expect(env.GF_USERS_AUTO_ASSIGN_ORG_ROLE).toBe('Editor');
    // compose reads `$$` back as `$`
    expect(interpolate('"a$$b"'.slice(1, -1), {}).value).toBe('a$b');
  });

  it('points at the mounted Pomerium config when its route lacks pass_identity_headers (only --pomerium is edited)', async () => {
    const pomerium = readFileSync(join(EXAMPLES, 'compose/pomerium.yaml'), 'utf8').replace(/^ {4}pass_identity_headers: true\n/m, '');
    const dir = workDir({ 'compose/pomerium.yaml': pomerium });
    const t = await runInit(dir, { compose: 'compose/docker-compose.yml', format: 'compose' });
    expect(t.code, t.stderr).toBe(0);
    // The compose file's image tags give the versions modelled (issue 12 item 9), said first.
    expect(t.stderr).toMatch(/^init: Pomerium [\d.]+, from compose\/docker-compose\.yml:\d+\ninit: Grafana [\d.]+, from compose\/docker-compose\.yml:\d+\nwarning: Pomerium strips the JWT header on the Grafana route \(.*pomerium\.yaml:\d+:\d+\): set pass_identity_headers: true on it\n$/);
    expect(t.stdout).toContain('GF_AUTH_JWT_HEADER_NAME: "X-Pomerium-Jwt-Assertion"');
    const write = await runInit(dir, { compose: 'compose/docker-compose.yml', writePomerium: true });
    expect([write.code, write.stderr]).toEqual([2, 'error: --write-pomerium edits the file given with --pomerium\n']);
  });

  it('round-trips: the compose file with that block and no grafana.ini passes doctor clean', async () => {
    const dir = workDir();
    const block = await runInit(dir, { pomerium: 'compose/pomerium.yaml', format: 'compose', autoSignUp: true });
    writeFileSync(join(dir, 'compose/docker-compose.yml'), block.stdout.replace('services:\n  grafana:\n', 'services:\n  grafana:\n    image: grafana/grafana:12.2.0\n'));
    const checked = await runDoctor(dir, { pomerium: 'compose/pomerium.yaml', compose: 'compose/docker-compose.yml' });
    expect(findings(checked).filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('init --write on the YAML forms', () => {
  it('edits Helm values in place, keeping comments, prints the diff, and is idempotent', async () => {
    const dir = workDir({ 'values.yaml': '# my values\ngrafana.ini:\n  auth.jwt:\n    # old source\n    jwk_set_file: /x.json\n    enabled: false\nservice:\n  port: 3000 # the port\n' });
    const first = await runInit(dir, { pomerium: 'kubernetes', format: 'helm', write: 'values.yaml' });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^--- values\.yaml\n\+\+\+ values\.yaml\n/);
    const after = readFileSync(join(dir, 'values.yaml'), 'utf8');
    expect(after).toContain('# my values\n');
    expect(after).toContain('  port: 3000 # the port\n');
    expect(after).not.toContain('jwk_set_file');
    expect((parse(after) as any)['grafana.ini']['auth.jwt']).toMatchObject({ enabled: true, header_name: 'X-Pomerium-Jwt-Assertion' });
    const again = await runInit(dir, { pomerium: 'kubernetes', format: 'helm', write: 'values.yaml' });
    expect(again).toEqual({ code: 0, stdout: '', stderr: 'values.yaml: already up to date\n' });
    const checked = await runDoctor(dir, { pomerium: 'kubernetes', grafanaValues: 'values.yaml' });
    expect(findings(checked).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('moves a nested auth: jwt: map (rendered as garbage by the chart) to auth.jwt:, keeping its other keys', async () => {
    const dir = workDir({ 'values.yaml': 'grafana.ini:\n  auth:\n    disable_login_form: true\n    jwt:\n      enabled: true\n      auto_sign_up: true\n' });
    const first = await runInit(dir, { pomerium: 'kubernetes', format: 'helm', write: 'values.yaml' });
    expect(first.code, first.stderr).toBe(0);
    const values = (parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) as any)['grafana.ini'];
    expect(values.auth).toMatchObject({ disable_login_form: true });
    expect(values.auth.jwt).toBeUndefined();
    expect(values['auth.jwt']).toMatchObject({ enabled: true, auto_sign_up: true, header_name: 'X-Pomerium-Jwt-Assertion' });
    const checked = await runDoctor(dir, { pomerium: 'kubernetes', grafanaValues: 'values.yaml' });
    expect(findings(checked).filter((f) => f.ruleId === 'helm/nested-section')).toEqual([]);
  });

  it('adds the missing annotation to the Ingress that serves the host, as a string', async () => {
    const dir = workDir();
    const path = join(dir, 'kubernetes/ingress.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('    ingress.pomerium.io/pass_identity_headers: "true"\n', ''));
    const first = await runInit(dir, { pomerium: 'kubernetes', format: 'ingress', write: 'kubernetes/ingress.yaml' });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('+    ingress.pomerium.io/pass_identity_headers: "true"\n');
    expect(readFileSync(path, 'utf8')).toContain('# the chart\'s Service, on Grafana\'s own port');
    expect((await runInit(dir, { pomerium: 'kubernetes', format: 'ingress', write: 'kubernetes/ingress.yaml' })).stderr).toBe('kubernetes/ingress.yaml: already up to date\n');
  });

  it('edits a compose environment in list form, escaping $', async () => {
    const dir = workDir({ 'c.yml': 'services:\n  grafana:\n    image: grafana/grafana\n    environment:\n      - GF_AUTH_JWT_ENABLED=false # off\n      - GF_SERVER_DOMAIN=x\n' });
    const t = await runInit(dir, { pomerium: 'compose/pomerium.yaml', format: 'compose', write: 'c.yml' });
    expect(t.code, t.stderr).toBe(0);
    const env = (parse(readFileSync(join(dir, 'c.yml'), 'utf8')) as any).services.grafana.environment as string[];
    expect(env).toContain('GF_AUTH_JWT_ENABLED=true');
    expect(env).toContain('GF_SERVER_DOMAIN=x');
    expect(env.filter((e) => e.startsWith('GF_AUTH_JWT_ENABLED='))).toHaveLength(1);
    expect((await runInit(dir, { pomerium: 'compose/pomerium.yaml', format: 'compose', write: 'c.yml' })).stderr).toBe('c.yml: already up to date\n');
  });

  it('refuses to write into a file with YAML errors, at its line', async () => {
    const dir = workDir({ 'v.yaml': 'grafana.ini: [\n' });
    const t = await runInit(dir, { pomerium: 'kubernetes', format: 'helm', write: 'v.yaml' });
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/^v\.yaml:\d+:\d+: error: .*\n {2}hint: fix the YAML first/);
    expect(readFileSync(join(dir, 'v.yaml'), 'utf8')).toBe('grafana.ini: [\n');
  });
});

describe('fetch-jwks, mint and explain on Kubernetes manifests', () => {
  it('mint signs with the Secret\'s key from --env-file; fetch-jwks derives the same set; explain accepts the token', async () => {
    const dir = workDir({ 'secret.env': `SHARED_SECRET=${SHARED_SECRET}\n` });
    const minted = await cli(mint as Run, dir, { pomerium: 'kubernetes', envFile: 'secret.env', email: 'alice@example.com', ttl: '5m' });
    expect(minted.code, minted.stderr).toBe(0);
    expect(minted.stderr).not.toContain(SHARED_SECRET);
    const fetched = await cli(fetchJwks as Run, dir, { pomerium: 'kubernetes', envFile: 'secret.env', fromSigningKey: true, output: 'jwks.json', timeout: '30s', retries: '3' });
    expect(fetched.code, fetched.stderr).toBe(0);
    const explained = await cli(explain as Run, dir, { grafanaValues: 'kubernetes/values.yaml', jwks: 'jwks.json', json: true }, [minted.stdout.trim()]);
    expect(explained.code, explained.stdout).toBe(0);
    expect(JSON.parse(explained.stdout)).toMatchObject({ verdict: 'accepted', login: 'alice@example.com', role: 'Viewer' });
  });

  it('fetch-jwks tells the JWKS URL from the Ingress host', async () => {
    const dir = workDir();
    const t = await cli(fetchJwks as Run, dir, { pomerium: 'kubernetes', output: 'jwks.json', timeout: '1s', retries: '0', check: true, json: true });
    // --check with no local file: no request is made, and the source is the route host's JWKS URL.
    expect(JSON.parse(t.stdout)).toMatchObject({ outcome: 'missing', source: 'https://grafana.example.com/.well-known/pomerium/jwks.json' });
  });

  it('mint without a key in the manifests says so (the key lives in the Secret)', async () => {
    const t = await cli(mint as Run, workDir(), { pomerium: 'kubernetes', email: 'a@example.com', ttl: '5m' });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('the Pomerium Ingress Controller keeps its signing key in the Secret its Pomerium resource names');
  });
});

describe('--help', () => {
  it('lists the commands as init, doctor, fetch-jwks, explain, mint, show-ini, rule, smoke, users; the config flags are on every command', () => {
    const program = buildProgram();
    expect(program.commands.map((c) => c.name())).toEqual(['init', 'doctor', 'fetch-jwks', 'explain', 'mint', 'show-ini', 'rule', 'smoke', 'users']);
    const flags = (name: string) => program.commands.find((c) => c.name() === name)!.options.map((o) => o.long);
    for (const name of ['init', 'doctor', 'fetch-jwks', 'explain', 'mint', 'smoke']) expect(flags(name)).toEqual(expect.arrayContaining(['--pomerium', '--compose', '--env-file', '--use-env']));
    for (const name of ['doctor', 'fetch-jwks', 'explain']) expect(flags(name)).toContain('--grafana-values');
  });
});

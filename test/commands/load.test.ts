// The one loader every command uses: each form (Pomerium config, Kubernetes manifests, compose, env)
// gives the model doctor builds, and bad input is one UserError at file:line:col.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGrafana, loadPomerium, signingKeysOf } from '../../src/commands/load.js';
import { formatUserError, UserError } from '../../src/core/errors.js';
import { testIo } from '../helpers/run-command.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
// A P-256 test key, and Pomerium's shared_secret test vector (reference pomerium.md 3.2).
const PEM = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIL6hery9E866U6VPgGqnYMKROggtpPUPYH6CmIuo3jDGoAoGCCqGSM49
AwEHoUQDQgAEk0iVvcKFSqrWYoyd1S1Q9hsJTF2HlG65CKYknesX3sn6gGTkVFIl
1gJecEn/a2xm4sAFjbu5JOgjsrKTo3c+4Q==
-----END EC PRIVATE KEY-----\n`;
const SHARED_SECRET = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU2Nzg5MCsvQUFBQT0=';

function workDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gp-load-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function refusal(load: () => Promise<unknown>): Promise<string> {
  try {
    await load();
  } catch (err) {
    if (err instanceof UserError) return formatUserError(err);
    throw err;
  }
  throw new Error('expected a UserError');
}

describe('loadPomerium', () => {
  it('reads a Kubernetes folder: the Ingress route and the Pomerium resource, at the manifests\' lines', async () => {
    const dir = workDir();
    const loaded = (await loadPomerium({ pomerium: 'kubernetes' }, testIo(dir)))!;
    expect(loaded.inputs.pomerium).toBeNull();
    expect(loaded.model.authenticateServiceUrl?.value).toBe('https://authenticate.example.com');
    const [route] = loaded.model.routes;
    expect(route?.origin).toBe('ingress');
    expect(route?.from?.value).toBe('https://grafana.example.com');
    expect(route?.from?.span).toMatchObject({ file: join('kubernetes', 'ingress.yaml'), line: 22 });
    expect(route?.to?.value[0]?.url).toBe('http://grafana.monitoring.svc.cluster.local:3000');
  });

  it('tells a manifest file from a Pomerium config by its content', async () => {
    const dir = workDir();
    const manifest = (await loadPomerium({ pomerium: 'kubernetes/ingress.yaml' }, testIo(dir)))!;
    expect(manifest.model.routes[0]?.origin).toBe('ingress');
    const config = (await loadPomerium({ pomerium: 'compose/pomerium.yaml' }, testIo(dir)))!;
    expect(config.model.routes[0]?.origin).toBe('file');
    expect(config.inputs.pomerium?.file).toBe('compose/pomerium.yaml');
  });

  it('reads the compose file\'s Pomerium service: its mounted config', async () => {
    const dir = workDir();
    const loaded = (await loadPomerium({ compose: 'compose/docker-compose.yml' }, testIo(dir)))!;
    expect(loaded.model.file).toBe(join('compose', 'pomerium.yaml'));
    expect(loaded.model.routes[0]?.from?.value).toBe('https://grafana.localhost.pomerium.io');
  });

  it('applies --env-file over the manifests (the Secret\'s signing key, passed as SIGNING_KEY)', async () => {
    const dir = workDir({ 'secret.env': 'SIGNING_KEY=c2VjcmV0\nPASS_IDENTITY_HEADERS=true\n' });
    const loaded = (await loadPomerium({ pomerium: 'kubernetes', envFile: 'secret.env' }, testIo(dir)))!;
    expect(loaded.model.signingKey?.text).toBe('c2VjcmV0');
    expect(loaded.model.passIdentityHeaders).toMatchObject({ value: true, span: { file: 'secret.env', line: 2 } });
  });

  it('gives null when no Pomerium input is named', async () => {
    expect(await loadPomerium({}, testIo(workDir()))).toBeNull();
  });

  it('refuses YAML a manifest, a compose file or a config cannot be, at file:line:col', async () => {
    const dir = workDir({ 'bad/ingress.yaml': 'apiVersion: v1\nkind: Ingress\nmetadata: {name: [\n', 'bad.yml': 'services:\n  grafana: [\n', 'bad.yaml': 'routes:\n  - from: a\n  from: b\n' });
    expect(await refusal(() => loadPomerium({ pomerium: 'bad' }, testIo(dir)))).toMatch(/^bad\/ingress\.yaml:\d+:\d+: error: /);
    expect(await refusal(() => loadPomerium({ compose: 'bad.yml' }, testIo(dir)))).toMatch(/^bad\.yml:\d+:\d+: error: /);
    expect(await refusal(() => loadPomerium({ pomerium: 'bad.yaml' }, testIo(dir)))).toMatch(/^bad\.yaml:\d+:\d+: error: /);
    expect(await refusal(() => loadPomerium({ pomerium: 'missing.yaml' }, testIo(dir)))).toBe('error: cannot read Pomerium config missing.yaml: no such file');
  });

  it('reads signing_key_file beside the config, and names where each key came from', async () => {
    const dir = workDir({ 'conf/key.pem': PEM, 'conf/config.yaml': 'signing_key_file: key.pem\n', 'secret.env': `SHARED_SECRET=${SHARED_SECRET}\n`, 'bare.yaml': 'routes: []\n', 'conf/lost.yaml': 'signing_key_file: nope.pem\n', 'conf/shared': SHARED_SECRET, 'conf/sf.yaml': 'shared_secret_file: shared\n' });
    const io = testIo(dir);
    const fromFile = signingKeysOf((await loadPomerium({ pomerium: 'conf/config.yaml' }, io))!.model, io, '0.33.1');
    expect(['jwks' in fromFile.set, fromFile.label]).toEqual([true, 'signing_key_file in conf/config.yaml']);
    const fromEnvFile = signingKeysOf((await loadPomerium({ pomerium: 'bare.yaml', envFile: 'secret.env' }, io))!.model, io, '0.33.1');
    expect(fromEnvFile.label).toBe('SHARED_SECRET in secret.env');
    const fromSecretFile = signingKeysOf((await loadPomerium({ pomerium: 'conf/sf.yaml' }, io))!.model, io, '0.33.1');
    expect(['jwks' in fromSecretFile.set, fromSecretFile.label]).toEqual([true, 'shared_secret_file in conf/sf.yaml']);
    const missing = signingKeysOf((await loadPomerium({ pomerium: 'conf/lost.yaml' }, io))!.model, io, '0.33.1');
    expect('error' in missing.set && missing.set.error).toBe('signing_key_file nope.pem cannot be read here');
  });

  it('refuses to guess the key of an Ingress Controller setup (it is in a Secret)', async () => {
    const io = testIo(workDir());
    const { model } = (await loadPomerium({ pomerium: 'kubernetes' }, io))!;
    expect(() => signingKeysOf(model, io, '0.33.1')).toThrow(/keeps its signing key in the Secret/);
  });
});

describe('loadGrafana', () => {
  it('refuses a grafana.ini go-ini cannot read at its line, without quoting a secret on that line', async () => {
    const dir = workDir({ 'bad.ini': '[database]\npassword hunter2\n' });
    const err = await loadGrafana({ grafana: 'bad.ini' }, testIo(dir)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(formatUserError(err as UserError)).toBe('bad.ini:2:1: error: Grafana cannot load this file: key-value delimiter not found: ****');
  });

  it('renders Helm values as the chart does, with env: applied', async () => {
    const dir = workDir({ 'values.yaml': 'grafana.ini:\n  auth.jwt:\n    enabled: true\nenv:\n  GF_AUTH_JWT_HEADER_NAME: X-Pomerium-Jwt-Assertion\n' });
    const { model, file } = (await loadGrafana({ grafanaValues: 'values.yaml' }, testIo(dir)))!;
    expect(file).toBe('values.yaml');
    expect(model.str('auth.jwt', 'enabled')).toBe('true');
    expect(model.str('auth.jwt', 'header_name')).toBe('X-Pomerium-Jwt-Assertion');
  });

  it('reads the compose file\'s Grafana service: its grafana.ini and environment', async () => {
    const dir = workDir();
    const { model } = (await loadGrafana({ compose: 'compose/docker-compose.yml' }, testIo(dir)))!;
    expect(model.str('auth.jwt', 'jwk_set_url')).toBe('https://grafana.localhost.pomerium.io/.well-known/pomerium/jwks.json');
  });

  it('refuses a grafana.ini go-ini cannot read, and --grafana with --grafana-values', async () => {
    const dir = workDir({ 'broken.ini': '[auth.jwt]\nenabled = true\nno equals sign\n' });
    expect(await refusal(() => loadGrafana({ grafana: 'broken.ini' }, testIo(dir)))).toMatch(/^broken\.ini:3:1: error: Grafana cannot load this file/);
    expect(await refusal(() => loadGrafana({ grafana: 'broken.ini', grafanaValues: 'v.yaml' }, testIo(dir)))).toMatch(/cannot be used together/);
  });
});

// doctor --fix reaches its fixed point in one run, and init and doctor --fix make the same route edits (issue 10 item 5).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { run as doctor } from '../../src/commands/doctor.js';
import { run as init } from '../../src/commands/init.js';
import { parseIni } from '../../src/grafana/ini-parse.js';
import { testIo, transcript } from '../helpers/run-command.js';
import { grafanaRouteConfig } from '../helpers/pomerium-config.js';

const POMERIUM = grafanaRouteConfig();

function workDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gp-fix-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function run(dir: string, command: typeof doctor, options: Record<string, unknown>) {
  const io = testIo(dir);
  return transcript(io, () => command([], options, io));
}

describe('doctor --fix', () => {
  it('moves two misplaced [auth.jwt] keys in one run, and a second run changes nothing', async () => {
    const ini = `[auth.jwt]
enabled = true
header_name = X-Pomerium-Jwt-Assertion
email_claim = email
jwk_set_url = https://grafana.example.com/.well-known/pomerium/jwks.json
auto_sign_up = true
auto_assign_org_role = Editor
auto_assign_org = true
`;
    const dir = workDir({ 'pomerium.yaml': POMERIUM, 'grafana.ini': ini });
    await run(dir, doctor, { pomerium: 'pomerium.yaml', grafana: 'grafana.ini', fix: true, format: 'json', failLevel: 'error' });
    const once = readFileSync(join(dir, 'grafana.ini'), 'utf8');
    const doc = parseIni(once, 'grafana.ini');
    // Grafana reads both only from [users] (pkg/setting readUserSettings); grafana/misplaced-key moves them there.
    const users = doc.entries.filter((e) => e.section === 'users').map((e) => `${e.key}=${e.value}`);
    expect(users).toEqual(expect.arrayContaining(['auto_assign_org_role=Editor', 'auto_assign_org=true']));
    expect(doc.entries.filter((e) => e.section === 'auth.jwt').map((e) => e.key)).not.toContain('auto_assign_org_role');
    await run(dir, doctor, { pomerium: 'pomerium.yaml', grafana: 'grafana.ini', fix: true, format: 'json', failLevel: 'error' });
    expect(readFileSync(join(dir, 'grafana.ini'), 'utf8')).toBe(once);
  });

  it('adds preserve_host_header to the Grafana route, as init --write-pomerium does', async () => {
    const ini = '[auth.jwt]\nenabled = true\nheader_name = X-Pomerium-Jwt-Assertion\nemail_claim = email\njwk_set_url = https://grafana.example.com/.well-known/pomerium/jwks.json\n';
    const viaDoctor = workDir({ 'pomerium.yaml': POMERIUM, 'grafana.ini': ini });
    await run(viaDoctor, doctor, { pomerium: 'pomerium.yaml', grafana: 'grafana.ini', fix: true, format: 'json', failLevel: 'error' });
    const viaInit = workDir({ 'pomerium.yaml': POMERIUM, 'grafana.ini': ini });
    const t = await run(viaInit, init, { pomerium: 'pomerium.yaml', writePomerium: true, format: 'ini', cacheTtl: '60m' });
    expect(t.code, t.stderr).toBe(0);
    const routeOf = (dir: string) => (parse(readFileSync(join(dir, 'pomerium.yaml'), 'utf8')) as { routes: Record<string, unknown>[] }).routes[0];
    // Upstream grafana:3000 differs from the route host: Envoy rewrites Host unless preserve_host_header (pomerium.md 1.4).
    expect(routeOf(viaDoctor)).toMatchObject({ preserve_host_header: true });
    expect(readFileSync(join(viaDoctor, 'pomerium.yaml'), 'utf8')).toBe(readFileSync(join(viaInit, 'pomerium.yaml'), 'utf8'));
  });
});

describe('init --write --format compose', () => {
  it('drops the misplaced GF_AUTH_JWT_AUTO_ASSIGN_ORG_ROLE and keeps its value as GF_USERS_AUTO_ASSIGN_ORG_ROLE', async () => {
    const compose = `services:
  grafana:
    image: grafana/grafana:12.2.0
    environment:
      - GF_AUTH_JWT_ENABLED=true
      - GF_AUTH_JWT_AUTO_ASSIGN_ORG_ROLE=Editor
`;
    const dir = workDir({ 'pomerium.yaml': POMERIUM, 'docker-compose.yml': compose });
    const t = await run(dir, init, { pomerium: 'pomerium.yaml', write: 'docker-compose.yml', format: 'compose', autoSignUp: true, cacheTtl: '60m' });
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toContain('moved [auth.jwt] auto_assign_org_role = Editor to [users]');
    const env = (parse(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')) as { services: { grafana: { environment: string[] } } }).services.grafana.environment;
    // Grafana ignores GF_AUTH_JWT_AUTO_ASSIGN_ORG_ROLE (no such [auth.jwt] key to override); [users] is read.
    expect(env).not.toContainEqual(expect.stringMatching(/^GF_AUTH_JWT_AUTO_ASSIGN_ORG_ROLE=/));
    expect(env).toContain('GF_USERS_AUTO_ASSIGN_ORG_ROLE=Editor');
  });

  it('--role wins over the misplaced value', async () => {
    const dir = workDir({ 'pomerium.yaml': POMERIUM, 'grafana.ini': '[auth.jwt]\nenabled = true\nauto_assign_org_role = Editor\n' });
    const t = await run(dir, init, { pomerium: 'pomerium.yaml', write: 'grafana.ini', format: 'ini', autoSignUp: true, role: 'Viewer', cacheTtl: '60m' });
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).not.toContain('moved');
    const doc = parseIni(readFileSync(join(dir, 'grafana.ini'), 'utf8'), 'grafana.ini');
    expect(doc.entries.filter((e) => e.key === 'auto_assign_org_role').map((e) => `${e.section} ${e.value}`)).toEqual(['users Viewer']);
  });
});

describe('init --write --format helm', () => {
  it("moves a misplaced grafana.ini: auth.jwt: auto_assign_org_role to users: (the chart renders it into [auth.jwt], which Grafana never reads for it)", async () => {
    const values = 'grafana.ini:\n  auth.jwt:\n    enabled: true\n    auto_assign_org_role: Editor\n';
    const dir = workDir({ 'pomerium.yaml': POMERIUM, 'values.yaml': values });
    const t = await run(dir, init, { pomerium: 'pomerium.yaml', write: 'values.yaml', format: 'helm', autoSignUp: true, cacheTtl: '60m' });
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toContain('moved [auth.jwt] auto_assign_org_role = Editor to [users]');
    const ini = (parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) as { 'grafana.ini': Record<string, Record<string, unknown>> })['grafana.ini'];
    expect(ini.users).toMatchObject({ auto_assign_org_role: 'Editor' });
    expect(ini['auth.jwt']).not.toHaveProperty('auto_assign_org_role');
  });
});

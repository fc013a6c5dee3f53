// `users add` / `users check` against the Grafana stand-in (test/grafana-standin/standin.ts) on
// 127.0.0.1, plain HTTP and HTTPS with a CA made at test time. The expected statuses and messages
// are Grafana's, as the stand-in's handlers cite them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAdd, runCheck } from '../../src/commands/users.js';
import { testIo, transcript } from '../helpers/run-command.js';
import { freePort } from '../helpers/https-server.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';
import { startGrafanaStandin, type Standin } from '../grafana-standin/standin.js';

const ADMIN = 'admin:admin-password';
let grafana: Standin;
let dir: string;

beforeAll(async () => {
  grafana = await startGrafanaStandin();
  dir = mkdtempSync(join(tmpdir(), 'gp-users-'));
});
afterAll(() => grafana.close());
beforeEach(() => grafana.reset());

function add(args: Record<string, unknown>, env: Record<string, string> = { GRAFANA_URL: grafana.origin, GRAFANA_AUTH: ADMIN }) {
  const io = testIo(dir, env);
  return transcript(io, () => runAdd([], args, io));
}

function check(args: Record<string, unknown>, env: Record<string, string> = { GRAFANA_URL: grafana.origin, GRAFANA_AUTH: ADMIN }) {
  const io = testIo(dir, env);
  return transcript(io, () => runCheck([], args, io));
}

const writes = () => grafana.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`);

describe('users add', () => {
  it('creates the user (POST /api/admin/users), with a password that is never printed, in org 1 as Grafana assigns', async () => {
    const t = await add({ email: 'alice@example.com', name: 'Alice' });
    expect(t.code).toBe(0);
    expect(t.stdout).toBe(
      [
        'user alice@example.com: created (id 3, login alice@example.com; a random password nobody sees: sign-in is through Pomerium)',
        "org 1 role: Viewer (as Grafana's [users] auto_assign_org_role gave it)",
        '',
      ].join('\n'),
    );
    const post = grafana.calls.find((c) => c.method === 'POST')!;
    // pkg/api/admin_users.go AdminCreateUser: an empty login becomes the email; OrgId picks the org.
    expect(post.body).toMatchObject({ email: 'alice@example.com', login: '', name: 'Alice', OrgId: 1 });
    const password = (post.body as { password: string }).password;
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(t.stdout + t.stderr).not.toContain(password);
    expect(grafana.users.find((u) => u.email === 'alice@example.com')?.orgs.get(1)).toBe('Viewer');
  });

  it('is idempotent: a second run creates nothing and says nothing changed', async () => {
    await add({ email: 'alice@example.com', role: 'Editor' });
    grafana.calls.length = 0;
    const t = await add({ email: 'alice@example.com', role: 'Editor' });
    expect(t.code).toBe(0);
    expect(t.stdout).toBe(['user alice@example.com: exists (id 3, login alice@example.com)', 'org 1 role: Editor (unchanged)', 'nothing to change', ''].join('\n'));
    expect(writes()).toEqual([]);
    expect(grafana.users.filter((u) => u.email === 'alice@example.com')).toHaveLength(1);
  });

  it('brings an existing user to the asked role (PATCH /api/orgs/1/users/:id) and says what it was', async () => {
    const t = await add({ email: 'viewer@example.com', role: 'editor' });
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('org 1 role: Editor (was Viewer)');
    expect(writes()).toEqual(['PATCH /api/orgs/1/users/2']);
    expect(grafana.users[1]!.orgs.get(1)).toBe('Editor');
  });

  it('grants server admin with --grafana-admin (PUT /api/admin/users/:id/permissions), once', async () => {
    const first = await add({ email: 'viewer@example.com', grafanaAdmin: true });
    expect(first.stdout).toContain('server admin: yes (granted)');
    expect(grafana.users[1]!.isGrafanaAdmin).toBe(true);
    const again = await add({ email: 'viewer@example.com', grafanaAdmin: true });
    expect(again.stdout).toContain('server admin: yes (unchanged)');
    expect(writes()).toEqual(['PUT /api/admin/users/2/permissions']);
  });

  it('adds a user to another org with POST /api/orgs/:orgId/users when it is not a member', async () => {
    grafana.orgs.set(2, 'Team B');
    const t = await add({ email: 'viewer@example.com', org: '2', role: 'Editor' });
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('org 2 role: Editor (added to the org)');
    expect(grafana.calls.find((c) => c.method === 'POST')?.body).toEqual({ loginOrEmail: 'viewer', role: 'Editor' });
    expect(grafana.users[1]!.orgs.get(2)).toBe('Editor');
    grafana.orgs.delete(2);
  });

  it('--dry-run reads but writes nothing, and says what it would do', async () => {
    const created = await add({ email: 'new@example.com', role: 'Admin', grafanaAdmin: true, dryRun: true });
    expect(created.code).toBe(0);
    expect(created.stdout).toBe(
      [
        'user new@example.com: would create (login new@example.com, a random password nobody sees: sign-in is through Pomerium)',
        'org 1 role: Admin (would set)',
        'server admin: yes (would grant)',
        'dry run: nothing was changed',
        '',
      ].join('\n'),
    );
    const changed = await add({ email: 'viewer@example.com', role: 'Admin', dryRun: true });
    expect(changed.stdout).toContain('org 1 role: Admin (would change from Viewer)');
    expect(writes()).toEqual([]);
    expect(grafana.users).toHaveLength(2);
  });

  it('refuses an email that another login already has, naming that login', async () => {
    const t = await add({ email: 'viewer@example.com', login: 'someone-else' });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('error: the email viewer@example.com is taken by another login: Grafana user "viewer" (id 2) has it');
    expect(writes()).toEqual([]);
  });

  it('refuses a login that another user has', async () => {
    const t = await add({ email: 'v2@example.com', login: 'viewer' });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('error: the login "viewer" is taken by another Grafana user (id 2, email viewer@example.com)');
  });

  it('401: says the credentials in GRAFANA_AUTH were refused, with Grafana\'s message, and never prints them', async () => {
    const t = await add({ email: 'a@example.com' }, { GRAFANA_URL: grafana.origin, GRAFANA_AUTH: 'admin:wrong-secret-123' });
    expect(t.code).toBe(2);
    // pkg/services/authn/clients/password.go errPasswordAuthFailed's public message.
    expect(t.stderr).toContain('error: Grafana refused the credentials in GRAFANA_AUTH (HTTP 401: Invalid username or password)');
    expect(t.stderr).not.toContain('wrong-secret-123');
    expect(t.stdout).toBe('');
  });

  it('403: a token of a service account (never a server admin) is told it needs a server admin', async () => {
    const t = await add({ email: 'a@example.com' }, { GRAFANA_URL: grafana.origin, GRAFANA_AUTH: 'glsa_standin_org_admin_token' });
    expect(t.code).toBe(2);
    // pkg/services/accesscontrol/middleware.go deny; users:read guards /api/users/lookup (pkg/api/api.go).
    expect(t.stderr).toMatch(/error: the account in GRAFANA_AUTH may not do this: GET \/api\/users\/lookup answered HTTP 403 \(You'll need additional permissions to perform this action\. Permissions needed: users:read\)/);
    expect(t.stderr).toContain('hint: managing users needs a Grafana server admin');
    expect(t.stderr).not.toContain('glsa_standin_org_admin_token');
  });

  it('a non-admin user is refused with 403 too', async () => {
    const t = await add({ email: 'a@example.com' }, { GRAFANA_URL: grafana.origin, GRAFANA_AUTH: 'viewer:viewer-password' });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('answered HTTP 403');
  });

  it('unreachable Grafana: names the URL and the way out', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const t = await add({ email: 'a@example.com' }, { GRAFANA_URL: url, GRAFANA_AUTH: ADMIN });
    expect(t.code).toBe(2);
    expect(t.stderr).toBe(`error: could not reach Grafana at ${url}/\n  reason: connection refused by ${url.slice(7)}\n  hint: check GRAFANA_URL (host and port) and that Grafana is running there\n`);
  });

  it('asks for GRAFANA_URL and GRAFANA_AUTH before any request, and takes no credentials in the URL', async () => {
    expect((await add({ email: 'a@example.com' }, { GRAFANA_AUTH: ADMIN })).stderr).toContain('error: where is Grafana? set GRAFANA_URL or pass --grafana-url');
    expect((await add({ email: 'a@example.com' }, { GRAFANA_URL: grafana.origin })).stderr).toContain('error: set GRAFANA_AUTH to the credentials of a Grafana server admin');
    const inUrl = await add({ email: 'a@example.com', grafanaUrl: grafana.origin.replace('//', '//admin:admin-password@') }, { GRAFANA_AUTH: ADMIN });
    expect(inUrl.code).toBe(2);
    expect(inUrl.stderr).toContain('error: GRAFANA_URL must not carry credentials');
    expect(inUrl.stderr).not.toContain('admin-password');
    expect(grafana.calls).toEqual([]);
  });

  it('refuses a bad --role and --email before any request', async () => {
    expect((await add({ email: 'a@example.com', role: 'Owner' })).stderr).toContain('error: --role "Owner" is not an org role');
    expect((await add({ email: 'not-an-email' })).stderr).toContain('is not an email address');
    expect(grafana.calls).toEqual([]);
  });
});

describe('users add over HTTPS', () => {
  let pki: TestPki;
  let tlsGrafana: Standin;
  beforeAll(async () => {
    pki = makeTestPki();
    tlsGrafana = await startGrafanaStandin({ tls: pki.server });
  });
  afterAll(() => tlsGrafana.close());

  it('an unknown CA is worded as fetch-jwks words it, with --ca-file as the way out', async () => {
    const t = await add({ email: 'a@example.com' }, { GRAFANA_URL: tlsGrafana.origin, GRAFANA_AUTH: ADMIN });
    expect(t.code).toBe(2);
    expect(t.stderr).toBe(`error: could not reach Grafana at ${tlsGrafana.origin}/\n  reason: the certificate is signed by an unknown authority (UNABLE_TO_VERIFY_LEAF_SIGNATURE)\n  hint: pass --ca-file with your CA\n`);
  });

  it('works with --ca-file', async () => {
    const t = await add({ email: 'a@example.com', caFile: pki.caFile }, { GRAFANA_URL: tlsGrafana.origin, GRAFANA_AUTH: ADMIN });
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('user a@example.com: created');
  });
});

describe('users check', () => {
  const pomerium = (policy: string) => {
    const file = join(dir, `pomerium-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, `routes:\n  - from: https://grafana.example.com\n    to: http://grafana:3000\n    pass_identity_headers: true\n${policy}`);
    return file;
  };
  const ini = (text: string) => {
    const file = join(dir, `grafana-${Math.random().toString(36).slice(2)}.ini`);
    writeFileSync(file, text);
    return file;
  };

  it('lists the policy\'s emails that have no Grafana user; exit 1', async () => {
    const file = pomerium('    policy:\n      - allow:\n          or:\n            - email:\n                is: viewer@example.com\n            - email:\n                in: [bob@example.com]\n');
    const grafanaIni = ini('[auth.jwt]\nenabled = true\n');
    const t = await check({ pomerium: file, grafana: grafanaIni });
    expect(t.code).toBe(1);
    const lines = t.stdout.split('\n');
    // Grafana 10.1+ (authn user sync) refuses an unknown user with "Sign up is disabled".
    expect(lines[1]).toBe(`auto_sign_up is off (${grafanaIni}): everyone the route lets in needs a Grafana user first, else Grafana answers 401 "Sign up is disabled"`);
    expect(lines[2]).toBe('  ok        viewer@example.com (user 2, login viewer)');
    expect(lines[3]).toMatch(/^ {2}missing {3}bob@example\.com \(.*pomerium-.*\.yaml:6:7, policy\): add with grafana-pomerium users add --email bob@example\.com$/);
    expect(lines[4]).toBe('1 of 2 named users cannot sign in yet');
  });

  it('exit 0 when all allowed_users are present; user ids and domains are notes', async () => {
    const file = pomerium('    allowed_users: [viewer@example.com, 00u1abcd]\n    allowed_domains: [example.com]\n');
    const t = await check({ pomerium: file, grafanaVersion: '10.0.0' });
    expect(t.code).toBe(0);
    // Before 10.1 the JWT path answered {"message":"User not found"} (explain's sign-up step says the same).
    expect(t.stdout).toContain('auto_sign_up is off (no --grafana given: Grafana\'s default): everyone the route lets in needs a Grafana user first, else Grafana answers 401 {"message":"User not found"}');
    expect(t.stdout).toContain('note: allowed_domains example.com');
    expect(t.stdout).toContain('note: 00u1abcd: user ids');
    expect(t.stdout).toContain('all 1 named users are in Grafana');
  });

  it('with auto_sign_up on, says so and asks Grafana nothing', async () => {
    const file = pomerium('    allowed_users: [nobody@example.com]\n');
    const t = await check({ pomerium: file, grafana: ini('[auth.jwt]\nenabled = true\nauto_sign_up = true\n') }, {});
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('auto_sign_up is on');
    expect(grafana.calls).toEqual([]);
  });

  it('auto_sign_up on a Grafana before 8.4 does not count', async () => {
    const file = pomerium('    allowed_users: [nobody@example.com]\n');
    const t = await check({ pomerium: file, grafana: ini('[auth.jwt]\nenabled = true\nauto_sign_up = true\n'), grafanaVersion: '8.3.0' });
    expect(t.code).toBe(1);
    expect(t.stdout).toContain('Grafana 8.3.0 has no JWT auto_sign_up (it came in 8.4.0)');
  });

  it('a policy by group or domain only: nothing to look up, says what it needs', async () => {
    const file = pomerium('    policy:\n      - allow:\n          and:\n            - groups:\n                has: admins\n');
    const t = await check({ pomerium: file }, {});
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('note: groups has admins');
    expect(t.stdout).toContain('turn on [auth.jwt] auto_sign_up, or add each person with users add');
  });

  it('a disabled user counts as one who cannot sign in', async () => {
    grafana.users[1]!.isDisabled = true;
    const file = pomerium('    allowed_users: [viewer@example.com]\n');
    const t = await check({ pomerium: file });
    expect(t.code).toBe(1);
    expect(t.stdout).toContain('  disabled  viewer@example.com (user 2, login viewer)');
  });
});

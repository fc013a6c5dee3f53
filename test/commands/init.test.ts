import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseIni } from '../../src/grafana/ini-parse.js';
import { readPomeriumConfig } from '../../src/pomerium/read.js';
import { EXPECTED, FIXTURES, runInit } from '../init/cases.js';

const COMMENTED_INI = new URL('../fixtures/grafana/commented-200.ini', import.meta.url).pathname;

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gp-init-cmd-'));
  cpSync(FIXTURES, dir, { recursive: true });
  cpSync(COMMENTED_INI, join(dir, 'grafana.ini'));
});
const read = (name: string) => readFileSync(join(dir, name), 'utf8');

/** The keys init owns in grafana.ini. */
const OWNED = /^(signout_redirect_url|enabled|header_name|email_claim|username_claim|jwk_set_url|jwk_set_file|key_file|cache_ttl|expect_claims|auto_sign_up|auto_assign_org|auto_assign_org_role) = /;

describe('init --write', () => {
  it('edits only the lines it owns in a commented grafana.ini, prints the diff, and changes nothing the second time', async () => {
    chmodSync(join(dir, 'grafana.ini'), 0o640);
    const before = read('grafana.ini');
    const flags = { pomerium: 'claims-headers.yaml', autoSignUp: true, write: 'grafana.ini' };
    const first = await runInit(flags, dir);
    expect(first.code, first.stderr).toBe(0);
    const after = read('grafana.ini');
    expect(first.stdout).toBe(
      [
        '--- grafana.ini',
        '+++ grafana.ini',
        '@@ -183,7 +183,7 @@',
        ' username_claim = email',
        ' ',
        " # Pomerium's JWKS, fetched over https",
        '-jwk_set_url = https://authenticate.example.com/.well-known/pomerium/jwks.json',
        '+jwk_set_url = https://grafana.example.com/.well-known/pomerium/jwks.json',
        ' ',
        ' # how long the key set is cached',
        ' cache_ttl = 60m',
        '@@ -193,6 +193,7 @@',
        ' ',
        ' # create users on their first visit',
        ' auto_sign_up = true',
        '+expect_claims = {"aud": "grafana.example.com"}',
        ' ',
        ' #################################### SMTP / Emailing #####################',
        ' [smtp]',
        '',
      ].join('\n'),
    );
    // Every changed line is a key init owns; everything else is byte for byte the same.
    const changed = first.stdout.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l));
    expect(changed.every((l) => OWNED.test(l.slice(1)))).toBe(true);
    expect(after.split('\n').length).toBe(before.split('\n').length + 1);
    expect(statSync(join(dir, 'grafana.ini')).mode & 0o777).toBe(0o640);

    const mtime = statSync(join(dir, 'grafana.ini')).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    const second = await runInit(flags, dir);
    expect(second).toMatchObject({ code: 0, stdout: '' });
    expect(second.stderr).toContain('grafana.ini: already up to date');
    expect(read('grafana.ini')).toBe(after);
    expect(statSync(join(dir, 'grafana.ini')).mtimeMs).toBe(mtime);
  });

  it('removes the other key source when --jwks-file replaces jwk_set_url (two sources stop JWT sign-in)', async () => {
    const result = await runInit({ pomerium: 'claims-headers.yaml', jwksFile: '/etc/grafana/jwks.json', write: 'grafana.ini' }, dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('-jwk_set_url = https://authenticate.example.com/.well-known/pomerium/jwks.json\n');
    expect(result.stdout).toContain('+jwk_set_file = /etc/grafana/jwks.json\n');
    expect(read('grafana.ini')).not.toMatch(/^jwk_set_url/m);
  });

  it('removes [auth.jwt] copies of the [users] and [auth] keys it writes (ignored, or overriding [auth] by parent lookup)', async () => {
    writeFileSync(join(dir, 'strays.ini'), '[auth.jwt]\nenabled = true\nauto_assign_org_role = Admin\nsignout_redirect_url = https://old.example.com/\n');
    const result = await runInit({ pomerium: 'hosted-v5.yaml', autoSignUp: true, write: 'strays.ini' }, dir);
    expect(result.code, result.stderr).toBe(0);
    const doc = parseIni(read('strays.ini'), 'strays.ini');
    const keysOf = (section: string) => doc.entries.filter((e) => e.section === section).map((e) => `${e.key}=${e.value}`);
    expect(keysOf('auth.jwt')).not.toContainEqual(expect.stringMatching(/^(auto_assign_org_role|signout_redirect_url)=/));
    // The misplaced role is what the file meant: moved to [users], the only section Grafana reads it from, and said.
    expect(keysOf('users')).toContain('auto_assign_org_role=Admin');
    expect(result.stderr).toContain('moved [auth.jwt] auto_assign_org_role = Admin to [users]');
    expect(keysOf('auth')).toContainEqual(expect.stringMatching(/^signout_redirect_url=https:\/\/.*\/\.pomerium\/sign_out$/));
  });

  it('keeps the role and login claim the file chose unless --role / --username-claim say otherwise', async () => {
    writeFileSync(join(dir, 'chosen.ini'), '[auth.jwt]\nenabled = true\nusername_claim = preferred_username\n\n[users]\nauto_assign_org_role = Editor\n');
    const kept = await runInit({ pomerium: 'hosted-v5.yaml', autoSignUp: true, write: 'chosen.ini' }, dir);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stderr).toContain('chosen.ini: kept [users] auto_assign_org_role = Editor (pass --role to change it)\n');
    expect(kept.stderr).toContain('chosen.ini: kept [auth.jwt] username_claim = preferred_username (pass --username-claim to change it)\n');
    expect(read('chosen.ini')).toMatch(/^auto_assign_org_role = Editor$/m);
    expect(read('chosen.ini')).toMatch(/^username_claim = preferred_username$/m);
    const changed = await runInit({ pomerium: 'hosted-v5.yaml', autoSignUp: true, role: 'Viewer', write: 'chosen.ini' }, dir);
    expect(changed.stdout).toContain('-auto_assign_org_role = Editor\n+auto_assign_org_role = Viewer\n');
  });

  it('refuses a grafana.ini that go-ini cannot read: exit 2, file:line:col, file untouched', async () => {
    const before = read('broken.ini');
    const result = await runInit({ pomerium: 'hosted-v5.yaml', write: 'broken.ini' }, dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^broken\.ini:3:1: error: will not edit a file go-ini cannot read/);
    expect(read('broken.ini')).toBe(before);
  });
});

describe('init, the Pomerium side', () => {
  it('prints the pass_identity_headers fix, and applies it with --write-pomerium keeping comments', async () => {
    const before = read('claims-headers.yaml');
    const printed = await runInit({ pomerium: 'claims-headers.yaml' }, dir);
    expect(printed.code).toBe(0);
    expect(printed.stderr).toContain('the Grafana route needs this change (apply it with --write-pomerium)');
    expect(printed.stderr).toContain('+    pass_identity_headers: true\n');
    expect(read('claims-headers.yaml')).toBe(before);

    const written = await runInit({ pomerium: 'claims-headers.yaml', writePomerium: true }, dir);
    expect(written.code).toBe(0);
    expect(written.stdout).toBe(printed.stdout);
    const after = read('claims-headers.yaml');
    expect(after).toBe(before.replace('                is: example.com\n', '                is: example.com\n    pass_identity_headers: true\n'));
    expect(after).toContain('# monitoring');
    expect(after).toContain("# keep Grafana's origin check happy");

    const again = await runInit({ pomerium: 'claims-headers.yaml', writePomerium: true }, dir);
    expect(again.stderr).toBe('');
    expect(read('claims-headers.yaml')).toBe(after);
  });

  it('--add-route adds a Grafana route with identity headers, the original Host and a policy, and writes Grafana settings for it', async () => {
    const flags = { pomerium: 'routes-global-headers.yaml', addRoute: true, from: 'https://metrics.corp.example.com', to: 'http://grafana-metrics:3000', allowEmail: 'sre@corp.example.com' };
    const printed = await runInit(flags, dir);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('jwk_set_url = https://metrics.corp.example.com/.well-known/pomerium/jwks.json\n');
    expect(printed.stderr).toContain('+  - from: https://metrics.corp.example.com\n');

    const written = await runInit({ ...flags, writePomerium: true }, dir);
    expect(written.code).toBe(0);
    const route = readPomeriumConfig(read('routes-global-headers.yaml'), 'p.yaml').routes.at(-1)!;
    expect(route.from?.value).toBe('https://metrics.corp.example.com');
    expect(route.passIdentityHeaders?.value).toBe(true);
    expect(route.preserveHostHeader?.value).toBe(true);
    expect(route.policy?.value).toEqual([{ allow: { or: [{ email: { is: 'sre@corp.example.com' } }] } }]);
    expect(read('routes-global-headers.yaml')).toContain('# Identity headers on for every route');

    const again = await runInit({ ...flags, writePomerium: true }, dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has a route from https:\/\/metrics\.corp\.example\.com/);
  });
});

describe('init refusals: exit 2, one message with file:line:col where there is one, nothing written', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a missing file', { pomerium: 'nope.yaml' }, /^error: cannot read Pomerium config nope\.yaml: no such file$/m],
    ['a YAML syntax error', { pomerium: 'syntax-error.yaml', write: 'grafana.ini', writePomerium: true }, /^syntax-error\.yaml:4:1: error: /],
    ['no routes', { pomerium: 'no-routes.yaml' }, /^no-routes\.yaml: error: the Pomerium config has no routes/],
    ['an ambiguous route', { pomerium: 'ambiguous.yaml' }, /^ambiguous\.yaml: error: several routes look like Grafana:\n {2}https:\/\/grafana\.example\.com {2}\(ambiguous\.yaml:2:5\)\n {2}https:\/\/grafana-staging\.example\.com {2}\(ambiguous\.yaml:5:5\)/],
    ['a from that is not https', { pomerium: 'http-from.yaml', write: 'grafana.ini' }, /^http-from\.yaml:2:11: error: the route's from http:\/\/grafana\.example\.com is not https/],
    ['a wildcard from without --host', { pomerium: 'wildcard-port.yaml' }, /^wildcard-port\.yaml:5:11: error: .* is a wildcard.*\n {2}hint: name it with --host/],
    ['a --host the route does not serve', { pomerium: 'wildcard-port.yaml', host: 'grafana.example.org' }, /^wildcard-port\.yaml:5:11: error: --host grafana\.example\.org is not a host the route/],
    ['a lowercase role', { pomerium: 'hosted-v5.yaml', autoSignUp: true, role: 'admin' }, /^error: --role admin is not one of Viewer, Editor, Admin, None.*\n {2}hint: write --role Admin\n$/],
    ['an unknown role', { pomerium: 'hosted-v5.yaml', autoSignUp: true, role: 'Owner' }, /^error: --role Owner is not one of/],
    ['--role without --auto-sign-up', { pomerium: 'hosted-v5.yaml', role: 'Editor' }, /^error: --role sets the role of users that --auto-sign-up creates/],
    ['an invalid duration', { pomerium: 'hosted-v5.yaml', cacheTtl: '1d', write: 'grafana.ini' }, /^error: --cache-ttl "1d" is not a duration/],
    ['a duration without unit', { pomerium: 'hosted-v5.yaml', cacheTtl: '60' }, /^error: --cache-ttl "60" is not a duration/],
    ['auto sign-up before Grafana 8.4.0', { pomerium: 'hosted-v5.yaml', autoSignUp: true, grafanaVersion: '8.3.6' }, /^error: --auto-sign-up needs Grafana 8\.4\.0 or newer/],
    ['a username claim Pomerium does not send', { pomerium: 'hosted-v5.yaml', autoSignUp: true, usernameClaim: 'preferred_username' }, /^hosted-v5\.yaml: error: --username-claim preferred_username: Pomerium 0\.33\.1 does not send that claim.*\n {2}hint: add preferred_username to jwt_claims_headers/],
    ['a claim only jwt_claims_headers would add, at its position', { pomerium: 'claims-headers.yaml', autoSignUp: true, usernameClaim: 'nickname' }, /^claims-headers\.yaml:3:21: error: --username-claim nickname/],
    ['Admin for any signed-in user without consent', { pomerium: 'open-route.yaml', autoSignUp: true, role: 'Admin', write: 'grafana.ini' }, /^open-route\.yaml:2:11: error: --role Admin on a route that lets in any signed-in user.*\n {2}hint: .*--yes-i-mean-admin\n$/],
    ['--add-route without a policy', { pomerium: 'hosted-v5.yaml', addRoute: true, from: 'https://g.example.com', to: 'http://g:3000', writePomerium: true }, /^error: --add-route needs one of --allow-domain or --allow-email/],
    ['--write with --format env', { pomerium: 'hosted-v5.yaml', format: 'env', write: 'grafana.ini' }, /^error: --write edits a grafana\.ini/],
  ];
  for (const [what, flags, message] of cases) {
    it(`refuses ${what}`, async () => {
      const files = ['grafana.ini', 'hosted-v5.yaml', 'syntax-error.yaml', 'http-from.yaml', 'open-route.yaml'].map(read);
      const result = await runInit(flags, dir);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain('hunter2');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(['grafana.ini', 'hosted-v5.yaml', 'syntax-error.yaml', 'http-from.yaml', 'open-route.yaml'].map(read)).toEqual(files);
    });
  }

  it('accepts Admin on an open route with --yes-i-mean-admin', async () => {
    const result = await runInit({ pomerium: 'open-route.yaml', autoSignUp: true, role: 'Admin', yesIMeanAdmin: true }, dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('auto_assign_org_role = Admin\n');
  });

  it('never prints a signing key or shared secret', async () => {
    const result = await runInit({ pomerium: 'hosted-v5.yaml', format: 'helm' }, dir);
    expect(result.stdout + result.stderr).not.toMatch(/LS0tLS1CRUdJTi|signing_key:|shared_secret/);
  });
});

describe('init through the built CLI', () => {
  it('prints the same grafana.ini as in-process, and exits 2 with one line on a refusal', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const bin = join(root, 'bin/grafana-pomerium.js');
    const ok = spawnSync('node', [bin, 'init', '--pomerium', 'hosted-v5.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(readFileSync(`${EXPECTED}hosted-v5.ini`, 'utf8'));
    const refused = spawnSync('node', [bin, 'init', '--pomerium', 'http-from.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^http-from\.yaml:2:11: error: the route's from http:\/\/grafana\.example\.com is not https[^\n]*\n$/);
  });
});

describe('init --format helm --write values.yaml', () => {
  // src/kubernetes/deployed-versions.ts reads Grafana's chart values image.tag for doctor; init takes the
  // Grafana release from the values it edits the same way (the flag still wins).
  it('models the Grafana release the values deploy (image.tag)', async () => {
    writeFileSync(join(dir, 'values.yaml'), 'image:\n  tag: 10.4.2\ngrafana.ini: {}\n');
    const result = await runInit({ pomerium: 'hosted-v5.yaml', format: 'helm', write: 'values.yaml' }, dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('init: Grafana 10.4.2, from values.yaml:2');
    const pinned = await runInit({ pomerium: 'hosted-v5.yaml', format: 'helm', write: 'values.yaml', grafanaVersion: '11.0.0' }, dir);
    expect(pinned.stderr).not.toContain('Grafana 10.4.2');
  });
});

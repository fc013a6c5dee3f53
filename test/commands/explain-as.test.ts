// `explain --as`: the sign-in of a user, simulated from the two configs, printed as explain prints a real token.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run as explain } from '../../src/commands/explain.js';
import { run as mint } from '../../src/commands/mint.js';
import { testIo, transcript } from '../helpers/run-command.js';
import { grafanaRouteConfig } from '../helpers/pomerium-config.js';

const NOW = new Date('2026-11-30T12:00:00Z');

const POMERIUM_YAML = grafanaRouteConfig('jwt_claims_headers: [email, groups, given_name]\n');
const GRAFANA_INI = `[auth.jwt]
enabled = true
header_name = X-Pomerium-Jwt-Assertion
email_claim = email
jwk_set_url = https://grafana.example.com/.well-known/pomerium/jwks.json
role_attribute_path = contains(groups[*], 'admins') && 'Editor' || 'Viewer'
auto_sign_up = true
`;

let dir: string;
const io = () => testIo(dir, {}, () => NOW);
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gp-explain-as-'));
  write('pomerium.yaml', POMERIUM_YAML);
  write('grafana.ini', GRAFANA_INI);
});

async function explainAs(options: Record<string, unknown>) {
  const t = io();
  return transcript(t, () => explain([], { pomerium: 'pomerium.yaml', grafana: 'grafana.ini', ...options }, t));
}

describe('explain --as', () => {
  it("gives the same steps and JSON as explain on the token mint makes for that user, after Pomerium's policy step", async () => {
    const m = io();
    const minted = await transcript(m, () => mint([], { pomerium: 'pomerium.yaml', email: 'alice@example.com', groups: 'admins', claim: ['given_name=Alice'] }, m));
    const t = io();
    const real = await transcript(t, () => explain([minted.stdout.trim()], { pomerium: 'pomerium.yaml', grafana: 'grafana.ini', json: true }, t));
    const simulated = await explainAs({ as: 'alice@example.com', groups: 'admins', claim: ['given_name=Alice'], json: true });
    expect(simulated.code).toBe(0);
    expect(real.code).toBe(0);
    const s = JSON.parse(simulated.stdout);
    expect(s.steps[0]).toEqual({ step: 'policy', ok: true, detail: "the route's policy admits alice@example.com" });
    expect({ ...s, steps: s.steps.slice(1) }).toEqual(JSON.parse(real.stdout));
    // role_attribute_path on groups ["admins"] (explain/role.ts): Editor in the default org 1.
    expect(s).toMatchObject({ verdict: 'accepted', email: 'alice@example.com', role: 'Editor', orgId: 1 });
  });

  it("says Pomerium's policy does not admit a user outside the route's domain, and exits 1", async () => {
    const r = await explainAs({ as: 'eve@evil.example' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("FAIL  policy");
    expect(r.stdout.trim().split('\n').at(-1)).toBe("Pomerium's policy does not admit eve@evil.example on this route: no allow rule of the route's policy matches eve@evil.example");
  });

  it('shows the failing Grafana step for a config that signs nobody in (username_claim Pomerium never sends)', async () => {
    write('bad.ini', GRAFANA_INI.replace('email_claim = email', 'username_claim = preferred_username'));
    const r = await explainAs({ as: 'alice@example.com', grafana: 'bad.ini' });
    expect(r.code).toBe(1);
    // explain/steps.ts words Grafana's "missing login and email claim in JWT" (pkg/services/authn/clients/jwt.go).
    expect(r.stdout).toMatch(/FAIL {2}login\/email {4}missing login and email claim in JWT/);
  });

  it('simulates the auth proxy path when [auth.jwt] is off and [auth.proxy] is on', async () => {
    write('proxy.ini', '[auth.proxy]\nenabled = true\nheader_name = X-Pomerium-Claim-Email\nheader_property = email\nwhitelist = 10.0.0.5\n');
    const ok = await explainAs({ as: 'alice@example.com', grafana: 'proxy.ini' });
    expect(ok.code).toBe(0);
    // grafana.go AuthenticateProxy, header_property = email: login and email are the header's value.
    expect(ok.stdout.trim().split('\n').at(-1)).toBe('Grafana signs in alice@example.com (login alice@example.com) as Viewer in org 1 (auto_assign_org_role, for a new user) through its auth proxy');
    write('proxy-user.ini', '[auth.proxy]\nenabled = true\nheader_name = X-Pomerium-User\nwhitelist = 10.0.0.5\n');
    const bad = await explainAs({ as: 'alice@example.com', grafana: 'proxy-user.ini', json: true });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).steps.find((s: { step: string }) => s.step === 'header')).toMatchObject({ ok: false, detail: expect.stringContaining('a header Pomerium never sends on this route') });
  });

  it('could not run (exit 2) without the Pomerium config, with a token as well, or with no email', async () => {
    const t = io();
    expect((await transcript(t, () => explain([], { grafana: 'grafana.ini', as: 'alice@example.com' }, t))).code).toBe(2);
    const u = io();
    expect((await transcript(u, () => explain(['a.b.c'], { grafana: 'grafana.ini', pomerium: 'pomerium.yaml', as: 'alice@example.com' }, u))).code).toBe(2);
    expect((await explainAs({ as: 'alice' })).code).toBe(2);
  });
});

describe('explain --as on every example of the repository', () => {
  const REPO = new URL('../../', import.meta.url).pathname;
  // [directory, flags]: each example pair as its README/docs use it; routes without a Grafana route are named.
  const EXAMPLES: [string, Record<string, unknown>, number][] = [
    // The compose example is init's own output: signed in (exit 0).
    ['examples/compose', { pomerium: 'pomerium.yaml', grafana: 'grafana.ini' }, 0],
    ['examples/compose', { compose: 'docker-compose.yml' }, 0],
    ['examples/kubernetes', { pomerium: '.', grafanaValues: 'values.yaml' }, 0],
    // The 2023 guide's header_name has underscores (grafana/jwt-header-name): nobody is signed in (exit 1).
    ['docs/examples/2023-guide', { pomerium: 'pomerium.yaml', grafana: 'grafana.ini' }, 1],
    ['docs/examples/compose', { compose: 'docker-compose.yml' }, 1],
    // The chart values leave [auth.jwt] enabled unset.
    ['docs/examples/k8s', { pomerium: 'ingress.yaml', grafanaValues: 'values.yaml' }, 1],
    ['docs/examples/sign-in', { pomerium: 'pomerium.yaml', grafana: 'grafana.ini' }, 1],
    ['docs/examples/add-route', { pomerium: 'pomerium.yaml', grafana: '../2023-guide/grafana.ini', route: 'https://wiki.example.com' }, 1],
    ['docs/examples/disable', { pomerium: '../2023-guide/pomerium.yaml', grafana: 'grafana.ini' }, 1],
    ['docs/examples/jwks-file', { pomerium: '../2023-guide/pomerium.yaml', grafana: 'grafana.ini' }, 1],
  ];
  for (const [dir, flags, code] of EXAMPLES) {
    it(`${dir} ${Object.values(flags).join(' ')}: exit ${code}, explain's JSON shape`, async () => {
      const t = testIo(join(REPO, dir), {}, () => NOW);
      const r = await transcript(t, () => explain([], { as: 'you@example.com', json: true, ...flags }, t));
      expect(r.code, r.stderr).toBe(code);
      const json = JSON.parse(r.stdout);
      // The same keys as explain with a token (test/commands/explain-mint.test.ts: explain --json's shape).
      expect(Object.keys(json)).toEqual(['verdict', 'outcome', 'login', 'email', 'name', 'role', 'orgId', 'orgRoles', 'grafanaAdmin', 'groups', 'steps', 'advice']);
      expect(json.verdict).toBe(code === 0 ? 'accepted' : 'rejected');
    });
  }
});

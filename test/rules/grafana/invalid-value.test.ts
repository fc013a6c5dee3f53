import { describe, expect, it } from 'vitest';
import { edit, findings, run } from './helpers.js';

const ID = 'grafana/invalid-value';
const ttl = (value: string) => edit(['cache_ttl = 60m', `cache_ttl = ${value}`]);
const role = (value: string) => edit(['auto_assign_org_role = Viewer', `auto_assign_org_role = ${value}`]);

describe(ID, () => {
  it('reads cache_ttl with Go time.ParseDuration', () => {
    for (const ok of ['1h', '90s', '1h30m', '500ms', '2.5m']) expect(findings(ID, { grafana: ttl(ok) })).toEqual([]);
    for (const bad of ['1d', '60', '1 h', '1H', '60min']) expect(findings(ID, { grafana: ttl(bad) })).toEqual(['invalidDuration @ini:16:13']);
  });

  it('suggests hours for days', () => {
    expect(run({ grafana: ttl('2d') }).find((f) => f.ruleId === ID)!.hint).toBe('write 48h');
  });

  it('warns that 0 turns the cache off, only when the JWKS comes from a URL', () => {
    expect(findings(ID, { grafana: ttl('0s') })).toEqual(['noCache @ini:16:13']);
    const fileSource = edit(['cache_ttl = 60m', 'cache_ttl = 0'], ['jwk_set_url = https://grafana.example.com/.well-known/pomerium/jwks.json', 'jwk_set_file = /etc/grafana/jwks.json']);
    expect(findings(ID, { grafana: fileSource })).toEqual([]);
  });

  it('matches auto_assign_org_role exactly and names the fallback of the version', () => {
    expect(findings(ID, { grafana: role('Admin') })).toEqual([]);
    const newer = run({ grafana: role('admin') }).find((f) => f.ruleId === ID)!;
    expect(newer).toMatchObject({ messageId: 'invalidEnum', line: 22, column: 24, hint: 'write Admin' });
    expect(newer.message).toContain('silently uses Viewer');
    // 8.x/9.x pkg/setting/setting.go readUserSettings: In("Editor", []string{"Editor", "Admin", "Viewer"}).
    const older = run({ grafana: role('None'), grafanaVersion: '9.5.0' }).find((f) => f.ruleId === ID)!;
    expect(older).toMatchObject({ messageId: 'invalidEnum', severity: 'error' });
    expect(older.message).toContain('silently uses Editor');
  });

  it('calls None in 10.x "in doubt" (warning), as the None role exists from 10.0 but the In() that accepts it is unconfirmed', () => {
    // The tool's role model (src/explain/role.ts NONE_ROLE = 10.0.0, UNCONFIRMED) and readUserSettings' In() must not
    // disagree into an error: a warning until the release is confirmed.
    const inDoubt = run({ grafana: role('None'), grafanaVersion: '10.1.0' }).find((f) => f.ruleId === ID)!;
    expect(inDoubt).toMatchObject({ messageId: 'noneInDoubt', severity: 'warning' });
    // Newest readUserSettings: In(RoleViewer, [None Viewer Editor Admin]) accepts None.
    expect(findings(ID, { grafana: role('None') })).toEqual([]);
    // An invalid role is silently replaced by a default: an error whatever the release (issue 10, item 4).
    const administrator = run({ grafana: role('Administrator'), grafanaVersion: '10.1.0' }).find((f) => f.ruleId === ID)!;
    expect(administrator).toMatchObject({ messageId: 'invalidEnum', severity: 'error' });
    expect(administrator.message).toContain('Editor (or Viewer');
  });

  it('covers typed keys of every modelled section, from the file and from GF_ variables', () => {
    const grafana = edit(['http_port = 3000', 'http_port = 3000\nprotocol = HTTPS'], ['[users]', '[users]\nauto_assign_org_id = first']);
    expect(findings(ID, { grafana })).toEqual(['invalidEnum @ini:4:12', 'invalidInt @ini:22:22']);
    const [fromEnv] = run({ grafana: edit(), env: { GF_AUTH_JWT_AUTO_SIGN_UP: 'enable' } }).filter((f) => f.ruleId === ID);
    expect(fromEnv).toMatchObject({ messageId: 'invalidBool', line: null });
    expect(fromEnv!.message).toContain('GF_AUTH_JWT_AUTO_SIGN_UP = enable');
  });

  it('leaves [auth.jwt] enabled to grafana/jwt-not-enabled', () => {
    expect(findings(ID, { grafana: edit(['enabled = true', 'enabled = enable']) })).toEqual([]);
  });
});

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
    const older = run({ grafana: role('None'), grafanaVersion: '10.4.0' }).find((f) => f.ruleId === ID)!;
    expect(older.message).toContain('silently uses Editor');
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

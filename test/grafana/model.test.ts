import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../src/core/env-file.js';
import { defaultsIniOf, grafanaKey, isReadIn, keysReadIn } from '../../src/grafana/defaults.js';
import { parseIni } from '../../src/grafana/ini-parse.js';
import { buildGrafanaModel, type GrafanaModelInput } from '../../src/grafana/model.js';

const nothingVisible = () => undefined;

function model(ini: string | null, env: Record<string, string> = {}, extra: Partial<GrafanaModelInput> = {}) {
  return buildGrafanaModel({ doc: ini === null ? null : parseIni(ini, 'grafana.ini'), env, readFile: nothingVisible, version: '12.2.0', ...extra });
}

describe('buildGrafanaModel: layers', () => {
  it('starts from the defaults of that version', () => {
    const m = model(null);
    expect(m.get('auth.jwt', 'cache_ttl')).toMatchObject({ value: '60m', source: 'default', span: null });
    expect(m.str('DEFAULT', 'app_mode')).toBe('production');
    // Not in defaults.ini: absent; `effective` gives the code default, as MustString does.
    expect(m.get('auth.jwt', 'tls_client_ca')).toBeUndefined();
    expect(m.effective('auth.proxy', 'sync_ttl')).toBe('60');
    expect(m.effective('auth.jwt', 'key_id')).toBe('');
  });

  it('lets the file override defaults with positions, skips empty values, adds new keys', () => {
    const m = model('[auth.jwt]\nenabled = true\ncache_ttl =\ntls_client_ca = /etc/ca.pem\n');
    expect(m.get('auth.jwt', 'enabled')).toMatchObject({ value: 'true', source: 'file', span: { line: 2, column: 11, endColumn: 15 }, keySpan: { line: 2, column: 1 } });
    expect(m.get('auth.jwt', 'cache_ttl')).toMatchObject({ value: '60m', source: 'default' });
    expect(m.get('auth.jwt', 'tls_client_ca')).toMatchObject({ value: '/etc/ca.pem', source: 'file' });
  });

  it('merges a key missing in [auth.jwt] into [auth] when [auth] has it (go-ini GetKey walks parents)', () => {
    const m = model('[auth.jwt]\nsignout_redirect_url = https://g.example.com/.pomerium/sign_out\n');
    expect(m.get('auth', 'signout_redirect_url')).toMatchObject({ section: 'auth', source: 'file', value: 'https://g.example.com/.pomerium/sign_out' });
    // and a read of [auth.jwt] finds it in the parent
    expect(m.get('auth.jwt', 'disable_login_form')).toMatchObject({ section: 'auth', value: 'false' });
  });

  it('applies GF_* only to present keys, with the env file position', () => {
    const envText = 'GF_AUTH_JWT_HEADER_NAME=X-Pomerium-Jwt-Assertion\nGF_AUTH_JWT_TLS_CLIENT_CA=/ca.pem\nGF_AUTH_JWT_ENABLED=\n';
    const { entries } = parseEnvFile(envText, '.env');
    const env = Object.fromEntries(entries.map((e) => [e.name, e.value]));
    const envSpans = new Map(entries.map((e) => [e.name, { nameSpan: e.nameSpan, valueSpan: e.valueSpan }]));
    const m = model('[auth.jwt]\nenabled = true\n', env, { envSpans });
    expect(m.get('auth.jwt', 'header_name')).toMatchObject({ value: 'X-Pomerium-Jwt-Assertion', source: 'env', envName: 'GF_AUTH_JWT_HEADER_NAME', span: { file: '.env', line: 1, column: 25 } });
    expect(m.get('auth.jwt', 'enabled')).toMatchObject({ value: 'true', source: 'file' });
    expect(m.get('auth.jwt', 'tls_client_ca')).toBeUndefined();
    expect(Object.fromEntries(m.envOverrides.map((o) => [o.name, o.status]))).toEqual({
      GF_AUTH_JWT_ENABLED: 'empty',
      GF_AUTH_JWT_HEADER_NAME: 'applied',
      GF_AUTH_JWT_TLS_CLIENT_CA: 'absent-key',
    });
    // Putting the key in grafana.ini lets the variable override it.
    const fixed = model('[auth.jwt]\ntls_client_ca = placeholder\n', env);
    expect(fixed.get('auth.jwt', 'tls_client_ca')).toMatchObject({ value: '/ca.pem', source: 'env' });
  });

  it('knows the defaults.ini bugs of 9.1–9.2 (expected_claims, url_login)', () => {
    const env = { GF_AUTH_JWT_EXPECT_CLAIMS: '{"iss":"x"}', GF_AUTH_JWT_URL_LOGIN: 'true' };
    const old = model(null, env, { version: '9.2.0' });
    expect(old.envOverrides.map((o) => o.status)).toEqual(['absent-key', 'absent-key']);
    expect(old.get('auth.jwt', 'expected_claims')?.value).toBe('{}');
    const fixed = model(null, env, { version: '9.3.0' });
    expect(fixed.envOverrides.map((o) => o.status)).toEqual(['applied', 'applied']);
    expect(fixed.str('auth.jwt', 'expect_claims')).toBe('{"iss":"x"}');
  });

  it('overrides the default section with GF_DEFAULT_*', () => {
    expect(model(null, { GF_DEFAULT_APP_MODE: 'development' }).get('DEFAULT', 'app_mode')).toMatchObject({ value: 'development', source: 'env' });
  });
});

describe('buildGrafanaModel: expansion and interpolation', () => {
  it('expands after the env layer and interpolates at read time', () => {
    const m = model('[server]\ndomain = file.example.com\nroot_url = https://%(domain)s/grafana/\n[auth.jwt]\njwk_set_url = ${JWKS}\n', {
      GF_SERVER_DOMAIN: 'env.example.com',
      JWKS: 'https://auth.example.com/.well-known/pomerium/jwks.json',
    });
    expect(m.str('server', 'root_url')).toBe('https://env.example.com/grafana/');
    expect(m.get('auth.jwt', 'jwk_set_url')).toMatchObject({ raw: '${JWKS}', value: 'https://auth.example.com/.well-known/pomerium/jwks.json', known: true });
    // defaults.ini's own root_url resolves against the merged [server] keys
    expect(model(null).str('server', 'root_url')).toBe('http://localhost:3000/');
  });

  it('reports $__file problems: fatal when missing, could-not-check when not visible', () => {
    const ini = '[auth.jwt]\njwk_set_file = $__file{/run/secrets/missing}\nkey_file = $__file{/elsewhere}\n';
    const m = model(ini, {}, { readFile: (p) => (p === '/run/secrets/missing' ? null : undefined) });
    expect(m.expansionProblems).toEqual([
      {
        section: 'auth.jwt',
        key: 'jwk_set_file',
        message: "got error while expanding auth.jwt.jwk_set_file with expander 'file': stat /run/secrets/missing: no such file or directory",
        span: expect.objectContaining({ line: 2, column: 16 }),
        fatal: true,
      },
      expect.objectContaining({ key: 'key_file', fatal: false }),
    ]);
    expect(m.get('auth.jwt', 'key_file')).toMatchObject({ known: false, value: '$__file{/elsewhere}' });
  });

  it('reads a file-provided value from $__file', () => {
    const m = model('[auth.jwt]\njwk_set_url = $__file{/s/url}\n', {}, { readFile: (p) => (p === '/s/url' ? 'https://a.example.com/jwks.json\n' : null) });
    expect(m.str('auth.jwt', 'jwk_set_url')).toBe('https://a.example.com/jwks.json');
    expect(m.expansionProblems).toEqual([]);
  });
});

describe('the key catalog', () => {
  it('answers "does Grafana V read key K in section S, since when"', () => {
    expect(keysReadIn('auth.jwt', '8.3.0').map((k) => k.key)).not.toContain('auto_sign_up');
    expect(keysReadIn('auth.jwt', '8.4.0').map((k) => k.key)).toContain('auto_sign_up');
    const expected = grafanaKey('auth.jwt', 'expected_claims')!;
    expect(isReadIn(expected, '9.2.0')).toBe(false);
    expect(grafanaKey('auth.jwt', 'org_mapping')).toMatchObject({ type: 'list', read: { from: '12.0.0' } });
  });

  it('knows which keys defaults.ini lists per version', () => {
    const jwt92 = defaultsIniOf('9.2.0').get('auth.jwt')!;
    expect([jwt92.has('expected_claims'), jwt92.has('expect_claims'), jwt92.has('url_login')]).toEqual([true, false, false]);
    const jwt12 = defaultsIniOf('12.2.0').get('auth.jwt')!;
    expect([jwt12.has('expected_claims'), jwt12.get('expect_claims'), jwt12.has('url_login')]).toEqual([false, '{}', true]);
    expect(defaultsIniOf('12.2.0').get('users')!.get('allow_sign_up')).toBe('false');
  });
});

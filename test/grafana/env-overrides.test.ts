import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../src/core/env-file.js';
import { grafanaEnvName, resolveEnvOverrides } from '../../src/grafana/env-overrides.js';

describe('grafanaEnvName (Grafana EnvKey)', () => {
  it.each([
    ['auth.jwt', 'header_name', 'GF_AUTH_JWT_HEADER_NAME'],
    ['DEFAULT', 'app_mode', 'GF_DEFAULT_APP_MODE'],
    ['auth.generic_oauth', 'client_id', 'GF_AUTH_GENERIC_OAUTH_CLIENT_ID'],
    // `-` becomes `_` in the section only; `.` in both.
    ['my-plugin', 'some-key', 'GF_MY_PLUGIN_SOME-KEY'],
    ['a', 'b.c', 'GF_A_B_C'],
    // Go upper-cases rune by rune: ß has no one-rune upper case and stays.
    ['straße', 'k', 'GF_STRAßE_K'],
  ])('[%s] %s -> %s', (section, key, name) => {
    expect(grafanaEnvName(section, key)).toBe(name);
  });
});

describe('resolveEnvOverrides', () => {
  const present = [
    { section: 'auth.jwt', key: 'header_name' },
    { section: 'auth.jwt', key: 'enabled' },
  ];

  it('applies non-empty variables for present keys and says why the others are ignored', () => {
    const { overrides, assignments } = resolveEnvOverrides({
      present,
      env: {
        GF_AUTH_JWT_HEADER_NAME: 'X-Pomerium-Jwt-Assertion',
        GF_AUTH_JWT_ENABLED: '',
        GF_AUTH_JWT_TLS_CLIENT_CA: '/ca.pem',
        GF_PATHS_DATA: '/data',
        HOME: '/root',
        GF_UNSET: undefined,
      },
    });
    expect(overrides.map((o) => [o.name, o.status, o.target])).toEqual([
      ['GF_AUTH_JWT_ENABLED', 'empty', { section: 'auth.jwt', key: 'enabled' }],
      ['GF_AUTH_JWT_HEADER_NAME', 'applied', { section: 'auth.jwt', key: 'header_name' }],
      ['GF_AUTH_JWT_TLS_CLIENT_CA', 'absent-key', { section: 'auth.jwt', key: 'tls_client_ca' }],
      ['GF_PATHS_DATA', 'unknown', null],
    ]);
    expect(assignments).toEqual([{ section: 'auth.jwt', key: 'header_name', name: 'GF_AUTH_JWT_HEADER_NAME', value: 'X-Pomerium-Jwt-Assertion' }]);
  });

  it('sets every present key that shares a name, as Grafana does', () => {
    const { assignments } = resolveEnvOverrides({
      present: [
        { section: 'a.b', key: 'c' },
        { section: 'a', key: 'b_c' },
      ],
      env: { GF_A_B_C: 'v' },
    });
    expect(assignments.map((a) => `${a.section}/${a.key}`)).toEqual(['a.b/c', 'a/b_c']);
  });

  it('carries the env file positions', () => {
    const text = '# compose env\nGF_AUTH_JWT_HEADER_NAME=X-Pomerium-Jwt-Assertion\n';
    const { entries } = parseEnvFile(text, 'grafana.env');
    const envSpans = new Map(entries.map((e) => [e.name, { nameSpan: e.nameSpan, valueSpan: e.valueSpan }]));
    const { overrides } = resolveEnvOverrides({ present, env: Object.fromEntries(entries.map((e) => [e.name, e.value])), envSpans });
    expect(overrides[0]!.nameSpan).toMatchObject({ file: 'grafana.env', line: 2, column: 1 });
    expect(overrides[0]!.span).toMatchObject({ line: 2, column: 25 });
  });
});

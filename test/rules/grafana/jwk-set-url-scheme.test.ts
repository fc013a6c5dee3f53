import { describe, expect, it } from 'vitest';
import { goUrlScheme } from '../../../src/rules/grafana/jwk-set-url-scheme.js';
import { BASE, edit, findings } from './helpers.js';

const ID = 'grafana/jwk-set-url-scheme';
const url = (value: string) => edit(['jwk_set_url = https://grafana.example.com/.well-known/pomerium/jwks.json', `jwk_set_url = ${value}`]);

describe('goUrlScheme (Go url.Parse, as far as the scheme check needs)', () => {
  it('finds and lower-cases the scheme', () => {
    expect(goUrlScheme('HTTPS://pomerium/.well-known/pomerium/jwks.json')).toEqual({ scheme: 'https' });
    expect(goUrlScheme('pomerium/.well-known/pomerium/jwks.json')).toEqual({ scheme: '' });
    expect(goUrlScheme('https://[::1]:8443/jwks.json')).toEqual({ scheme: 'https' });
  });

  it('returns the errors Go returns', () => {
    expect(goUrlScheme('://pomerium')).toEqual({ error: 'missing protocol scheme' });
    expect(goUrlScheme('https://pomerium:port/x')).toEqual({ error: 'invalid port ":port" after host' });
    expect(goUrlScheme('https://pom erium/x')).toEqual({ error: 'invalid character " " in host name' });
    expect(goUrlScheme('https://pomerium/%zz')).toEqual({ error: 'invalid URL escape "%zz"' });
    expect(goUrlScheme('https://[::1/x')).toEqual({ error: "missing ']' in host" });
  });
});

describe(ID, () => {
  it('reports http and a missing scheme at the value', () => {
    expect(findings(ID, { grafana: url('http://pomerium/.well-known/pomerium/jwks.json') })).toEqual(['notHttps @ini:15:15']);
    expect(findings(ID, { grafana: url('pomerium/.well-known/pomerium/jwks.json') })).toEqual(['notHttps @ini:15:15']);
  });

  it('allows http with app_mode = development from 12.2, not before', () => {
    const grafana = `app_mode = development\n${url('http://pomerium/.well-known/pomerium/jwks.json')}`;
    expect(findings(ID, { grafana })).toEqual([]);
    expect(findings(ID, { grafana, grafanaVersion: '9.5.0' })).toEqual(['notHttps @ini:16:15']);
    expect(findings(ID, { grafana, env: { GF_DEFAULT_APP_MODE: 'production' } })).toEqual(['notHttps @ini:16:15']);
  });

  it('says nothing while JWT auth is off (Grafana does not build the key set)', () => {
    expect(findings(ID, { grafana: url('http://pomerium/x').replace('enabled = true', 'enabled = false') })).toEqual([]);
    expect(findings(ID, { grafana: BASE })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { edit, findings, run } from './helpers.js';

const ID = 'grafana/jwt-key-source';
const URL_LINE = 'jwk_set_url = https://grafana.example.com/.well-known/pomerium/jwks.json\n';
const BASE_WITH_FILE = edit([URL_LINE, 'jwk_set_file = /etc/grafana/jwks.json\n']);
const both = edit([URL_LINE, `${URL_LINE}jwk_set_value = eyJrZXlzIjpbXX0=\n`]);

describe(ID, () => {
  it('quotes the newest literal and says Grafana keeps running in 13.1+', () => {
    const [finding] = run({ grafana: both }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'ambiguous', line: 16 });
    expect(finding!.message).toContain('you should set only one of key_file, key_value, jwk_set_file, jwk_set_value or jwk_set_url');
    expect(finding!.message).toContain('jwt auth not configured');
  });

  it('does not count key_value/jwk_set_value where Grafana does not read them', () => {
    expect(findings(ID, { grafana: both, grafanaVersion: '12.2.0' })).toEqual([]);
  });

  it('quotes the 8.x–13.0 literal and says Grafana does not start', () => {
    const grafana = edit([URL_LINE, `key_file = /etc/grafana/pomerium.pem\n${URL_LINE}`]);
    const [finding] = run({ grafana, grafanaVersion: '10.4.0' }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'ambiguous', line: 15, column: 12 });
    expect(finding!.message).toContain('you should set either key_file, jwk_set_file or jwk_set_url');
    expect(finding!.message).toContain('refuses to start');
  });

  it('counts a key source set only by a GF_ variable', () => {
    expect(findings(ID, { grafana: edit([URL_LINE, '']), env: { GF_AUTH_JWT_JWK_SET_URL: 'https://grafana.example.com/.well-known/pomerium/jwks.json' } })).toEqual([]);
    expect(findings(ID, { grafana: BASE_WITH_FILE, env: { GF_AUTH_JWT_JWK_SET_URL: 'https://grafana.example.com/.well-known/pomerium/jwks.json' } })).toEqual(['ambiguous @ini:15:16']);
  });

  it('treats a value that expands to nothing as not set', () => {
    expect(findings(ID, { grafana: edit([URL_LINE, 'jwk_set_url = ${JWKS_URL}\n']) })).toEqual(['none @ini:10:1']);
  });
});

// The Grafana Docker image turns GF_<X>__FILE into GF_<X> before Grafana starts (grafana/grafana
// packaging/docker/run.sh: `export "$VAR_NAME"="$(cat "${FILE}")"`, only for a non-empty __FILE value).
import { describe, expect, it } from 'vitest';
import { lintCase } from '../helpers/lint.js';
import { BASE_GRAFANA } from '../rules/base.js';

const NO_URL = BASE_GRAFANA.replace(/^jwk_set_url = .*\n/m, '');
const ids = (r: ReturnType<typeof lintCase>, prefix: string) => r.findings.filter((f) => f.ruleId.startsWith(prefix)).map((f) => `${f.ruleId}:${f.messageId}:${f.severity}`);

describe('GF_*__FILE variables', () => {
  it('reads the file under --root into the variable: the key source is there, not missing', () => {
    const r = lintCase({
      grafana: NO_URL,
      env: { GF_AUTH_JWT_JWK_SET_URL__FILE: '/run/secrets/jwks_url' },
      // `$(cat file)` drops the trailing newline.
      files: { '/run/secrets/jwks_url': 'https://grafana.example.com/.well-known/pomerium/jwks.json\n' },
      root: true,
    });
    expect(ids(r, 'grafana/jwt-key-source')).toEqual([]);
    expect(ids(r, 'grafana/env-ignored')).toEqual([]);
    expect(ids(r, 'grafana/jwk-set-url-scheme')).toEqual([]);
  });

  it('says "could not check" (info) for a file it cannot see, never "no key source"', () => {
    const r = lintCase({ grafana: NO_URL, env: { GF_AUTH_JWT_JWK_SET_URL__FILE: '/run/secrets/jwks_url' } });
    expect(ids(r, 'grafana/jwt-key-source')).toEqual([]);
    expect(ids(r, 'grafana/file-expansion')).toEqual(['grafana/file-expansion:notVisible:info']);
  });

  it('keeps the "both set" error of run.sh, and does not mistake its own derived variable for it', () => {
    const both = lintCase({ grafana: BASE_GRAFANA, env: { GF_AUTH_JWT_JWK_SET_URL: 'https://a.example.com/x', GF_AUTH_JWT_JWK_SET_URL__FILE: '/run/secrets/u' } });
    expect(ids(both, 'grafana/env-ignored')).toEqual(['grafana/env-ignored:exclusive:error']);
    const one = lintCase({ grafana: BASE_GRAFANA, env: { GF_AUTH_JWT_JWK_SET_URL__FILE: '/run/secrets/u' }, files: { '/run/secrets/u': 'https://grafana.example.com/.well-known/pomerium/jwks.json' } });
    expect(ids(one, 'grafana/env-ignored')).toEqual([]);
  });

  it('ignores an empty __FILE value, as run.sh does (its grep wants `=.+`)', () => {
    const r = lintCase({ grafana: NO_URL, env: { GF_AUTH_JWT_JWK_SET_URL__FILE: '' } });
    expect(ids(r, 'grafana/jwt-key-source')).toEqual(['grafana/jwt-key-source:none:error']);
  });
});

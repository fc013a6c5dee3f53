import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envFileMap, parseEnvFile } from '../../src/core/env-file.js';
import { pomeriumFromEnv } from '../../src/pomerium/env.js';
import { readPomeriumConfig } from '../../src/pomerium/read.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/pomerium/${name}`, import.meta.url), 'utf8');
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('pomeriumFromEnv', () => {
  it('reads an env file, with the env file positions, including base64 ROUTES', () => {
    const { entries } = parseEnvFile(fixture('pomerium.env'), 'pomerium.env');
    const map = envFileMap(entries);
    const env = Object.fromEntries([...map].map(([k, e]) => [k, e.value]));
    const m = pomeriumFromEnv(env, null, map);
    expect(m.file).toBeNull();
    expect(m.errors).toEqual([]);
    expect(m.authenticateServiceUrl).toEqual({
      value: 'https://authenticate.example.com',
      span: { file: 'pomerium.env', line: 2, column: 26, endLine: 2, endColumn: 58 },
    });
    expect(m.passIdentityHeaders).toMatchObject({ value: false, span: { line: 3 } });
    expect(m.jwtClaimsHeaders?.value).toEqual({
      'x-pomerium-claim-email': 'email',
      'x-pomerium-claim-groups': 'groups',
      'x-pomerium-claim-name': 'name',
    });
    expect(m.jwtIssuerFormat?.value).toBe('uri');
    expect(m.signingKeyFile).toMatchObject({ kind: 'file', path: '/etc/pomerium/signing.pem', span: { line: 6 } });
    expect(m.sharedSecret?.value).toBe('c2hhcmVkLXNlY3JldC12YWx1ZQ==');
    expect(m.routes).toHaveLength(1);
    const r = m.routes[0]!;
    expect(r).toMatchObject({ index: 0, list: 'routes', origin: 'env' });
    expect(r.from?.value).toBe('https://grafana.example.com');
    expect(r.to?.value).toEqual([{ url: 'http://localhost:3000', weight: 1 }]);
    expect(r.passIdentityHeaders?.value).toBe(true);
    // Positions inside the decoded YAML mean nothing to the user: they point at the variable.
    expect(r.from?.span).toMatchObject({ file: 'pomerium.env', line: 8, column: 8 });
  });

  it('decodes the POLICY example from Pomerium own test (process env: no positions)', () => {
    const m = pomeriumFromEnv({ POLICY: b64('- from: https://httpbin.localhost.pomerium.io\n  to: \n    - http://localhost:8081,1\n') }, null);
    expect(m.routes.map((r) => [r.list, r.from?.value, r.to?.value, r.span])).toEqual([
      ['policy', 'https://httpbin.localhost.pomerium.io', [{ url: 'http://localhost:8081', weight: 1 }], null],
    ]);
  });

  it('overrides the file: env values win, ROUTES replaces the file routes, POLICY entries stay first', () => {
    const base = readPomeriumConfig(fixture('policy-and-routes.yaml'), 'policy-and-routes.yaml');
    const m = pomeriumFromEnv(
      { PASS_IDENTITY_HEADERS: 'false', ROUTES: b64('- from: https://env.example.com\n  to: http://env:1\n'), JWT_ISSUER_FORMAT: '' },
      base,
    );
    expect(m.passIdentityHeaders).toEqual({ value: false, span: null });
    expect(m.routes.map((r) => [r.index, r.list, r.origin, r.from?.value])).toEqual([
      [0, 'policy', 'file', 'https://legacy.example.com'],
      [1, 'routes', 'env', 'https://env.example.com'],
    ]);
    expect(m.file).toBe('policy-and-routes.yaml');
    expect(m.jwtIssuerFormat).toBeNull();
    expect(base.routes).toHaveLength(3);
    expect(base.passIdentityHeaders?.value).toBe(true);
  });

  it('turns bad ROUTES values into errors that name the variable', () => {
    expect(pomeriumFromEnv({ ROUTES: 'not base64!' }, null).errors[0]?.message).toMatch(/^ROUTES: base64 decoding policy data/);
    expect(pomeriumFromEnv({ ROUTES: 'YQ==,YQ==' }, null).errors[0]?.message).toBe('ROUTES: base64 policy data: expecting 1, got 2');
    expect(pomeriumFromEnv({ POLICY: b64('from: [') }, null).errors[0]?.message).toMatch(/^POLICY: parsing base64-encoded policy data as yaml: /);
    expect(pomeriumFromEnv({ ROUTES: b64('from: x\n') }, null).errors[0]?.message).toBe(
      'ROUTES: parsing base64-encoded policy data as yaml: expected a list of routes',
    );
  });

  it('reports values Pomerium refuses, and never echoes secrets', () => {
    const m = pomeriumFromEnv({ PASS_IDENTITY_HEADERS: 'yes', JWT_ISSUER_FORMAT: 'full', SHARED_SECRET: 's3cret', SIGNING_KEY: 'k3y' }, null);
    expect(m.valueProblems.map((p) => p.message)).toEqual([
      `cannot parse 'PASS_IDENTITY_HEADERS' as bool: strconv.ParseBool: parsing "yes": invalid syntax`,
      'unsupported enum value full for IssuerFormat',
    ]);
    expect(m.signingKey).toEqual({ kind: 'inline', span: null, text: 'k3y' });
    expect(JSON.stringify([m.errors, m.valueProblems])).not.toMatch(/s3cret|k3y/);
  });
});

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPomeriumConfig } from '../../src/pomerium/read.js';

const fixture = (name: string) => new URL(`../fixtures/pomerium/${name}`, import.meta.url);
const read = (name: string) => readPomeriumConfig(readFileSync(fixture(name), 'utf8'), name);

describe('readPomeriumConfig', () => {
  it('reads the first Grafana guide (self-hosted authenticate) with positions', () => {
    const m = read('guide-v1.yaml');
    expect(m.errors).toEqual([]);
    expect(m.valueProblems).toEqual([]);
    expect(m.authenticateServiceUrl).toEqual({
      value: 'https://authenticate.localhost.pomerium.io',
      span: { file: 'guide-v1.yaml', line: 2, column: 27, endLine: 2, endColumn: 69 },
    });
    expect(m.sharedSecret?.span).toMatchObject({ line: 3, column: 16 });
    expect(m.topLevelKeys.map((k) => k.name)).toEqual(['authenticate_service_url', 'shared_secret', 'routes']);
    expect(m.topLevelKeys[2]!.span).toEqual({ file: 'guide-v1.yaml', line: 4, column: 1, endLine: 4, endColumn: 7 });
    expect(m.routes).toHaveLength(1);
    const r = m.routes[0]!;
    expect(r).toMatchObject({ index: 0, list: 'routes', origin: 'file' });
    expect(r.span).toEqual({ file: 'guide-v1.yaml', line: 5, column: 5, endLine: 5, endColumn: 9 });
    expect(r.from).toEqual({
      value: 'https://grafana.localhost.pomerium.io',
      span: { file: 'guide-v1.yaml', line: 5, column: 11, endLine: 5, endColumn: 48 },
    });
    expect(r.to?.value).toEqual([{ url: 'http://grafana:3000', weight: null }]);
    expect(r.passIdentityHeaders).toEqual({ value: true, span: { file: 'guide-v1.yaml', line: 7, column: 28, endLine: 7, endColumn: 32 } });
    expect(r.policy?.value).toEqual([{ allow: { or: [{ domain: { is: 'example.com' } }] } }]);
    expect(r.policy?.span).toMatchObject({ line: 9, column: 7 });
    expect(r.keys.map((k) => k.name)).toEqual(['from', 'to', 'pass_identity_headers', 'policy']);
  });

  it('reads the current guide: hosted authenticate and an inline signing key', () => {
    const m = read('guide-v5.yaml');
    expect(m.authenticateServiceUrl?.value).toBe('https://authenticate.pomerium.app');
    expect(m.signingKey).toMatchObject({ kind: 'inline', span: { line: 3, column: 14 } });
    expect(m.signingKey?.text).toMatch(/^LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS/);
    expect(m.signingKeyFile).toBeNull();
    expect(m.routes[0]?.from?.value).toBe('https://grafana.yourdomain.com');
    expect(m.topLevelKeys.map((k) => k.name)).toContain('autocert');
  });

  it('reports a bare list of routes (the 2023 guide snippet) as a config Pomerium cannot load', () => {
    const m = read('guide-v3-core.yaml');
    expect(m.routes).toEqual([]);
    expect(m.errors).toHaveLength(1);
    expect(m.errors[0]!.message).toMatch(/top level .* must be a mapping/);
    expect(m.errors[0]!.span).toMatchObject({ line: 2, column: 1 });
  });

  it('keeps host_rewrite_header as written, including the `true` misuse', () => {
    const text = readFileSync(fixture('guide-v3-core.yaml'), 'utf8').replace(/^(?=[ -])/gm, '  ');
    const m = readPomeriumConfig(`routes:\n${text.split('\n').slice(1).join('\n')}`, 'routes.yaml');
    expect(m.errors).toEqual([]);
    expect(m.routes[0]?.hostRewriteHeader?.value).toBe(true);
    expect(m.routes[0]?.passIdentityHeaders?.value).toBe(true);
  });

  it('reads every form of `to`, with weights after the first comma', () => {
    const m = read('weighted.yaml');
    const to = m.routes.map((r) => r.to?.value);
    expect(to[0]).toEqual([
      { url: 'http://grafana-a:3000', weight: 10 },
      { url: 'http://grafana-b:3000', weight: 20 },
    ]);
    expect(to[1]).toEqual([
      { url: 'http://a:8080', weight: null },
      { url: 'http://b:8080', weight: null },
    ]);
    expect(to[3]).toEqual([{ url: 'http://a:1', weight: null }]);
    expect(m.valueProblems.map((p) => [p.message, p.span?.line, p.span?.column])).toEqual([
      ["'routes[2].to': either no weights should be provided, or all endpoints must have non-zero weight specified", 9, 9],
      ["'routes[3].to': zero load balancing weight not permitted", 11, 9],
    ]);
  });

  it('follows anchors and << merges; explicit keys win, earlier merge sources win', () => {
    const m = read('anchors.yaml');
    expect(m.errors).toEqual([]);
    const [a, b] = m.routes;
    expect(a?.to?.value).toEqual([{ url: 'http://grafana:3000', weight: null }]);
    expect(a?.passIdentityHeaders).toEqual({ value: true, span: { file: 'anchors.yaml', line: 3, column: 26, endLine: 3, endColumn: 32 } });
    expect(a?.preserveHostHeader?.value).toBe(true);
    expect(a?.keys.map((k) => k.name)).toEqual(['from', 'to', 'pass_identity_headers', 'preserve_host_header']);
    expect(b?.passIdentityHeaders).toMatchObject({ value: false, span: { line: 13, column: 28 } });
    expect(b?.preserveHostHeader).toMatchObject({ value: false, span: { line: 7 } });
    expect(b?.tlsSkipVerify?.value).toBe(false);
    expect(m.topLevelKeys.map((k) => k.name)).toEqual(['x-common', 'x-tls', 'routes']);
  });

  it('merges the legacy `policy` list first, then `routes`, and reads global pass_identity_headers', () => {
    const m = read('policy-and-routes.yaml');
    expect(m.passIdentityHeaders?.value).toBe(true);
    expect(m.routes.map((r) => [r.index, r.list, r.from?.value])).toEqual([
      [0, 'policy', 'https://legacy.example.com'],
      [1, 'routes', 'https://grafana.example.com'],
      [2, 'routes', 'https://app.example.com'],
    ]);
    expect(m.routes[0]?.allowedUsers?.value).toEqual(['alice@example.com']);
    expect(m.routes[0]?.keys.map((k) => k.name)).toContain('allowed_groups');
    expect(m.routes[1]?.passIdentityHeaders).toBeNull();
    expect(m.routes[2]?.passIdentityHeaders?.value).toBe(false);
  });

  it('reads issuer formats case-insensitively and reports unknown ones', () => {
    const m = read('issuer.yaml');
    expect(m.jwtIssuerFormat?.value).toBe('uri');
    expect(m.routes.map((r) => r.jwtIssuerFormat?.value ?? null)).toEqual([null, 'hostOnly', null]);
    expect(m.valueProblems).toEqual([
      { message: 'unsupported enum value Full for IssuerFormat', span: { file: 'issuer.yaml', line: 11, column: 24, endLine: 11, endColumn: 28 } },
    ]);
    expect(m.jwtClaimsHeaders?.value).toEqual({
      'x-pomerium-claim-email': 'email',
      'x-pomerium-claim-groups': 'groups',
      'x-pomerium-claim-given_name': 'given_name',
    });
  });

  it('decodes booleans as mapstructure does (ParseBool strings, numbers, "" is false)', () => {
    const m = read('bools.yaml');
    const [t, f] = m.routes;
    expect(m.passIdentityHeaders).toBeNull();
    expect(t?.passIdentityHeaders?.value).toBe(true);
    expect(t?.preserveHostHeader?.value).toBe(false);
    expect(t?.tlsSkipVerify?.value).toBe(true);
    expect(f?.passIdentityHeaders?.value).toBe(false);
    expect(f?.preserveHostHeader).toBeNull();
    expect(f?.allowAnyAuthenticatedUser).toBeNull();
    expect(m.valueProblems.map((p) => [p.message, p.span?.line])).toEqual([
      [`cannot parse 'pass_identity_headers' as bool: strconv.ParseBool: parsing "yes": invalid syntax`, 1],
      [`cannot parse 'routes[1].preserve_host_header' as bool: strconv.ParseBool: parsing "on": invalid syntax`, 11],
      [`'routes[1].allow_any_authenticated_user' expected a bool, got a mapping`, 12],
    ]);
  });

  it('reads a JSON config, with the map form of jwt_claims_headers (lowercased, as Viper does)', () => {
    const m = read('config.json');
    expect(m.errors).toEqual([]);
    expect(m.signingKeyFile).toEqual({ kind: 'file', path: '/run/secrets/signing-key.pem', span: expect.objectContaining({ line: 3, column: 23 }) });
    expect(m.jwtClaimsHeaders?.value).toEqual({ 'x-email': 'email', 'x-name': 'name', 'x-given': 'given_name' });
    const r = m.routes[0]!;
    expect(r.prefix).toMatchObject({ value: '/grafana', span: { line: 6, column: 117 } });
    expect(r.passIdentityHeaders?.value).toBe(true);
  });

  it('reads the list form of jwt_claims_headers and refuses a bare number', () => {
    expect(readPomeriumConfig('jwt_claims_headers: [email, 7]\n', 'c.yaml').jwtClaimsHeaders?.value).toEqual({
      'x-pomerium-claim-email': 'email',
      'x-pomerium-claim-7': '7',
    });
    const bad = readPomeriumConfig('jwt_claims_headers: 12\n', 'c.yaml');
    expect(bad.jwtClaimsHeaders).toBeNull();
    expect(bad.valueProblems[0]?.message).toBe('JWTClaimHeaders must be an object or an array of values, got: 12');
  });

  it('matches option names case-insensitively, as Viper does', () => {
    const m = readPomeriumConfig('Routes:\n  - FROM: https://g.example.com\n    Pass_Identity_Headers: t\n', 'c.yaml');
    expect(m.routes[0]?.from?.value).toBe('https://g.example.com');
    expect(m.routes[0]?.passIdentityHeaders?.value).toBe(true);
    expect(m.topLevelKeys[0]?.name).toBe('Routes');
  });

  it('treats empty and null values as unset', () => {
    const m = readPomeriumConfig('authenticate_service_url: ""\nsigning_key:\nshared_secret: ~\nroutes:\n', 'c.yaml');
    expect([m.authenticateServiceUrl, m.signingKey, m.sharedSecret, m.routes]).toEqual([null, null, null, []]);
    expect(m.topLevelKeys).toHaveLength(4);
  });

  it('returns syntax errors as data, with positions and without the source excerpt', () => {
    const m = read('syntax-error.yaml');
    expect(m.errors.length).toBeGreaterThan(0);
    expect(m.errors[0]!.span).toMatchObject({ file: 'syntax-error.yaml', line: 4 });
    expect(JSON.stringify(m.errors)).not.toContain('hunter2');
    expect(m.errors[0]!.message).not.toMatch(/at line/);
  });

  it('reports duplicate keys', () => {
    const m = readPomeriumConfig('pass_identity_headers: true\npass_identity_headers: false\n', 'dup.yaml');
    expect(m.errors[0]).toMatchObject({ message: 'Map keys must be unique', span: { line: 2, column: 1 } });
  });

  it('counts columns in UTF-16 code units', () => {
    const m = readPomeriumConfig('# x\nroutes: [{name: 😀, from: "https://ü.example.com", to: "http://x:1"}]\n', 'u.yaml');
    // 😀 is two UTF-16 code units, so `from`'s value starts at column 27 (26 if counted in code points).
    expect(m.routes[0]?.from?.span).toEqual({ file: 'u.yaml', line: 2, column: 27, endLine: 2, endColumn: 50 });
  });

  it('stays cheap on an alias bomb', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('routes:', '  - from: https://b.example.com', '    to: *a11', '    policy: *a11');
    const m = readPomeriumConfig(lines.join('\n') + '\n', 'bomb.yaml');
    expect(m.routes[0]?.to?.value.length).toBeLessThanOrEqual(10_000);
    expect(m.routes[0]?.policy).toBeNull();
    expect(m.valueProblems.some((p) => p.message.startsWith("'policy':"))).toBe(true);
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), yamlish()), (text) => {
        const m = readPomeriumConfig(text, 'fuzz.yaml');
        expect(Array.isArray(m.routes)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

/** Strings made of YAML's own punctuation and Pomerium's keys, so the fuzzer reaches the reader's branches. */
function yamlish() {
  const token = fc.constantFrom('routes:', 'policy:', '\n', '  ', '- ', 'from: ', 'to: ', '<<: ', '*a', '&a ', '[', ']', '{', '}', ',', 'x', '"', 'pass_identity_headers: ', 'true', '1', 'jwt_claims_headers: ', 'jwt_issuer_format: ', ':', '#', '~');
  return fc.array(token, { maxLength: 60 }).map((t) => t.join(''));
}

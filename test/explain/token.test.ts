import { describe, expect, it } from 'vitest';
import { canonicalHeaderKey, decodeCompactJws, readTokenInput } from '../../src/explain/token.js';
import { parseOrgMapping } from '../../src/explain/role.js';

describe('readTokenInput', () => {
  it('takes a raw token, a Bearer value and a header line', () => {
    expect(readTokenInput('  a.b.c \n')).toEqual({ headerName: null, headerValue: 'a.b.c', token: 'a.b.c', strippedBearer: false });
    expect(readTokenInput('Bearer a.b.c')).toMatchObject({ headerName: null, token: 'a.b.c', strippedBearer: true });
    expect(readTokenInput('X-Pomerium-Jwt-Assertion: Bearer a.b.c\r\nHost: x\r\n')).toMatchObject({ headerName: 'X-Pomerium-Jwt-Assertion', token: 'a.b.c' });
  });

  it('leaves "bearer " (lowercase) and "Bearer  " (two spaces) as Grafana does', () => {
    expect(readTokenInput('bearer a.b.c').token).toBe('bearer a.b.c');
    expect(readTokenInput('Bearer  a.b.c').token).toBe(' a.b.c');
  });
});

describe('canonicalHeaderKey (Go textproto)', () => {
  it('canonicalises dashes and leaves underscores in place', () => {
    expect(canonicalHeaderKey('x-pomerium-jwt-assertion')).toBe('X-Pomerium-Jwt-Assertion');
    expect(canonicalHeaderKey('X_POMERIUM_JWT_ASSERTION')).toBe('X_pomerium_jwt_assertion');
  });
});

describe('decodeCompactJws', () => {
  it('drops = padding like sanitizeJWT and refuses non-JWTs with a reason', () => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
    const decoded = decodeCompactJws(`${part({ alg: 'ES256' })}.${part({ sub: 'x' })}.AA==`);
    expect(decoded).toMatchObject({ header: { alg: 'ES256' }, claims: { sub: 'x' } });
    expect(decodeCompactJws('not-a-jwt')).toEqual({ error: 'a compact JWT has 3 dot-separated parts, this one has 1' });
  });
});

describe('parseOrgMapping', () => {
  it('splits on commas and spaces, honours \\: and defaults a missing role to Viewer', () => {
    const m = parseOrgMapping('a\\:b:1:Editor, c:2 d:*:Admin', false, '12.2.0');
    expect([...m.entries()].map(([k, v]) => [k, [...v]])).toEqual([
      ['a:b', [[1, 'Editor']]],
      ['c', [[2, 'Viewer']]],
      ['d', [['*', 'Admin']]],
    ]);
  });

  it('with role_attribute_strict one entry without a valid role empties the mapping', () => {
    expect(parseOrgMapping('a:1:Editor b:2', true, '12.2.0').size).toBe(0);
  });
});

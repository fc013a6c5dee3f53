import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importCheck, validateJwksText } from '../../src/jwks/validate.js';

const EC = {
  use: 'sig',
  kty: 'EC',
  kid: 'd591aa6e01e57ea8b80f349dc5de8517aa7b1f12f77700d89cbdba83938c0c61',
  crv: 'P-256',
  alg: 'ES256',
  x: 'oLZD26lGXDHQBhafGelEfD7e6f3iDcYROV7TlYHtquc',
  y: 'DxP4R8IH2jHKgDxZRY58iayK2mtXgpWBNs0SkgTXeaU',
};
const RSA = {
  use: 'sig',
  kty: 'RSA',
  kid: 'f0cc8033b422c2a199dcb456dde29589a9f5edd27d1c345bdf308957e957becf',
  alg: 'RS256',
  n: '67KjqmQYGq0MVtACVpeCmXminlQbDPGLmsZAUEwueHQnrt3WtvpDOm6AlaJMUnW-Hu55jjokalKeVjTKmgYGbqUzVDoMbPDaHekltdBTMGlOUFsP4UJSDrO4zdN-zo428TX2PnG2FCdVKGy4PE8ilHbWLcr871YjV51fw8CLDX9PZJNu861CF7V9iEJm6sSfQlmnhN8j3-WzVbPQNy1WsR7i9e9j63EqKt22Q9OXL-WAcKskoISmCNVRUAjU8YRVcgQJB-zQ34AQPlz0Op5O_QN_MedjaF8wLS-iv_zviS8cqPbxo6sLq6FNTltk_QkxeCeKKTQe_3kPYvQAdnl65Q',
  e: 'AQAB',
};

const jwks = (...keys: unknown[]) => JSON.stringify({ keys });

/** The problem codes for a JWKS text (empty when it is valid). */
function codes(text: string): string[] {
  const result = validateJwksText(text);
  return result.ok ? [] : result.problems.map((p) => p.code);
}

function messages(text: string): string {
  const result = validateJwksText(text);
  return result.ok ? '' : result.problems.map((p) => p.message).join('\n');
}

describe('validateJwksText', () => {
  it('accepts what Pomerium serves and lists its keys', () => {
    const result = validateJwksText(jwks(EC, RSA));
    expect(result).toEqual({
      ok: true,
      jwks: { keys: [EC, RSA] },
      keys: [
        { kid: EC.kid, alg: 'ES256', kty: 'EC' },
        { kid: RSA.kid, alg: 'RS256', kty: 'RSA' },
      ],
    });
  });

  it('accepts keys without use, alg or kid', () => {
    const { use, alg, kid, ...bare } = EC;
    expect(codes(jwks(bare))).toEqual([]);
  });

  it('reports bad JSON with its place, without quoting the text', () => {
    expect(codes('{"keys": [')).toEqual(['invalid-json']);
    const text = '{"keys":[{"d":"SECRET-VALUE" x}]}';
    expect(messages(text)).toMatch(/line 1, column \d+/);
    expect(messages('{"keys": [}')).not.toContain('keys');
    expect(messages('')).toContain('empty');
  });

  it('points people at signing_key when the set is empty', () => {
    for (const text of ['{"keys":null}', '{"keys":[]}', '{}']) {
      expect(codes(text)).toEqual(['no-keys']);
      expect(messages(text)).toContain('set signing_key');
    }
  });

  it('refuses a top level that is not an object, and keys that are not an array', () => {
    expect(codes('[]')).toEqual(['not-an-object']);
    expect(codes('{"keys":{}}')).toEqual(['keys-not-array']);
    expect(codes(jwks('key'))).toEqual(['key-not-object']);
  });

  it('needs kty, and string members', () => {
    const { kty, ...noKty } = EC;
    expect(codes(jwks(noKty))).toEqual(['missing-kty']);
    expect(codes(jwks({ ...EC, kid: 7 }))).toEqual(['member-not-string']);
  });

  it('refuses private and secret keys without quoting them', () => {
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'priv']) {
      expect(codes(jwks(RSA, { ...EC, [member]: 'TOP-SECRET-MATERIAL' }))).toEqual(['private-key-material']);
    }
    const oct = { kty: 'oct', k: 'TOP-SECRET-MATERIAL' };
    expect(codes(jwks(oct))).toEqual(['private-key-material']);
    expect(messages(jwks({ ...EC, d: 'TOP-SECRET-MATERIAL' }, oct))).not.toContain('TOP-SECRET');
  });

  it('refuses key types Pomerium never publishes', () => {
    expect(codes(jwks({ kty: 'OKP', crv: 'Ed25519', x: EC.x }))).toEqual(['unsupported-kty']);
  });

  it('needs use "sig" when use is given', () => {
    expect(codes(jwks({ ...EC, use: 'enc' }))).toEqual(['bad-use']);
  });

  it('refuses algorithms Grafana does not accept, and ones that do not fit the key', () => {
    expect(codes(jwks({ ...RSA, alg: 'RS384' }))).toEqual(['alg-not-accepted']);
    expect(codes(jwks({ ...EC, alg: 'none' }))).toEqual(['alg-not-accepted']);
    expect(codes(jwks({ ...EC, alg: 'RS256' }))).toEqual(['alg-mismatch']);
    expect(codes(jwks({ ...EC, alg: 'ES384' }))).toEqual(['alg-mismatch']);
    expect(codes(jwks({ ...RSA, alg: 'PS256' }))).toEqual([]);
  });

  it('needs P-256 with 32-byte coordinates', () => {
    expect(codes(jwks({ ...EC, crv: 'P-384' }))).toEqual(['ec-curve']);
    expect(codes(jwks({ ...EC, x: EC.x.slice(1) }))).toEqual(['ec-coordinates']);
    expect(codes(jwks({ ...EC, y: `${EC.y}=` }))).toEqual(['ec-coordinates']);
    expect(codes(jwks({ ...EC, x: undefined }))).toEqual(['ec-coordinates']);
  });

  it('needs RSA members in base64url and a modulus of at least 2048 bits', () => {
    expect(codes(jwks({ ...RSA, e: '' }))).toEqual(['rsa-members']);
    expect(codes(jwks({ ...RSA, n: RSA.n.replace(/-/g, '+') }))).toEqual(['rsa-members']);
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const short = { ...publicKey.export({ format: 'jwk' }), kid: 'short' };
    expect(codes(jwks(short))).toEqual(['rsa-too-short']);
    expect(messages(jwks(short))).toContain('1024-bit');
  });

  it('refuses duplicate kids, naming the keys', () => {
    expect(codes(jwks(EC, RSA, { ...RSA, kid: EC.kid }))).toEqual(['duplicate-kid']);
    expect(messages(jwks(EC, RSA, { ...RSA, kid: EC.kid }))).toContain('keys #1, #3');
  });

  it('names every broken key by index and kid', () => {
    const result = validateJwksText(jwks(EC, { ...EC, kid: 'second', crv: 'P-521' }, { ...RSA, kid: undefined, use: 'enc' }));
    expect(result).toEqual({
      ok: false,
      problems: [
        { code: 'ec-curve', message: expect.stringContaining('key #2 (kid "second")') },
        { code: 'bad-use', message: expect.stringMatching(/^key #3 has/) },
      ],
    });
  });
});

describe('importCheck', () => {
  it('finds nothing wrong with real keys', async () => {
    expect(await importCheck({ keys: [EC, RSA] })).toEqual([]);
    const { alg, ...noAlg } = EC;
    expect(await importCheck({ keys: [noAlg] })).toEqual([]);
  });

  it('catches an EC point that is not on the curve, which the shape checks pass', async () => {
    const offCurve = { ...EC, y: 'DxP4R8IH2jHKgDxZRY58iayK2mtXgpWBNs0SkgTXeaA' };
    const result = validateJwksText(jwks(offCurve));
    if (!result.ok) throw new Error('shape checks should pass');
    expect(await importCheck(result.jwks)).toEqual([
      { code: 'key-import-failed', message: expect.stringContaining(`key #1 (kid "${EC.kid}") cannot be imported`) },
    ]);
  });
});

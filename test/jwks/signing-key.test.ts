import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeGoStdBase64, decodeSigningKey, pemBlocks, signingKeyJwks } from '../../src/jwks/signing-key.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/jwks/${name}`, import.meta.url), 'utf8');

// The public JWKs Pomerium's pkg/cryptutil/jose_test.go expects, byte for byte.
const EC_JWK =
  '{"use":"sig","kty":"EC","kid":"d591aa6e01e57ea8b80f349dc5de8517aa7b1f12f77700d89cbdba83938c0c61","crv":"P-256","alg":"ES256","x":"oLZD26lGXDHQBhafGelEfD7e6f3iDcYROV7TlYHtquc","y":"DxP4R8IH2jHKgDxZRY58iayK2mtXgpWBNs0SkgTXeaU"}';
const RSA_JWK =
  '{"use":"sig","kty":"RSA","kid":"f0cc8033b422c2a199dcb456dde29589a9f5edd27d1c345bdf308957e957becf","alg":"RS256","n":"67KjqmQYGq0MVtACVpeCmXminlQbDPGLmsZAUEwueHQnrt3WtvpDOm6AlaJMUnW-Hu55jjokalKeVjTKmgYGbqUzVDoMbPDaHekltdBTMGlOUFsP4UJSDrO4zdN-zo428TX2PnG2FCdVKGy4PE8ilHbWLcr871YjV51fw8CLDX9PZJNu861CF7V9iEJm6sSfQlmnhN8j3-WzVbPQNy1WsR7i9e9j63EqKt22Q9OXL-WAcKskoISmCNVRUAjU8YRVcgQJB-zQ34AQPlz0Op5O_QN_MedjaF8wLS-iv_zviS8cqPbxo6sLq6FNTltk_QkxeCeKKTQe_3kPYvQAdnl65Q","e":"AQAB"}';

function jwksOf(pemText: string) {
  const set = signingKeyJwks(pemText);
  if ('error' in set) throw new Error(set.error);
  return set;
}

function pemsOf(text: string): string[] {
  const decoded = decodeSigningKey(text);
  if ('error' in decoded) throw new Error(decoded.error);
  return decoded.pems;
}

describe('decodeGoStdBase64 (Go base64.StdEncoding.DecodeString)', () => {
  it('decodes padded standard base64 and ignores CR and LF anywhere', () => {
    expect(decodeGoStdBase64('aGk=')?.toString()).toBe('hi');
    expect(decodeGoStdBase64('aG\r\nk=\n')?.toString()).toBe('hi');
    expect(decodeGoStdBase64('')?.length).toBe(0);
  });
  it('refuses what Go refuses: missing padding, spaces, the URL alphabet, data after padding', () => {
    for (const text of ['aGk', 'aG k=', 'a-_=', 'aGk=aGk=', 'a===']) expect(decodeGoStdBase64(text)).toBeNull();
  });
});

describe('decodeSigningKey', () => {
  it('takes base64 of PEM (the documented form) and raw PEM alike', () => {
    const base64 = fixture('ec-p256.b64');
    const raw = fixture('ec-p256-sec1.pem');
    expect(pemsOf(base64)).toEqual([raw]);
    expect(pemsOf(raw)).toEqual([raw]);
    expect(pemsOf(`\n  ${base64}\n`)).toEqual([raw]);
  });

  it('keeps several blocks in order, from raw text and from base64', () => {
    const both = fixture('rsa-2048-pkcs1.pem') + fixture('ec-p256-sec1.pem');
    const expected = [fixture('rsa-2048-pkcs1.pem'), fixture('ec-p256-sec1.pem')];
    expect(pemsOf(both)).toEqual(expected);
    expect(pemsOf(Buffer.from(both).toString('base64'))).toEqual(expected);
  });

  it('says why nothing was found, without quoting the key', () => {
    const unpadded = fixture('ec-p256.b64').replace(/=+$/, '');
    const tooShort = decodeSigningKey(unpadded.slice(0, -1));
    expect(tooShort).toEqual({ error: expect.stringContaining('not valid standard base64') });
    expect(JSON.stringify(tooShort)).not.toContain(unpadded.slice(0, 20));
    expect(decodeSigningKey(Buffer.from('not pem').toString('base64'))).toEqual({
      error: expect.stringContaining('decodes to holds no PEM block'),
    });
    expect(decodeSigningKey('-----BEGIN EC PRIVATE KEY-----\nAAAA\n')).toEqual({ error: expect.stringContaining('holds no PEM block') });
  });
});

describe('pemBlocks (Go pem.Decode rules)', () => {
  const ec = fixture('ec-p256-sec1.pem');
  it('skips text around blocks, CRLF line ends and RFC 1421 headers', () => {
    const crlf = ec.replace(/\n/g, '\r\n');
    const withHeader = ec.replace('KEY-----\n', 'KEY-----\nComment: test\n\n');
    const blocks = pemBlocks(`junk before\n${crlf}between\n${withHeader}trailing`);
    expect(blocks.map((b) => b.type)).toEqual(['EC PRIVATE KEY', 'EC PRIVATE KEY']);
    expect(blocks[0]!.der.equals(blocks[1]!.der)).toBe(true);
  });
  it('skips a block whose END line names another type, or whose body is not base64, and finds the next', () => {
    const wrongEnd = ec.replace('END EC PRIVATE', 'END RSA PRIVATE');
    const badBody = ec.replace('MHcC', 'M*cC');
    expect(pemBlocks(wrongEnd + ec)).toHaveLength(1);
    expect(pemBlocks(badBody + ec)).toHaveLength(1);
    expect(pemBlocks(`  ${ec}`)).toHaveLength(0); // BEGIN must start a line
  });
});

describe('signingKeyJwks', () => {
  it('serves the EC P-256 test key exactly as Pomerium does', () => {
    const set = jwksOf(fixture('ec-p256-sec1.pem'));
    expect(JSON.stringify({ keys: set.keys })).toBe(`{"keys":[${EC_JWK}]}`);
  });

  it('serves the RSA test key exactly as Pomerium does, from PKCS#1 and from PKCS#8', () => {
    expect(JSON.stringify({ keys: jwksOf(fixture('rsa-2048-pkcs1.pem')).keys })).toBe(`{"keys":[${RSA_JWK}]}`);
    expect(JSON.stringify({ keys: jwksOf(fixture('rsa-2048-pkcs8.pem')).keys })).toBe(`{"keys":[${RSA_JWK}]}`);
  });

  it('reads PKCS#8 EC keys and ignores the block type, as Go does', () => {
    const relabelled = fixture('ec-p256-pkcs8.pem').replace(/PRIVATE KEY/g, 'WHATEVER');
    expect(JSON.stringify(jwksOf(relabelled).keys)).toBe(`[${EC_JWK}]`);
  });

  it('publishes every block in order and signs with the first', () => {
    const set = jwksOf(fixture('rsa-2048-pkcs1.pem') + fixture('ec-p256-sec1.pem'));
    expect(JSON.stringify(set.keys)).toBe(`[${RSA_JWK},${EC_JWK}]`);
    expect(set.signer).toMatchObject({ alg: 'RS256', kid: 'f0cc8033b422c2a199dcb456dde29589a9f5edd27d1c345bdf308957e957becf' });
  });

  it('gives a signer whose signatures verify with the published key', () => {
    const set = jwksOf(fixture('ec-p256-sec1.pem'));
    const signature = sign('sha256', Buffer.from('payload'), { key: set.signer!.privateKey, dsaEncoding: 'ieee-p1363' });
    const publicKey = { key: set.keys[0]!, format: 'jwk' as const, dsaEncoding: 'ieee-p1363' as const };
    expect(verify('sha256', Buffer.from('payload'), publicKey, signature)).toBe(true);
  });

  it('publishes a PKIX public key, but says that authorize cannot sign with it', () => {
    const set = jwksOf(fixture('ec-p256-public.pem'));
    expect(JSON.stringify(set.keys)).toBe(`[${EC_JWK}]`);
    expect(set).toMatchObject({ signer: null, cannotSign: expect.stringContaining('PEM block 1 is a public key') });
    const later = jwksOf(fixture('rsa-2048-pkcs1.pem') + fixture('ec-p256-public.pem'));
    expect(later).toMatchObject({ signer: null, cannotSign: expect.stringContaining('PEM block 2') });
  });

  it('never puts private members in the published keys', () => {
    const set = jwksOf(fixture('rsa-2048-pkcs1.pem') + fixture('ec-p256-sec1.pem'));
    for (const key of set.keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(member);
  });

  it('left-pads x and y to 32 bytes, as go-jose does', () => {
    let padded = 0;
    for (let i = 0; i < 2000 && padded < 2; i++) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const [key] = jwksOf(privateKey.export({ format: 'pem', type: 'sec1' }) as string).keys;
      if (key?.kty !== 'EC') throw new Error('expected an EC key');
      expect([key.x.length, key.y.length]).toEqual([43, 43]);
      if (Buffer.from(key.x, 'base64url')[0] === 0 || Buffer.from(key.y, 'base64url')[0] === 0) padded++;
    }
    expect(padded).toBeGreaterThan(0);
  });

  it('refuses Ed25519 as Pomerium does', () => {
    const pem = Buffer.from(fixture('ed25519.b64'), 'base64').toString();
    expect(signingKeyJwks(pem)).toEqual({
      error: expect.stringContaining('unsupported key type for signing'),
      reason: 'unsupported',
    });
  });

  it('refuses EC curves other than P-256, naming the curve', () => {
    expect(signingKeyJwks(fixture('p384-sec1.pem'))).toEqual({
      error: expect.stringMatching(/PEM block 1 .*curve P-384.*ES256/),
      reason: 'unsupported',
    });
  });

  it('refuses a certificate, and a block that holds no key, naming the block', () => {
    expect(signingKeyJwks(fixture('ec-p256-sec1.pem') + fixture('ec-p256-cert.pem'))).toEqual({
      error: expect.stringContaining('PEM block 2 ("CERTIFICATE") is a certificate'),
      reason: 'unsupported',
    });
    const garbage = '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n';
    expect(signingKeyJwks(garbage)).toEqual({ error: expect.stringContaining('PEM block 1 ("EC PRIVATE KEY") is not a key'), reason: 'invalid' });
    expect(signingKeyJwks('nothing here')).toMatchObject({ reason: 'invalid' });
  });
});

import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSigningJwks, deriveFromSharedSecret, hasKeyMaterial, pomeriumSigningJwks } from '../../src/jwks/derive.js';
import type { PomeriumModel } from '../../src/pomerium/model-types.js';
import { emptyModel } from '../../src/pomerium/read.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/jwks/${name}`, import.meta.url), 'utf8');

// Pomerium's config/options_test.go "deterministic" case (reference pomerium.md 3.2 vector 4).
const SHARED_SECRET = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU2Nzg5MCsvQUFBQT0=';
const DERIVED_PEM =
  '-----BEGIN EC PRIVATE KEY-----\n' +
  'MHcCAQEEIKgZBs2Con07f98aF1eGk8Z+6pMIXTy9gsMiddPEMhv9oAoGCCqGSM49\n' +
  'AwEHoUQDQgAE2EUdBs4O1nfxBWQ2AIZRnFih9sBmSKp0vhRvcWljmqLxmBISoJMj\n' +
  '9ocNmZaB7dTBIPOBz5rTQQRxwo3egxzK5Q==\n' +
  '-----END EC PRIVATE KEY-----\n';
const DERIVED_JWK =
  '{"use":"sig","kty":"EC","kid":"8fe3586687bf08a811338e8fd503289e323d1417a1a4aaa368cfaeafe9ae6cc5","crv":"P-256","alg":"ES256","x":"2EUdBs4O1nfxBWQ2AIZRnFih9sBmSKp0vhRvcWljmqI","y":"8ZgSEqCTI_aHDZmWge3UwSDzgc-a00EEccKN3oMcyuU"}';
const EC_KID = 'd591aa6e01e57ea8b80f349dc5de8517aa7b1f12f77700d89cbdba83938c0c61';
const RSA_KID = 'f0cc8033b422c2a199dcb456dde29589a9f5edd27d1c345bdf308957e957becf';

describe('deriveFromSharedSecret', () => {
  it('derives the PEM Pomerium derives from the test shared secret, with the expected scalar', () => {
    const derived = deriveFromSharedSecret(SHARED_SECRET);
    expect(derived).toEqual({ pem: DERIVED_PEM });
    const jwk = createPrivateKey(DERIVED_PEM).export({ format: 'jwk' });
    expect(Buffer.from(jwk.d!, 'base64url').toString('hex')).toBe('a81906cd82a27d3b7fdf1a17578693c67eea93085d3cbd82c32275d3c4321bfd');
    expect([jwk.x, jwk.y]).toEqual(['2EUdBs4O1nfxBWQ2AIZRnFih9sBmSKp0vhRvcWljmqI', '8ZgSEqCTI_aHDZmWge3UwSDzgc-a00EEccKN3oMcyuU']);
  });

  it('gives different keys for different secrets', () => {
    const other = deriveFromSharedSecret(Buffer.alloc(32, 7).toString('base64'));
    expect(other).toHaveProperty('pem');
    expect(other).not.toEqual({ pem: DERIVED_PEM });
  });

  it('refuses a secret Pomerium refuses, without quoting it', () => {
    for (const secret of ['', ` ${SHARED_SECRET}`, `${SHARED_SECRET}\n`, SHARED_SECRET.replace('=', ''), 'not base64!']) {
      const result = deriveFromSharedSecret(secret);
      expect(result).toEqual({ error: expect.any(String) });
      expect(JSON.stringify(result)).not.toContain('QUJDREVG');
    }
  });
});

describe('pomeriumSigningJwks', () => {
  const ecBase64 = fixture('ec-p256.b64');
  const rsaPem = fixture('rsa-2048-pkcs1.pem');

  it('derives from shared_secret on v0.33+ when no key is set, byte for byte', () => {
    const result = pomeriumSigningJwks({ sharedSecret: SHARED_SECRET, pomeriumVersion: '0.33.0' });
    if ('error' in result) throw new Error(result.error);
    expect(result.source).toBe('shared_secret');
    expect(JSON.stringify(result.jwks)).toBe(`{"keys":[${DERIVED_JWK}]}`);
    expect(result.signer).toMatchObject({ alg: 'ES256', kid: '8fe3586687bf08a811338e8fd503289e323d1417a1a4aaa368cfaeafe9ae6cc5' });
  });

  it('treats a version it cannot read as current', () => {
    expect(pomeriumSigningJwks({ sharedSecret: SHARED_SECRET, pomeriumVersion: 'main' })).toMatchObject({ source: 'shared_secret' });
    expect(pomeriumSigningJwks({ sharedSecret: SHARED_SECRET, pomeriumVersion: 'v1.0.0' })).toMatchObject({ source: 'shared_secret' });
  });

  it('explains the empty key set of v0.20 to v0.32 without a signing key', () => {
    for (const pomeriumVersion of ['0.32.4', 'v0.20.0']) {
      expect(pomeriumSigningJwks({ sharedSecret: SHARED_SECRET, pomeriumVersion })).toEqual({
        error: expect.stringMatching(/\{"keys":null\}.*no keys found.*v0\.33/),
        reason: 'none',
      });
    }
  });

  it('says so when neither a key nor a shared secret is set', () => {
    expect(pomeriumSigningJwks({ pomeriumVersion: '0.33.1' })).toEqual({ error: expect.stringContaining('random'), reason: 'none' });
  });

  it('reports a bad shared secret as a refused start, not an empty JWKS, and never suggests signing_key', () => {
    // GetSharedKey (v0.33.1 config/options.go): base64.StdEncoding.DecodeString("short") fails; Options.Validate
    // wraps it as "config: invalid shared secret" and Pomerium does not start.
    expect(pomeriumSigningJwks({ sharedSecret: 'short', pomeriumVersion: '0.33.0' })).toEqual({
      error: 'shared_secret is not valid standard base64 (with "=" padding): Pomerium refuses to start ("config: invalid shared secret")',
      reason: 'invalid',
      sharedSecret: true,
    });
    // A shared_secret_file is read verbatim: its trailing newline is "shared secret contains whitespace".
    const fromFile = pomeriumSigningJwks({ sharedSecret: `${SHARED_SECRET}\n`, sharedSecretSource: 'shared_secret_file', pomeriumVersion: '0.33.0' });
    expect(fromFile).toMatchObject({ reason: 'invalid', sharedSecret: true });
    expect('error' in fromFile && fromFile.error).toMatch(/^shared_secret_file has whitespace at its start or end .*Pomerium refuses to start/);
    expect('error' in fromFile && fromFile.error).not.toMatch(/signing_key|empty JWKS/);
  });

  it('uses signing_key (base64 or raw PEM) over shared_secret', () => {
    for (const signingKey of [ecBase64, fixture('ec-p256-sec1.pem')]) {
      const result = pomeriumSigningJwks({ signingKey, sharedSecret: SHARED_SECRET, pomeriumVersion: '0.33.0' });
      expect(result).toMatchObject({ source: 'signing_key', signer: { kid: EC_KID } });
    }
  });

  it('lets the signing_key_file text win over signing_key', () => {
    const result = pomeriumSigningJwks({ signingKey: ecBase64, signingKeyFileText: rsaPem, pomeriumVersion: '0.33.0' });
    expect(result).toMatchObject({ source: 'signing_key_file', signer: { alg: 'RS256', kid: RSA_KID } });
    if ('error' in result) throw new Error(result.error);
    expect(result.jwks.keys.map((k) => k.kid)).toEqual([RSA_KID]);
  });

  it('counts an empty signing_key as unset, but an empty signing_key_file as an empty key set', () => {
    expect(pomeriumSigningJwks({ signingKey: '', sharedSecret: SHARED_SECRET, pomeriumVersion: '0.33.0' })).toMatchObject({
      source: 'shared_secret',
    });
    expect(pomeriumSigningJwks({ signingKeyFileText: '\n', sharedSecret: SHARED_SECRET, pomeriumVersion: '0.33.0' })).toEqual({
      error: expect.stringContaining('signing_key_file is empty'),
      reason: 'none',
    });
  });

  it('names the source when the key is broken or unsupported, never the key', () => {
    const broken = pomeriumSigningJwks({ signingKey: 'abc', pomeriumVersion: '0.33.0' });
    expect(broken).toEqual({ error: expect.stringMatching(/^signing_key: /), reason: 'invalid' });
    const p384 = fixture('p384-sec1.pem');
    const unsupported = pomeriumSigningJwks({ signingKeyFileText: p384, pomeriumVersion: '0.33.0' });
    expect(unsupported).toMatchObject({ reason: 'unsupported' });
    expect(JSON.stringify(unsupported)).not.toContain(p384.split('\n')[1]!.slice(0, 16));
  });

  it('passes on that a public key cannot sign', () => {
    const result = pomeriumSigningJwks({ signingKeyFileText: fixture('ec-p256-public.pem'), pomeriumVersion: '0.33.0' });
    expect(result).toMatchObject({ source: 'signing_key_file', signer: null, cannotSign: expect.any(String), jwks: { keys: [{ kid: EC_KID }] } });
  });
});

describe('configSigningJwks: Pomerium\'s precedence for what a config names', () => {
  const DERIVED_KID = '8fe3586687bf08a811338e8fd503289e323d1417a1a4aaa368cfaeafe9ae6cc5';
  const model = (over: Partial<PomeriumModel>): PomeriumModel => ({ ...emptyModel('pomerium.yaml'), ...over });
  const at = <T>(value: T) => ({ value, span: null });
  const kidOf = (r: ReturnType<typeof configSigningJwks>) => ('jwks' in r ? r.jwks.keys[0]?.kid : r);

  it('reads shared_secret_file verbatim, over shared_secret, only when no signing key is set', () => {
    const files: Record<string, string> = { '/s': SHARED_SECRET, '/nl': `${SHARED_SECRET}\n` };
    const read = (path: string) => files[path] ?? null;
    expect(kidOf(configSigningJwks(model({ sharedSecret: at('bm90IHRoaXM='), sharedSecretFile: at('/s') }), read, '0.33.1'))).toBe(DERIVED_KID);
    expect(configSigningJwks(model({ sharedSecretFile: at('/nl') }), read, '0.33.1')).toMatchObject({ reason: 'invalid' });
    expect(configSigningJwks(model({ sharedSecretFile: at('/gone') }), read, '0.33.1')).toEqual({ unknown: 'shared_secret_file', path: '/gone' });
    // A signing_key_file wins, and the secret file is not even read.
    expect(configSigningJwks(model({ signingKeyFile: { kind: 'file', span: null, path: '/k' }, sharedSecretFile: at('/s') }), read, '0.33.1')).toEqual({ unknown: 'signing_key_file', path: '/k' });
  });

  it('tells a config with no key material (the Ingress Controller keeps it in a Secret)', () => {
    expect(hasKeyMaterial(model({}))).toBe(false);
    expect(hasKeyMaterial(model({ sharedSecretFile: at('/s') }))).toBe(true);
  });
});

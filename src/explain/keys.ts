// Key lookup and signature checks, as go-jose does them for Grafana.
import { createHmac, createPublicKey, createSecretKey, constants, timingSafeEqual, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { PublicJwk } from '../rules/types.js';
import { atLeast } from '../grafana/version.js';

/** Where the keys came from, in words the user recognises (`jwk_set_file /etc/grafana/jwks.json`). */
export interface KeySet {
  keys: PublicJwk[];
  source: string;
  /** What a lint would say about the set; shown beside the verdict, never part of it. */
  advice?: string[];
}

/**
 * go-jose `JSONWebKeySet.Key(kid)`: every key whose `kid` equals the token's exactly. A token without a
 * kid asks for kid "", so it matches only keys without a kid.
 */
export function keysForKid(set: KeySet, kid: string): PublicJwk[] {
  return set.keys.filter((key) => (key.kid ?? '') === kid);
}

// go-jose v4 needs an explicit list; Grafana's (A@main) leaves out RS384. go-jose v2/v3 took any
// algorithm it implements. The v4 switch is placed at 13.0.0 (see GO_JOSE_V4).
const V4_ALGORITHMS = ['EdDSA', 'HS256', 'HS384', 'HS512', 'RS256', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512'];
const GO_JOSE_ALGORITHMS = [...V4_ALGORITHMS, 'RS384'];

/**
 * The first Grafana release whose pkg/services/auth/jwt uses go-jose v4 (explicit algorithm list, "any
 * audience" for `expect_claims.aud`, HMAC minimum key size). UNCONFIRMED: grafana/grafana go.mod at
 * 00033edd (March 2025, about 12.0) still pins go-jose/v3 v3.0.4; key_sets.go at f31913d7, which already
 * has tls_client_ca (grafana#109095, merged 2025-08, so 12.2 or later), imports go-jose/v4; grafana#121830
 * (merged 2026-04-03) updates to v4.1.4. No release tag could be read, so the boundary stays at 13.0.0,
 * the release the project first modelled with v4. auth.go at 8ccd5f4b passes go-jose only ES256; whether
 * a release shipped that list is UNCONFIRMED (Pomerium signs ES256, so its tokens pass either way).
 */
export const GO_JOSE_V4 = '13.0.0';

export function allowedAlgorithms(grafanaVersion: string): string[] {
  return atLeast(grafanaVersion, GO_JOSE_V4) ? V4_ALGORITHMS : GO_JOSE_ALGORITHMS;
}

/** go-jose v4 `symmetricMac.hmac`: RFC 7518 3.2's minimum key size per HMAC algorithm, in bytes. */
export const HMAC_MIN_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };

/** Members only a private key has: go-jose parses such a JWK as a private key, and its verifier refuses it. */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

/** Verifies a JWS signature with one JWK; a key of the wrong type for `alg` fails, as in go-jose. */
export function verifySignature(alg: string, jwk: PublicJwk, signingInput: string, signature: Buffer, grafanaVersion?: string): boolean {
  return verifyWithKey(alg, jwk, signingInput, signature, grafanaVersion).ok;
}

/**
 * go-jose `JSONWebSignature.Verify` with one key from the set, and why it fails. `grafanaVersion`
 * decides the HMAC key-size rule (go-jose v4 only); without it the newest rule applies.
 */
export function verifyWithKey(
  alg: string,
  jwk: PublicJwk,
  signingInput: string,
  signature: Buffer,
  grafanaVersion?: string,
): { ok: boolean; reason: string } {
  const data = Buffer.from(signingInput, 'ascii');
  const crypto = { ok: false, reason: 'go-jose/go-jose: error in cryptographic primitive' };
  if (jwk.kty !== 'oct' && PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) {
    // newVerifier(*ecdsa.PrivateKey / *rsa.PrivateKey / ed25519.PrivateKey) is not a verifier.
    return { ok: false, reason: 'the matching JWK is a private key, which go-jose does not verify with (go-jose/go-jose: unsupported key type/format)' };
  }
  try {
    if (jwk.kty === 'oct') {
      if (!alg.startsWith('HS') || typeof jwk.k !== 'string') return crypto;
      const secret = Buffer.from(jwk.k, 'base64url');
      const min = HMAC_MIN_BYTES[alg] ?? 0;
      if ((grafanaVersion === undefined || atLeast(grafanaVersion, GO_JOSE_V4)) && secret.length < min) {
        return { ok: false, reason: `the ${alg} key is ${secret.length} bytes; go-jose v4 refuses HMAC keys shorter than ${min} bytes (go-jose/go-jose: error in cryptographic primitive)` };
      }
      const mac = createHmac(`sha${alg.slice(2)}`, createSecretKey(secret)).update(data).digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature) ? { ok: true, reason: '' } : crypto;
    }
    if (alg.startsWith('HS')) return crypto;
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    if (!keyFitsAlgorithm(alg, key)) return { ok: false, reason: 'go-jose/go-jose: unknown/unsupported algorithm for this key type' };
    let ok: boolean;
    if (alg === 'EdDSA') ok = verify(null, data, key, signature);
    else if (alg.startsWith('ES')) ok = verify(`sha${alg.slice(2)}`, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    // rsa.VerifyPSS with nil options: any salt length (PSSSaltLengthAuto).
    else if (alg.startsWith('PS')) ok = verify(`sha${alg.slice(2)}`, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
    else ok = verify(`sha${alg.slice(2)}`, data, key, signature);
    return ok ? { ok: true, reason: '' } : crypto;
  } catch {
    return crypto;
  }
}

const CURVE_FOR_ES: Record<string, string> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };

function keyFitsAlgorithm(alg: string, key: KeyObject): boolean {
  const type = key.asymmetricKeyType;
  if (alg.startsWith('ES')) return type === 'ec' && key.asymmetricKeyDetails?.namedCurve === CURVE_FOR_ES[alg];
  if (alg.startsWith('RS') || alg.startsWith('PS')) return type === 'rsa';
  if (alg === 'EdDSA') return type === 'ed25519';
  return false;
}

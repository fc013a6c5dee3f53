// Key lookup and signature checks, as go-jose does them for Grafana.
import { createHmac, createPublicKey, createSecretKey, constants, timingSafeEqual, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { PublicJwk } from '../rules/types.js';
import { atLeast } from '../grafana/version.js';

/** Where the keys came from, in words the user recognises (`jwk_set_file /etc/grafana/jwks.json`). */
export interface KeySet {
  keys: PublicJwk[];
  source: string;
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
 * Grafana moved pkg/services/auth/jwt from go-jose v3 to v4 with grafana#121830 (merged 2026-04-03);
 * the first release with it is taken to be 13.0.0 (UNCONFIRMED). v4 brings the algorithm allow-list
 * and "any audience" matching for `expect_claims.aud`.
 */
export const GO_JOSE_V4 = '13.0.0';

export function allowedAlgorithms(grafanaVersion: string): string[] {
  return atLeast(grafanaVersion, GO_JOSE_V4) ? V4_ALGORITHMS : GO_JOSE_ALGORITHMS;
}

/** Verifies a JWS signature with one JWK; a key of the wrong type for `alg` fails, as in go-jose. */
export function verifySignature(alg: string, jwk: PublicJwk, signingInput: string, signature: Buffer): boolean {
  const data = Buffer.from(signingInput, 'ascii');
  try {
    if (alg.startsWith('HS')) {
      if (jwk.kty !== 'oct' || typeof jwk.k !== 'string') return false;
      const mac = createHmac(`sha${alg.slice(2)}`, createSecretKey(Buffer.from(jwk.k, 'base64url'))).update(data).digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    }
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    if (!keyFitsAlgorithm(alg, key)) return false;
    if (alg === 'EdDSA') return verify(null, data, key, signature);
    const hash = `sha${alg.slice(2)}`;
    if (alg.startsWith('ES')) return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    if (alg.startsWith('PS')) {
      return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
    }
    return verify(hash, data, key, signature);
  } catch {
    return false;
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

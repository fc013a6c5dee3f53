import { createHash } from 'node:crypto';

/** The members RFC 7638 hashes, per key type (values are base64url, as in the JWK). */
export type ThumbprintMembers =
  | { kty: 'EC'; crv: string; x: string; y: string }
  | { kty: 'RSA'; n: string; e: string };

/**
 * Pomerium's `kid`: lowercase hex of the SHA-256 of the RFC 7638 thumbprint input (go-jose
 * `Thumbprint(crypto.SHA256)` then `hex.EncodeToString`). Hex, not the base64url RFC 7638 shows.
 */
export function pomeriumKid(jwk: ThumbprintMembers): string {
  // Object literals keep insertion order, so these are written in lexicographic member order.
  const input =
    jwk.kty === 'EC'
      ? JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })
      : JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(input).digest('hex');
}

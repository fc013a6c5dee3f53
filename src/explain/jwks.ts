// A JWK Set read as Grafana reads it (pkg/services/auth/jwt/key_sets.go: encoding/json into go-jose's
// JSONWebKeySet, each key through go-jose's JSONWebKey.UnmarshalJSON). This decides; what a lint would
// say about the set (validateJwksText) is kept apart as advice and never changes the decision.
import { createPublicKey, X509Certificate, type JsonWebKey } from 'node:crypto';
import { validateJwksText } from '../jwks/validate.js';
import type { PublicJwk } from '../rules/types.js';
import { parseGoJson } from './gojson.js';
import type { KeySet } from './keys.js';

/** rawJSONWebKey's string members (any other JSON type fails the decode; null is left empty). */
const STRING_MEMBERS = ['kty', 'kid', 'crv', 'alg', 'use', 'x5u', 'x5t', 'x5t#S256'];
/** rawJSONWebKey's byteBuffer members: base64url strings. */
const BYTES_MEMBERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'x', 'y'];
/** go-jose `curveSize`: the exact coordinate length an EC JWK must have. */
const EC_COORDINATE_BYTES: Record<string, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

type KeySetResult = KeySet | { error: string; source: string };

/**
 * go-jose accepts a set with EC, RSA, oct and OKP Ed25519 keys, any `use`, and several keys with one
 * kid (the token's kid selects, each match is tried). One key it cannot read (an unknown kty, OKP
 * X25519, a missing member, a duplicate member name) fails the whole decode, and Grafana with it.
 */
export function readKeySetAsGrafana(text: string, source: string): KeySetResult {
  const advice = adviceFor(text);
  const decided = decide(text);
  return 'error' in decided ? { error: decided.error, source } : { keys: decided.keys, source, ...(advice.length ? { advice } : {}) };
}

/** A lint's view of the set, for the note beside the verdict. */
function adviceFor(text: string): string[] {
  const checked = validateJwksText(text);
  return checked.ok ? [] : checked.problems.filter((p) => p.code !== 'no-keys').map((p) => p.message);
}

function decide(text: string): { keys: PublicJwk[] } | { error: string } {
  // encoding/json: a syntax error fails the decode; a byte order mark is a syntax error.
  const doc = parseGoJson(text);
  if ('error' in doc) return { error: `the JWKS is not valid JSON for Go's encoding/json: ${doc.error}` };
  const top = doc.value;
  if (top === null) return { keys: [] };
  if (typeof top !== 'object' || Array.isArray(top)) return { error: `json: cannot unmarshal ${jsonKind(top)} into Go value of type jose.JSONWebKeySet` };
  // encoding/json matches struct fields case-insensitively; the last matching member wins.
  const keysName = Object.keys(top).filter((k) => k.toLowerCase() === 'keys').at(-1);
  const keys = keysName === undefined ? null : (top as Record<string, unknown>)[keysName];
  if (keys === null || keys === undefined) return { keys: [] };
  if (!Array.isArray(keys)) return { error: `json: cannot unmarshal ${jsonKind(keys)} into Go struct field JSONWebKeySet.keys of type []jose.JSONWebKey` };
  const out: PublicJwk[] = [];
  for (const [index, key] of keys.entries()) {
    // go-jose's own decoder reads each key: a member name twice is refused.
    const dup = doc.duplicates.find((d) => d.path.length === 2 && d.path[0] === keysName && d.path[1] === String(index));
    const whole = '; one key go-jose cannot read fails the whole set, so Grafana verifies no token with it';
    if (dup) return { error: `key #${index + 1}: json: duplicate key '${dup.name}' in object${whole}` };
    const read = readKey(key);
    if ('error' in read) return { error: `key #${index + 1}${kidOf(key)}: ${read.error}${whole}` };
    out.push(read.key);
  }
  return { keys: out };
}

/** One JWK through go-jose's `JSONWebKey.UnmarshalJSON` (also how a token's embedded `jwk` header is read). */
export function readKey(key: unknown): { key: PublicJwk } | { error: string } {
  if (key === null) return { error: 'go-jose/go-jose: missing json web key type' };
  if (typeof key !== 'object' || Array.isArray(key)) return { error: `json: cannot unmarshal ${jsonKind(key)} into Go value of type jose.rawJSONWebKey` };
  const jwk = key as Record<string, unknown>;
  for (const m of STRING_MEMBERS) {
    if (jwk[m] !== undefined && jwk[m] !== null && typeof jwk[m] !== 'string') return { error: `json: cannot unmarshal ${jsonKind(jwk[m])} into Go struct field rawJSONWebKey.${m} of type string` };
  }
  for (const m of BYTES_MEMBERS) {
    const v = jwk[m];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return { error: `json: cannot unmarshal ${jsonKind(v)} into Go value of type string` };
    const bare = v.replace(/=+$/, '');
    if (!/^[A-Za-z0-9_-]*$/.test(bare) || bare.length % 4 === 1) return { error: `"${m}" is not base64url (illegal base64 data)` };
  }
  if (Array.isArray(jwk.x5c)) {
    for (const cert of jwk.x5c) {
      try {
        new X509Certificate(Buffer.from(String(cert), 'base64'));
      } catch {
        return { error: 'go-jose/go-jose: failed to unmarshal x5c field' };
      }
    }
  }
  const has = (m: string) => typeof jwk[m] === 'string' && jwk[m] !== '';
  const bytes = (m: string) => Buffer.from(String(jwk[m] ?? ''), 'base64url').length;
  const kty = typeof jwk.kty === 'string' ? jwk.kty : '';
  switch (kty) {
    case '':
      return { error: 'go-jose/go-jose: missing json web key type' };
    case 'oct':
      return has('k') ? { key: jwk as PublicJwk } : { error: 'go-jose/go-jose: invalid OCT (symmetric) key, missing k value' };
    case 'OKP':
      if (jwk.crv !== 'Ed25519') return { error: `go-jose/go-jose: unsupported key type/format (OKP curve ${JSON.stringify(jwk.crv ?? '')}: go-jose reads only Ed25519)` };
      return has('x') ? { key: jwk as PublicJwk } : { error: 'go-jose/go-jose: invalid Ed key, missing x value' };
    case 'EC': {
      const size = EC_COORDINATE_BYTES[String(jwk.crv)];
      if (!size) return { error: `go-jose/go-jose: unsupported elliptic curve '${String(jwk.crv ?? '')}'` };
      if (!has('x') || !has('y')) return { error: 'go-jose/go-jose: invalid EC key, missing x/y values' };
      if (bytes('x') !== size || bytes('y') !== size) return { error: 'go-jose/go-jose: invalid EC public key, wrong length for x or y' };
      return publicPartImports(jwk) ? { key: jwk as PublicJwk } : { error: 'go-jose/go-jose: invalid EC key, point is not on the curve' };
    }
    case 'RSA':
      if (!has('n') || !has('e')) return { error: 'go-jose/go-jose: invalid RSA key, missing n/e values' };
      return publicPartImports(jwk) ? { key: jwk as PublicJwk } : { error: 'go-jose/go-jose: invalid RSA key' };
    default:
      return { error: `go-jose/go-jose: unsupported key type/format (kty ${JSON.stringify(kty)})` };
  }
}

function publicPartImports(jwk: Record<string, unknown>): boolean {
  const { kty, crv, x, y, n, e } = jwk;
  try {
    createPublicKey({ key: { kty, crv, x, y, n, e } as JsonWebKey, format: 'jwk' });
    return true;
  } catch {
    return false;
  }
}

function kidOf(key: unknown): string {
  const kid = key && typeof key === 'object' ? (key as Record<string, unknown>).kid : undefined;
  return typeof kid === 'string' ? ` (kid ${JSON.stringify(kid)})` : '';
}

/** The JSON kind encoding/json names in "cannot unmarshal X into ...". */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value === 'boolean' ? 'bool' : typeof value;
}

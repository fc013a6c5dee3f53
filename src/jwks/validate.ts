import type { JWK } from 'jose';
import { groupBy } from '../core/group-by.js';
import type { JwksProblem, PublicJwk } from './types.js';

/** Algorithms Grafana's JWT verifier accepts (grafana.md 3.4; RS384 is not among them). */
const GRAFANA_ALGS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'HS256', 'HS384', 'HS512'];
/** The accepted algorithms that fit each key type Pomerium publishes (EC keys must be P-256). */
const ALGS_FOR_KTY: Record<string, readonly string[]> = {
  EC: ['ES256'],
  RSA: ['RS256', 'RS512', 'PS256', 'PS384', 'PS512'],
};
/** Members that only a private or secret key has (RFC 7518, and `priv` of AKP keys). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'priv', 'k'];
/** Members go-jose reads as strings: any other JSON type makes Grafana refuse the whole set. */
const STRING_MEMBERS = ['kty', 'kid', 'alg', 'use', 'crv', 'x', 'y', 'n', 'e'];
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MIN_RSA_BITS = 2048;

const NO_KEYS =
  'the JWKS has no keys. Pomerium publishes {"keys":null} when it has no signing key (v0.20 to v0.32 without ' +
  'signing_key), and Grafana then refuses every token with "no keys found"; set signing_key in the Pomerium config';

export type JwksValidation =
  | { ok: true; jwks: { keys: PublicJwk[] }; keys: { kid?: string; alg?: string; kty: string }[] }
  | { ok: false; problems: JwksProblem[] };

/**
 * Checks a JWKS before it is written or trusted: JSON, a non-empty `keys` array, public EC P-256 or
 * RSA (2048+ bits) keys with algorithms Grafana accepts, unique kids. Messages never quote key material.
 */
export function validateJwksText(text: string): JwksValidation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return fail('invalid-json', `the JWKS is not valid JSON${jsonErrorPlace(text, err)}`);
  }
  if (!isObject(parsed)) return fail('not-an-object', 'the JWKS must be a JSON object with a "keys" array');
  const keys = parsed.keys;
  if (keys === undefined || keys === null || (Array.isArray(keys) && keys.length === 0)) return fail('no-keys', NO_KEYS);
  if (!Array.isArray(keys)) return fail('keys-not-array', 'the JWKS member "keys" must be an array');

  const problems = [...keys.flatMap(keyProblems), ...duplicateKidProblems(keys)];
  if (problems.length > 0) return { ok: false, problems };
  const valid = keys as PublicJwk[];
  return { ok: true, jwks: { keys: valid }, keys: valid.map(({ kid, alg, kty }) => ({ kid, alg, kty })) };
}

/**
 * Imports every key with jose, which catches what the shape checks cannot (an EC point that is not
 * on the curve). Only for commands that load jose anyway (fetch-jwks, explain).
 */
export async function importCheck(jwks: { keys: PublicJwk[] }): Promise<JwksProblem[]> {
  const { importJWK } = await import('jose');
  const problems: JwksProblem[] = [];
  for (const [index, key] of jwks.keys.entries()) {
    try {
      await importJWK(key as JWK, key.alg ?? (key.kty === 'EC' ? 'ES256' : 'RS256'));
    } catch (err) {
      // jose and WebCrypto describe the failure without quoting key members.
      problems.push({ code: 'key-import-failed', message: `${keyName(key, index)} cannot be imported: ${(err as Error).message}` });
    }
  }
  return problems;
}

function keyProblems(key: unknown, index: number): JwksProblem[] {
  if (!isObject(key)) return [problem('key-not-object', `key #${index + 1} is not a JSON object`)];
  const name = keyName(key, index);
  const notStrings = STRING_MEMBERS.filter((m) => m in key && typeof key[m] !== 'string');
  if (notStrings.length > 0) {
    return notStrings.map((m) => problem('member-not-string', `${name}: member "${m}" must be a string`));
  }
  const { kty, alg, use } = key as Partial<Record<string, string>>;
  if (kty === undefined) return [problem('missing-kty', `${name} has no "kty" member`)];
  const leaked = PRIVATE_MEMBERS.filter((m) => m in key);
  if (kty === 'oct' || leaked.length > 0) {
    const what = kty === 'oct' ? 'is a secret (kty "oct") key' : `has private members (${leaked.map((m) => `"${m}"`).join(', ')})`;
    return [problem('private-key-material', `${name} ${what}: a JWKS must hold only public keys, and this one leaks a secret`)];
  }
  const algs = ALGS_FOR_KTY[kty];
  if (!algs) return [problem('unsupported-kty', `${name} has kty "${kty}"; Pomerium publishes only EC (P-256) and RSA keys`)];

  const problems: JwksProblem[] = [];
  if (use !== undefined && use !== 'sig') {
    problems.push(problem('bad-use', `${name} has "use": "${use}"; a key that verifies tokens needs "use": "sig" or no "use"`));
  }
  if (alg !== undefined && !GRAFANA_ALGS.includes(alg)) {
    problems.push(problem('alg-not-accepted', `${name} has "alg": "${alg}", which Grafana does not accept`));
  } else if (alg !== undefined && !algs.includes(alg)) {
    problems.push(problem('alg-mismatch', `${name} has "alg": "${alg}", which does not fit a ${kty} key (expected ${algs.join(' or ')})`));
  }
  return [...problems, ...(kty === 'EC' ? ecProblems(key, name) : rsaProblems(key, name))];
}

function ecProblems(key: Record<string, unknown>, name: string): JwksProblem[] {
  if (key.crv !== 'P-256') {
    return [problem('ec-curve', `${name} is on curve ${String(key.crv ?? '(none)')}; Pomerium signs with P-256 (ES256) keys only`)];
  }
  const bad = ['x', 'y'].filter((m) => !isBase64Url(key[m]) || (key[m] as string).length !== 43);
  return bad.map((m) => problem('ec-coordinates', `${name}: "${m}" must be 32 bytes of base64url without padding`));
}

function rsaProblems(key: Record<string, unknown>, name: string): JwksProblem[] {
  const bad = ['n', 'e'].filter((m) => !isBase64Url(key[m]));
  if (bad.length > 0) return bad.map((m) => problem('rsa-members', `${name}: "${m}" must be base64url without padding`));
  const bits = BigInt(`0x${Buffer.from(key.n as string, 'base64url').toString('hex') || '0'}`).toString(2).length;
  return bits < MIN_RSA_BITS ? [problem('rsa-too-short', `${name} has a ${bits}-bit modulus; RSA keys need at least ${MIN_RSA_BITS} bits`)] : [];
}

function duplicateKidProblems(keys: unknown[]): JwksProblem[] {
  const kids = keys.flatMap((key, index) => (isObject(key) && typeof key.kid === 'string' ? [{ kid: key.kid, position: index + 1 }] : []));
  return [...groupBy(kids, (k) => k.kid)]
    .filter(([, sharing]) => sharing.length > 1)
    .map(([kid, sharing]) => problem('duplicate-kid', `keys ${sharing.map((k) => `#${k.position}`).join(', ')} share kid "${kid}"; a kid must name one key`));
}

function keyName(key: Record<string, unknown>, index: number): string {
  return typeof key.kid === 'string' ? `key #${index + 1} (kid "${key.kid}")` : `key #${index + 1}`;
}

/** Where JSON.parse stopped, as line and column; V8's own message may quote the text, so it is not used. */
function jsonErrorPlace(text: string, err: unknown): string {
  const position = /at position (\d+)/.exec((err as Error).message)?.[1];
  if (position === undefined) return text.trim() === '' ? ' (it is empty)' : '';
  const before = text.slice(0, Number(position)).split('\n');
  return ` (line ${before.length}, column ${before.at(-1)!.length + 1})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBase64Url(value: unknown): value is string {
  return typeof value === 'string' && BASE64URL.test(value);
}

function problem(code: string, message: string): JwksProblem {
  return { code, message };
}

function fail(code: string, message: string): JwksValidation {
  return { ok: false, problems: [problem(code, message)] };
}

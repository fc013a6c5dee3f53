import { createECDH, createPrivateKey, hkdfSync, type KeyObject } from 'node:crypto';
import { goTrim } from '../core/go-text.js';
import { atLeast, parseVersion } from '../grafana/version.js';
import { decodeGoStdBase64, decodeSigningKey, signingKeyJwks } from './signing-key.js';
import type { PomeriumModel } from '../pomerium/model-types.js';
import type { KeySetError, PomeriumJwk, Signer } from './types.js';

/** The order n of P-256's base point. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/**
 * Why `GetSharedKey` (config/options.go) refuses a non-empty shared secret, or null: whitespace at either end
 * ("shared secret contains whitespace", so a `shared_secret_file` ending in a newline fails), or not standard
 * base64. `Options.Validate` calls it on every start ("config: invalid shared secret: ..."), signing key or not,
 * so Pomerium refuses to start. Never quotes the secret.
 */
export function sharedSecretProblem(text: string): string | null {
  if (goTrim(text) !== text) return 'has whitespace at its start or end (a file ending in a newline counts)';
  if (!decodeGoStdBase64(text)) return 'is not valid standard base64 (with "=" padding)';
  return null;
}

/** What Pomerium says when it refuses to start over the shared secret (`Options.Validate`). */
export const REFUSED_SHARED_SECRET = 'Pomerium refuses to start ("config: invalid shared secret")';

/**
 * Pomerium v0.33+'s signing key when none is configured (`deriveSigningKey`, config/options.go):
 * HKDF-SHA256 over the decoded shared secret (empty salt, info "derived-jwt-signing-key"), read
 * 40 bytes, d = (int(bytes) mod (n-1)) + 1 on P-256 (`keygen.ECDSALegacy`), as an `EC PRIVATE KEY` PEM.
 * The shared secret is checked as `GetSharedKey` does; errors never quote it.
 */
export function deriveFromSharedSecret(sharedSecretBase64: string): { pem: string } | { error: string } {
  if (sharedSecretBase64 === '') return { error: 'shared_secret is empty' };
  const problem = sharedSecretProblem(sharedSecretBase64);
  if (problem) return { error: `shared_secret ${problem}` };
  const ikm = decodeGoStdBase64(sharedSecretBase64)!;
  const stream = Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'derived-jwt-signing-key', 40));
  const d = (BigInt(`0x${stream.toString('hex')}`) % (P256_ORDER - 1n)) + 1n;
  return { pem: p256PrivateKey(d).export({ format: 'pem', type: 'sec1' }) as string };
}

function p256PrivateKey(d: bigint): KeyObject {
  const scalar = Buffer.from(d.toString(16).padStart(64, '0'), 'hex');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  const point = ecdh.getPublicKey(); // 0x04 || x || y
  const b64 = (bytes: Buffer) => bytes.toString('base64url');
  return createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', d: b64(scalar), x: b64(point.subarray(1, 33)), y: b64(point.subarray(33)) },
    format: 'jwk',
  });
}

/** Whether this Pomerium derives its signing key from shared_secret (v0.33.0+). Unparseable counts as current. */
function derivesFromSharedSecret(pomeriumVersion: string): boolean {
  return !parseVersion(pomeriumVersion) || atLeast(pomeriumVersion, '0.33.0');
}

export type SigningKeySourceName = 'signing_key_file' | 'signing_key' | 'shared_secret';

export type PomeriumSigningJwks = { jwks: { keys: PomeriumJwk[] }; source: SigningKeySourceName } & (
  | { signer: Signer }
  | { signer: null; cannotSign: string }
);

/**
 * The JWKS Pomerium serves and the key it signs with, from what is configured, with Pomerium's
 * precedence (`GetSigningKey`): the `signing_key_file` text wins over `signing_key`; with neither,
 * v0.33+ derives the key from `shared_secret` and older versions serve `{"keys":null}`.
 *
 * `signingKeyFileText` is undefined when no file is configured (an empty string is an empty file);
 * an empty `signingKey` counts as not set, as in Pomerium.
 */
export function pomeriumSigningJwks(input: {
  signingKey?: string;
  signingKeyFileText?: string;
  sharedSecret?: string;
  /** Where sharedSecret came from, for messages (default shared_secret). */
  sharedSecretSource?: 'shared_secret' | 'shared_secret_file';
  pomeriumVersion: string;
}): PomeriumSigningJwks | KeySetError {
  const configured =
    input.signingKeyFileText !== undefined
      ? { text: input.signingKeyFileText, source: 'signing_key_file' as const }
      : input.signingKey
        ? { text: input.signingKey, source: 'signing_key' as const }
        : null;
  if (configured) {
    if (goTrim(configured.text) === '') {
      return {
        error: `${configured.source} is empty: Pomerium serves an empty JWKS ({"keys":null}) and does not fall back to shared_secret`,
        reason: 'none',
      };
    }
    const decoded = decodeSigningKey(configured.text);
    if ('error' in decoded) return { error: `${configured.source}: ${decoded.error}`, reason: 'invalid' };
    return withSource(signingKeyJwks(decoded.pems.join('')), configured.source);
  }
  if (!derivesFromSharedSecret(input.pomeriumVersion)) {
    return {
      error:
        `no signing_key is set: Pomerium ${input.pomeriumVersion} serves an empty JWKS ({"keys":null}) and signs ` +
        'with a random key made at start, so Grafana cannot verify its JWTs ("no keys found"); set signing_key, ' +
        'or upgrade to v0.33+, which derives the key from shared_secret',
      reason: 'none',
    };
  }
  if (!input.sharedSecret) {
    return {
      error:
        'neither signing_key nor shared_secret is set: Pomerium serves an empty JWKS, or in all-in-one mode a key ' +
        'derived from a random secret made at each start, so the JWKS changes on every restart; set signing_key or shared_secret',
      reason: 'none',
    };
  }
  const problem = sharedSecretProblem(input.sharedSecret);
  if (problem) return { error: `${input.sharedSecretSource ?? 'shared_secret'} ${problem}: ${REFUSED_SHARED_SECRET}`, reason: 'invalid', sharedSecret: true };
  const derived = deriveFromSharedSecret(input.sharedSecret);
  if ('error' in derived) return { error: derived.error, reason: 'invalid' };
  return withSource(signingKeyJwks(derived.pem), 'shared_secret');
}

function withSource(
  set: ReturnType<typeof signingKeyJwks>,
  source: SigningKeySourceName,
): PomeriumSigningJwks | KeySetError {
  if ('error' in set) return set;
  const { keys, ...signing } = set;
  return { jwks: { keys }, source, ...signing };
}

/** A key file the config names that cannot be read where this tool runs ("could not check"). */
export interface UnreadableKeyFile {
  unknown: 'signing_key_file' | 'shared_secret_file';
  path: string;
}

/**
 * `pomeriumSigningJwks` for a config, with Pomerium's precedence for the files it names
 * (`GetSigningKey`, `GetSharedKey`): `signing_key_file` wins over `signing_key`; without a key,
 * `shared_secret_file`, read verbatim, wins over `shared_secret`. `read` gives a file's text, or null
 * when it cannot be read here.
 */
export function configSigningJwks(
  model: PomeriumModel,
  read: (path: string) => string | null,
  pomeriumVersion: string,
): PomeriumSigningJwks | KeySetError | UnreadableKeyFile {
  const keyFile = model.signingKeyFile?.path;
  const signingKeyFileText = keyFile === undefined ? undefined : read(keyFile);
  if (signingKeyFileText === null) return { unknown: 'signing_key_file', path: keyFile! };
  const secretFile = !model.signingKey && keyFile === undefined ? model.sharedSecretFile?.value : undefined;
  const sharedSecret = secretFile === undefined ? model.sharedSecret?.value : read(secretFile);
  if (sharedSecret === null) return { unknown: 'shared_secret_file', path: secretFile! };
  return pomeriumSigningJwks({
    ...(model.signingKey?.text ? { signingKey: model.signingKey.text } : {}),
    ...(signingKeyFileText !== undefined ? { signingKeyFileText } : {}),
    ...(sharedSecret ? { sharedSecret, sharedSecretSource: secretFile === undefined ? 'shared_secret' : 'shared_secret_file' } : {}),
    pomeriumVersion,
  });
}

/**
 * Whether the config holds any key material at all. Under the Pomerium Ingress Controller it usually
 * does not: the keys live in the Secret its Pomerium resource names, which this tool does not read.
 */
export function hasKeyMaterial(model: PomeriumModel): boolean {
  return Boolean(model.signingKey || model.signingKeyFile || model.sharedSecret || model.sharedSecretFile);
}

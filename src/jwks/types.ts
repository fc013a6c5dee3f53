import type { KeyObject } from 'node:crypto';
import type { PublicJwk } from '../rules/types.js';

export type { PublicJwk };

/** A JWK exactly as Pomerium serves it: go-jose's member order, which JSON.stringify keeps. */
export type PomeriumEcJwk = {
  use: 'sig';
  kty: 'EC';
  kid: string;
  crv: 'P-256';
  alg: 'ES256';
  x: string;
  y: string;
};
export type PomeriumRsaJwk = { use: 'sig'; kty: 'RSA'; kid: string; alg: 'RS256'; n: string; e: string };
export type PomeriumJwk = PomeriumEcJwk | PomeriumRsaJwk;

/** The key Pomerium's authorize service signs the assertion JWT with (the first PEM block). */
export interface Signer {
  alg: 'ES256' | 'RS256';
  kid: string;
  privateKey: KeyObject;
}

/**
 * The JWKS a signing key produces. `keys` is what Pomerium publishes; `signer` is null when
 * authorize could not sign with this key material, and `cannotSign` says why.
 */
export type SigningKeySet =
  | { keys: PomeriumJwk[]; signer: Signer }
  | { keys: PomeriumJwk[]; signer: null; cannotSign: string };

/**
 * Why there is no usable key set: `none` = Pomerium serves `{"keys":null}`; `invalid` = the key
 * material is broken (Pomerium answers the JWKS with HTTP 500 or refuses it); `unsupported` = a
 * key Pomerium reads but cannot sign with.
 */
export interface KeySetError {
  error: string;
  reason: 'none' | 'invalid' | 'unsupported';
  /** The shared secret is what is wrong: Pomerium refuses to start (pomerium/invalid-value reports it). */
  sharedSecret?: boolean;
}

/** One thing wrong with a JWKS; `code` is stable (kebab-case), `message` names the key. */
export interface JwksProblem {
  code: string;
  message: string;
}

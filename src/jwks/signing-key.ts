import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { goTrim } from '../core/go-text.js';
import { pomeriumKid } from './kid.js';
import type { KeySetError, PomeriumJwk, SigningKeySet } from './types.js';

/**
 * Go's `base64.StdEncoding.DecodeString`: standard alphabet, `=` padding required, `\r` and `\n`
 * ignored anywhere, any other character (a space included) fails. Null when Go would fail.
 */
export function decodeGoStdBase64(text: string): Buffer | null {
  const s = text.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  return Buffer.from(s, 'base64');
}

export interface PemBlock {
  type: string;
  der: Buffer;
  /** The block as written, from `-----BEGIN` to its END line, ending with one newline. */
  text: string;
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';

/**
 * The PEM blocks in `data`, in order, found by the rules of Go's `pem.Decode` (which Pomerium's
 * `loadKeys` calls in a loop): BEGIN at a line start, headers skipped, the END line must repeat the
 * type, and a block that fails any check is skipped silently.
 */
export function pemBlocks(data: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let pos = 0;
  for (;;) {
    let start = pos;
    if (!data.startsWith(BEGIN, pos)) {
      const at = data.indexOf(`\n${BEGIN}`, pos);
      if (at < 0) return blocks;
      start = at + 1;
    }
    const read = readBlock(data, start);
    if (read.block) blocks.push(read.block);
    pos = read.next;
  }
}

/** Go's getLine: the line without its `\n`, one `\r` and trailing blanks; and where the next line starts. */
function lineAt(data: string, pos: number): [line: string, next: number] {
  const nl = data.indexOf('\n', pos);
  let line = nl < 0 ? data.slice(pos) : data.slice(pos, nl);
  if (nl >= 0 && line.endsWith('\r')) line = line.slice(0, -1);
  return [line.replace(/[ \t]+$/, ''), nl < 0 ? data.length : nl + 1];
}

/** One block starting at `start` (a BEGIN line), or where Go resumes its search when it is not one. */
function readBlock(data: string, start: number): { block?: PemBlock; next: number } {
  const [typeLine, bodyStart] = lineAt(data, start + BEGIN.length);
  if (!typeLine.endsWith(DASHES)) return { next: bodyStart };
  const type = typeLine.slice(0, -DASHES.length);

  let pos = bodyStart;
  let hasHeaders = false;
  for (;;) {
    if (pos >= data.length) return { next: data.length };
    const [line, next] = lineAt(data, pos);
    if (!line.includes(':')) break;
    hasHeaders = true;
    pos = next;
  }

  let bodyEnd: number;
  let trailer: number;
  if (!hasHeaders && data.startsWith(END, pos)) {
    bodyEnd = pos;
    trailer = pos + END.length;
  } else {
    bodyEnd = data.indexOf(`\n${END}`, pos);
    if (bodyEnd < 0) return { next: pos };
    trailer = bodyEnd + 1 + END.length;
  }
  const endLine = type + DASHES;
  if (!data.startsWith(endLine, trailer)) return { next: pos };
  const endLineEnd = trailer + endLine.length;
  const [restOfEndLine, next] = lineAt(data, endLineEnd);
  if (restOfEndLine !== '') return { next: pos };
  const der = decodeGoStdBase64(data.slice(pos, bodyEnd).replace(/[ \t]/g, ''));
  if (!der) return { next: pos };
  return { block: { type, der, text: `${data.slice(start, endLineEnd)}\n` }, next };
}

/**
 * Pomerium's reading of `signing_key` / the `signing_key_file` text (`GetSigningKey`): trimmed; if it
 * base64-decodes (StdEncoding) the decoded bytes are used, else the text itself; then its PEM blocks.
 * Errors describe the text, never quote it.
 */
export function decodeSigningKey(text: string): { pems: string[] } | { error: string } {
  const trimmed = goTrim(text);
  const decoded = decodeGoStdBase64(trimmed);
  const pems = pemBlocks(decoded ? decoded.toString('latin1') : trimmed).map((b) => b.text);
  if (pems.length > 0) return { pems };
  if (trimmed === '') return { error: 'it is empty' };
  if (decoded) return { error: 'it is valid base64, but what it decodes to holds no PEM block' };
  if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) {
    return {
      error:
        'it looks like base64 but is not valid standard base64 (Go needs "=" padding and no spaces), ' +
        'so Pomerium reads it as PEM text and finds no PEM block',
    };
  }
  return { error: 'it holds no PEM block (a "-----BEGIN ...-----" line with its matching END line)' };
}

/** Go's `loadPrivateKey` order: SEC1 EC, PKCS#1 RSA, PKCS#8 (the block type is not looked at). */
const PRIVATE_DER_TYPES = ['sec1', 'pkcs1', 'pkcs8'] as const;

function attempt<T>(make: () => T): T | null {
  try {
    return make();
  } catch {
    return null;
  }
}

/** `loadPublicKey`: a private key (of which the public half is published), else a PKIX public key. */
function parseKey(der: Buffer): KeyObject | null {
  for (const type of PRIVATE_DER_TYPES) {
    const key = attempt(() => createPrivateKey({ key: der, format: 'der', type }));
    if (key) return key;
  }
  return attempt(() => createPublicKey({ key: der, format: 'der', type: 'spki' }));
}

const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp224r1: 'P-224' };

/** Why Pomerium could not sign with this key, or null when it can (`SignatureAlgorithmForKey`). */
function unsupportedReason(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'rsa') return null;
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
    if (curve === 'prime256v1') return null;
    // Pomerium labels every EC key ES256 without looking at the curve; signing then fails.
    return `is an EC key on curve ${CURVE_NAMES[curve] ?? curve}; Pomerium labels every EC key ES256, which needs a P-256 key`;
  }
  return `is a key of type ${key.asymmetricKeyType ?? 'unknown'}; Pomerium refuses it ("unsupported key type for signing"): use an EC P-256 or RSA key`;
}

function readBlockKey(block: PemBlock, label: string): { key: KeyObject } | KeySetError {
  const key = parseKey(block.der);
  if (!key) {
    if (attempt(() => new X509Certificate(block.der))) {
      return { error: `${label} is a certificate; Pomerium needs the key itself`, reason: 'unsupported' };
    }
    return {
      error: `${label} is not a key Pomerium can read (an EC SEC1, RSA PKCS#1 or PKCS#8 private key, or a PKIX public key)`,
      reason: 'invalid',
    };
  }
  const unsupported = unsupportedReason(key);
  return unsupported ? { error: `${label} ${unsupported}`, reason: 'unsupported' } : { key };
}

/** The JWK Pomerium publishes for a key (go-jose's marshal of the public half). */
function pomeriumJwk(key: KeyObject): PomeriumJwk {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  if (pub.asymmetricKeyType === 'ec') {
    // Node pads x and y to the field size, as go-jose does.
    const { x, y } = jwk as { x: string; y: string };
    return { use: 'sig', kty: 'EC', kid: pomeriumKid({ kty: 'EC', crv: 'P-256', x, y }), crv: 'P-256', alg: 'ES256', x, y };
  }
  const { n, e } = jwk as { n: string; e: string };
  return { use: 'sig', kty: 'RSA', kid: pomeriumKid({ kty: 'RSA', n, e }), alg: 'RS256', n, e };
}

/**
 * The JWKS Pomerium serves for this PEM text (`PublicJWKsFromBytes`), one key per block in order,
 * and the signer authorize uses: the first block, but only when every block is a private key
 * (`PrivateJWKFromBytes` reads them all as private keys).
 */
export function signingKeyJwks(pemText: string): SigningKeySet | KeySetError {
  const blocks = pemBlocks(pemText);
  if (blocks.length === 0) return { error: 'the signing key holds no PEM block', reason: 'invalid' };
  const parsed: KeyObject[] = [];
  for (const [i, block] of blocks.entries()) {
    const read = readBlockKey(block, `PEM block ${i + 1} ("${block.type}")`);
    if ('error' in read) return read;
    parsed.push(read.key);
  }
  const keys = parsed.map(pomeriumJwk);
  const publicAt = parsed.findIndex((key) => key.type !== 'private');
  if (publicAt >= 0) {
    const cannotSign =
      `PEM block ${publicAt + 1} is a public key: Pomerium publishes it, but authorize reads every block ` +
      'as a private key (and signs with the first), so it cannot sign with this key set';
    return { keys, signer: null, cannotSign };
  }
  const first = keys[0]!;
  return { keys, signer: { alg: first.alg, kid: first.kid, privateKey: parsed[0]! } };
}

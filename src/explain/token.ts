// Token intake: what the user pasted -> the header Grafana would read and the compact JWS inside it.
import { parseGoJson, type GoJsonDocument } from './gojson.js';

/** The header Pomerium puts the assertion in (`HeaderPomeriumJWTAssertion`). */
export const POMERIUM_JWT_HEADER = 'X-Pomerium-Jwt-Assertion';

export interface TokenIntake {
  /** The header name when a `Name: value` line was pasted, else null. */
  headerName: string | null;
  /** The header value as pasted (what `r.Header.Get` returns). */
  headerValue: string;
  /** What Grafana verifies: the value after `strings.TrimPrefix(value, "Bearer ")`. */
  token: string;
  /** Whether Grafana removed a `Bearer ` prefix. */
  strippedBearer: boolean;
}

/**
 * Reads a raw token, `Bearer <token>`, or a header line `X-Pomerium-Jwt-Assertion: <token>`.
 * Only the first non-empty line counts (a pasted header block holds one header per line).
 */
export function readTokenInput(input: string): TokenIntake {
  const line = input.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  // A header name is an RFC 9110 token; a JWT never contains ':'.
  const header = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(line);
  const headerName = header ? header[1]! : null;
  const headerValue = header ? header[2]!.trim() : line;
  // Grafana trims exactly "Bearer " (case-sensitive, one space), nothing else.
  const strippedBearer = headerValue.startsWith('Bearer ');
  return { headerName, headerValue, token: strippedBearer ? headerValue.slice(7) : headerValue, strippedBearer };
}

/** Go's `textproto.CanonicalMIMEHeaderKey`: `x-pomerium-jwt-assertion` -> `X-Pomerium-Jwt-Assertion`. */
export function canonicalHeaderKey(name: string): string {
  // Go leaves names with characters outside the token set (space, '_' is fine) unchanged.
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

export interface DecodedJws {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /**
   * What go-jose signs over: `base64url(header) "." base64url(payload)`, re-encoded from the decoded
   * bytes as `computeAuthData` does (so non-canonical base64 in the token does not count).
   */
  signingInput: string;
  signature: Buffer;
  /** The header and payload as go-jose's JSON decoder sees them (duplicate member names, out-of-range numbers). */
  headerDoc?: GoJsonDocument;
  payloadDoc?: GoJsonDocument;
}

/**
 * Splits and decodes a compact JWS as go-jose does after Grafana's `sanitizeJWT` (which drops every `=`).
 * Returns a reason instead of throwing: a token that does not parse is a finding, not a crash.
 */
export function decodeCompactJws(token: string): DecodedJws | { error: string } {
  const parts = token.replaceAll('=', '').split('.');
  if (parts.length !== 3) {
    return { error: `a compact JWT has 3 dot-separated parts, this one has ${parts.length}` };
  }
  const [h, p, s] = parts as [string, string, string];
  const b64url = /^[A-Za-z0-9_-]*$/;
  if (![h, p, s].every((part) => b64url.test(part))) return { error: 'a part is not base64url' };
  // base64.RawURLEncoding: a last group of one character cannot hold a byte.
  const short = [h, p, s].findIndex((part) => part.length % 4 === 1);
  if (short >= 0) return { error: `part ${short + 1} is not base64url: illegal base64 data at input byte ${[h, p, s][short]!.length - 1}` };
  const headerBytes = Buffer.from(h, 'base64url');
  const payloadBytes = Buffer.from(p, 'base64url');
  const headerDoc = parseGoJson(headerBytes.toString('utf8'));
  if ('error' in headerDoc) return { error: `the JOSE header is not JSON: ${headerDoc.error}` };
  if (!isObject(headerDoc.value)) return { error: 'the JOSE header is not a JSON object' };
  const payloadDoc = parseGoJson(payloadBytes.toString('utf8'));
  if ('error' in payloadDoc) return { error: `the payload is not JSON: ${payloadDoc.error}` };
  if (!isObject(payloadDoc.value)) return { error: 'the payload is not a JSON object, so it does not decode into the standard claims' };
  return {
    header: headerDoc.value,
    claims: payloadDoc.value,
    signingInput: `${headerBytes.toString('base64url')}.${payloadBytes.toString('base64url')}`,
    signature: Buffer.from(s, 'base64url'),
    headerDoc,
    payloadDoc,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

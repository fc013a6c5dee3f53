// Token intake: what the user pasted -> the header Grafana would read and the compact JWS inside it.

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
  /** `base64url(header) "." base64url(payload)`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
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
  const header = parseJsonObject(Buffer.from(h, 'base64url').toString('utf8'));
  if (!header) return { error: 'the JOSE header is not a JSON object' };
  const claims = parseJsonObject(Buffer.from(p, 'base64url').toString('utf8'));
  if (!claims) return { error: 'the payload is not a JSON object' };
  return { header, claims, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

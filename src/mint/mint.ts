// The assertion JWT Pomerium would send on a route: its claims (pomerium.md section 2) and its
// signature with the configured key (`getSignedJWT`). Pure: files, clock and random ids come in.
import { sign } from 'node:crypto';
import { atLeast } from '../grafana/version.js';
import type { Signer } from '../jwks/types.js';
import type { PomeriumModel, PomeriumRoute } from '../pomerium/model-types.js';
import { expectedAudience, expectedIssuer, jwtClaimsFor } from '../pomerium/jwt.js';

/** Pomerium's token lifetime (`exp = iat + 300`, v0.27.0+). */
export const POMERIUM_TTL_SECONDS = 300;

export interface MintRequest {
  model: PomeriumModel;
  route: PomeriumRoute;
  /** The request host (the route's host for a plain route). */
  host: string;
  pomeriumVersion: string;
  email: string;
  sub: string;
  name: string;
  groups: string[];
  /** Values for `jwt_claims_headers` claims, as the IdP would give them (lists already `,`-joined). */
  extraValues: Record<string, string>;
  now: Date;
  ttlSeconds: number;
  jti: string;
  sid: string;
  /** Before v0.27: the ID token's issued-at (Unix seconds), which became `iat`; assumed `now` when not given. */
  idTokenIssuedAt?: number;
  /** Before v0.27: the session's expiry (Unix seconds), which capped `exp`; assumed later than `exp` when not given. */
  sessionExpiresAt?: number;
}

/**
 * `iat` and `exp` as that Pomerium version sets them. Since v0.27.0 (bf1d22813) the time of the request and
 * that plus the lifetime; before, v0.26.1 authorize/evaluator/opa/policy/headers.rego: `iat` the ID token's
 * `issued_at`, `exp = min(now + 5m, session.expires_at)`.
 */
export function mintTimes(req: Pick<MintRequest, 'now' | 'ttlSeconds' | 'pomeriumVersion' | 'idTokenIssuedAt' | 'sessionExpiresAt'>): { iat: number; exp: number } {
  const now = Math.floor(req.now.getTime() / 1000);
  if (atLeast(req.pomeriumVersion, '0.27.0')) return { iat: now, exp: now + req.ttlSeconds };
  const exp = Math.min(now + req.ttlSeconds, req.sessionExpiresAt ?? Number.POSITIVE_INFINITY);
  return { iat: req.idTokenIssuedAt ?? now, exp };
}

/**
 * The payload for the route, with the claims that Pomerium version sends. Keys come out sorted, as Go's
 * `json.Marshal` writes a map. Extras the IdP would not provide (no value given) are left out, as Pomerium does.
 */
export function mintClaims(req: MintRequest): { claims: Record<string, unknown> } | { error: string } {
  const iss = expectedIssuer(req.model, req.route, req.host, req.pomeriumVersion);
  if (iss === null) {
    return { error: `cannot tell the issuer: before v0.22 it is the authenticate host, and authenticate_service_url is not set` };
  }
  const { iat, exp } = mintTimes(req);
  const values: Record<string, unknown> = {
    iss,
    aud: expectedAudience(req.host),
    // Before v0.27 the jti was the session id (bf1d22813); since, a fresh UUID per token.
    jti: atLeast(req.pomeriumVersion, '0.27.0') ? req.jti : req.sid,
    iat,
    exp,
    sub: req.sub,
    user: req.sub,
    email: req.email,
    groups: req.groups,
    sid: req.sid,
    name: req.name,
    ...req.extraValues,
  };
  const names = [...jwtClaimsFor(req.model, req.pomeriumVersion).claims].filter((c) => values[c] !== undefined).sort();
  return { claims: Object.fromEntries(names.map((c) => [c, values[c]])) };
}

/** The JOSE header Pomerium sends; go-jose writes its members in this (sorted) order. */
function pomeriumJoseHeader(signer: Pick<Signer, 'alg' | 'kid'>): { alg: string; kid: string; typ: 'JWT' } {
  return { alg: signer.alg, kid: signer.kid, typ: 'JWT' };
}

/** A compact JWS over `claims`, signed with Pomerium's first signing key. */
export function signJwt(claims: Record<string, unknown>, signer: Signer): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const signingInput = `${encode(pomeriumJoseHeader(signer))}.${encode(claims)}`;
  const data = Buffer.from(signingInput, 'ascii');
  const signature =
    signer.alg === 'ES256'
      ? sign('sha256', data, { key: signer.privateKey, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', data, signer.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

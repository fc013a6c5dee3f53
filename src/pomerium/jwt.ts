// What Pomerium puts in the X-Pomerium-Jwt-Assertion JWT for a route, and where its keys are
// published, by Pomerium version (reference: pomerium.md sections 2 and 3.1).
import { parseUrl } from '../core/url.js';
import { atLeast } from '../grafana/version.js';
import type { PomeriumModel, PomeriumRoute } from './model-types.js';
import { effectiveIssuerFormat } from './routes.js';

/** The claims every token carries, with the release that added them. */
const BASE_CLAIMS: readonly { claim: string; since: string }[] = [
  ...['iss', 'aud', 'jti', 'exp', 'iat', 'sub', 'user', 'email', 'groups'].map((claim) => ({ claim, since: '0.0.0' })),
  { claim: 'sid', since: '0.15.0' },
  { claim: 'name', since: '0.18.0' },
];

const HOSTED_AUTHENTICATE = new Set(['authenticate.pomerium.app', 'authenticate.staging.pomerium.app']);

const JWKS_PATH = '/.well-known/pomerium/jwks.json';

/** Whether a URL points at Pomerium's hosted authenticate service (not your Pomerium, not your keys). */
export function isHostedAuthenticate(url: string): boolean {
  const host = parseUrl(url)?.hostname.toLowerCase();
  return host !== undefined && HOSTED_AUTHENTICATE.has(host);
}

/** The explicitly configured, self-hosted authenticate URL, if there is one. */
function selfHostedAuthenticate(model: PomeriumModel): URL | null {
  const configured = model.authenticateServiceUrl?.value;
  return configured && !isHostedAuthenticate(configured) ? parseUrl(configured) : null;
}

/**
 * The claims in every route's JWT: the base claims of that release, plus each `jwt_claims_headers`
 * claim that is not a base claim (`extras`; Pomerium adds them, `,`-joined, when the IdP has them).
 * `jwt_claims_headers` is global, so every route gets the same set.
 */
export function jwtClaimsFor(model: PomeriumModel, pomeriumVersion: string): { claims: Set<string>; extras: string[] } {
  const claims = new Set(BASE_CLAIMS.filter((c) => atLeast(pomeriumVersion, c.since)).map((c) => c.claim));
  const extras = [...new Set(Object.values(model.jwtClaimsHeaders?.value ?? {}))].filter((c) => !claims.has(c));
  for (const c of extras) claims.add(c);
  return { claims, extras };
}

/** `aud`: always the bare request host, whatever the issuer format. */
export function expectedAudience(host: string): string {
  return host.toLowerCase().replace(/:\d+$/, '');
}

/**
 * `iss` for a request to `host` on this route. Since v0.22 it is the route host (`https://host/` with
 * `jwt_issuer_format: uri`); before, the authenticate service host. Null when that is unknown
 * (no authenticate_service_url before v0.22) or `host` is still a wildcard.
 */
export function expectedIssuer(model: PomeriumModel, route: PomeriumRoute, host: string, pomeriumVersion: string): string | null {
  if (host.includes('*')) return null;
  const audience = expectedAudience(host);
  if (atLeast(pomeriumVersion, '0.22.0')) {
    return effectiveIssuerFormat(model, route, pomeriumVersion).value === 'uri' ? `https://${audience}/` : audience;
  }
  const configured = model.authenticateServiceUrl && parseUrl(model.authenticateServiceUrl.value);
  return configured ? configured.hostname.toLowerCase() : null;
}

/**
 * Where Grafana should fetch the JWKS. Since v0.20 every host Pomerium serves publishes it, so the
 * route's own host (which Grafana's users reach anyway); before, only the authenticate host. Never
 * the hosted authenticate.pomerium.app: that one publishes Pomerium's keys, not yours.
 */
export function jwksUrlFor(model: PomeriumModel, route: PomeriumRoute, pomeriumVersion: string): { url: string; why: string } {
  const authenticate = selfHostedAuthenticate(model);
  if (!atLeast(pomeriumVersion, '0.20.0') && authenticate) {
    return { url: `${authenticate.origin}${JWKS_PATH}`, why: 'before v0.20 Pomerium published the JWKS only on the authenticate service host' };
  }
  const from = route.from && parseUrl(route.from.value);
  if (from && from.hostname !== '' && !from.hostname.includes('*')) {
    return {
      url: `https://${from.host}${JWKS_PATH}`,
      why: atLeast(pomeriumVersion, '0.20.0')
        ? 'since v0.20 every host Pomerium serves publishes the JWKS; the route host is one Grafana can reach'
        : 'before v0.20 only the authenticate host published the JWKS, and authenticate_service_url is not set: the route host is a guess',
    };
  }
  if (authenticate) {
    return { url: `${authenticate.origin}${JWKS_PATH}`, why: 'the route host is a wildcard; the self-hosted authenticate host publishes the same JWKS' };
  }
  return {
    url: `https://${from?.host ?? 'ROUTE-HOST'}${JWKS_PATH}`,
    why: 'the route has no single host: put one real host that reaches this Pomerium in place of the placeholder',
  };
}

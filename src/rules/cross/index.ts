import type { Rule } from '../types.js';
import anyUserAdmin from './any-user-admin.js';
import expectClaims from './expect-claims.js';
import hostHeader from './host-header.js';
import jwkSetFile from './jwk-set-file.js';
import jwkSetUrl from './jwk-set-url.js';
import jwkSetUrlTrust from './jwk-set-url-trust.js';
import jwtClaims from './jwt-claims.js';
import keyFile from './key-file.js';
import noGrafanaRoute from './no-grafana-route.js';
import passIdentityHeaders from './pass-identity-headers.js';
import servedJwks from './served-jwks.js';
import signIn from './sign-in.js';
import signoutRedirect from './signout-redirect.js';
import upstreamPort from './upstream-port.js';

/** The cross/ rules, in the order their docs list them. */
export const CROSS_RULES: Rule[] = [
  noGrafanaRoute,
  passIdentityHeaders,
  jwkSetUrl,
  jwkSetFile,
  keyFile,
  servedJwks,
  jwtClaims,
  expectClaims,
  signoutRedirect,
  anyUserAdmin,
  hostHeader,
  upstreamPort,
  signIn,
  jwkSetUrlTrust,
] as Rule[];

// One sign-in simulation: the token Pomerium would send on the Grafana route for a user (mint's claim
// model, signed with the configured key where known) and what Grafana does with it (explain's steps),
// or, when Grafana's auth proxy is the sign-in path, what that proxy does with the headers Pomerium
// sends. Pure: models, a clock and ids come in; steps come out as data with the line responsible.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { Span } from '../core/span.js';
import { jwtSettingsOf } from '../explain/settings.js';
import type { KeySet } from '../explain/keys.js';
import { walkToken, type ExplainInput, type Identity, type Step } from '../explain/steps.js';
import { explainToken, type Explanation } from '../explain/verdict.js';
import { POMERIUM_JWT_HEADER } from '../explain/token.js';
import { parseGoBool } from '../grafana/ini-values.js';
import type { GrafanaModel } from '../grafana/model-types.js';
import type { PomeriumSigningJwks, UnreadableKeyFile } from '../jwks/derive.js';
import type { KeySetError, PublicJwk, Signer } from '../jwks/types.js';
import { mintClaims, POMERIUM_TTL_SECONDS, signJwt } from '../mint/mint.js';
import { jwtClaimsFor } from '../pomerium/jwt.js';
import type { PomeriumModel, PomeriumRoute } from '../pomerium/model-types.js';
import { effectivePassIdentityHeaders } from '../pomerium/routes.js';
import { evaluatePolicy, type PolicyOutcome } from './policy.js';
import { simulateProxy } from './proxy.js';
import { responsibleFor, type Responsible } from './responsible.js';

export type { Responsible };

/** The user whose sign-in is simulated. `claims`: `jwt_claims_headers` claims as the IdP gives them (lists `,`-joined). */
export interface SimulatedUser {
  email: string;
  sub: string;
  name: string;
  groups: string[];
  claims: Record<string, string>;
}

export interface SignInInput {
  grafana: GrafanaModel;
  pomerium: PomeriumModel;
  route: PomeriumRoute;
  /** The request host (the route's host). */
  host: string;
  grafanaVersion: string;
  pomeriumVersion: string;
  user: SimulatedUser;
  /** Pomerium's key material (doctor's `ctx.signing`, or what the loader derived). */
  signing: PomeriumSigningJwks | KeySetError | UnreadableKeyFile | null;
  /** The keys Grafana verifies with, when known apart from Pomerium's (explain --as --jwks); default: the set Pomerium serves. */
  grafanaKeys?: KeySet | { error: string; source: string };
  at: Date;
  ids: { jti: string; sid: string };
}

/** A step as explain words it, plus the setting behind a failure and whether the outcome rests on IdP data. */
export interface SignInStep extends Omit<Step, 'step'> {
  step: Step['step'] | 'policy' | 'whitelist' | 'header_property';
  responsible: Responsible | null;
  /** Claims the step reads that only the IdP fills (jwt_claims_headers extras, the name) and the user was not given; empty: none. */
  idpClaims: string[];
}

export interface SignIn {
  /** Grafana's sign-in path for this config: JWT (also when nothing is on), or the auth proxy. */
  path: 'jwt' | 'proxy';
  policy: PolicyOutcome;
  /** explain's verdict and fields; `steps` are the SignInSteps. */
  explanation: Omit<Explanation, 'steps'> & { steps: SignInStep[] };
  /** Whether the signature was made with Pomerium's configured key (else a throwaway key stands in). */
  signedWithPomeriumKey: boolean;
  /** The token simulated (what `smoke` sends to a running Grafana); null on the auth proxy path. */
  token: string | null;
  /** Who Grafana makes of the token (explain's walk); null when it signs nobody in, or on the auth proxy path. */
  identity: Identity | null;
  /** Why Pomerium strips the JWT header on the route (pass_identity_headers not true); null when it sends it. */
  headerStripped: string | null;
  /** What Grafana alone does with the token, whatever Pomerium's policy says (`smoke` sends it to Grafana directly). */
  grafanaOutcome: SignIn['explanation'];
}

/** Grafana's sign-in path: JWT when `[auth.jwt] enabled`, else the auth proxy when it is on, else JWT (which fails: off). */
export function signInPath(grafana: GrafanaModel): 'jwt' | 'proxy' {
  const on = (section: string) => parseGoBool(grafana.effective(section, 'enabled')) === true;
  return !on('auth.jwt') && on('auth.proxy') ? 'proxy' : 'jwt';
}

/** Claims Pomerium puts in the JWT only when the IdP provides them (the extras), and `name`. */
export function idpClaims(pomerium: PomeriumModel, pomeriumVersion: string): Set<string> {
  return new Set([...jwtClaimsFor(pomerium, pomeriumVersion).extras, 'name']);
}

function policyStep(policy: PolicyOutcome, email: string): SignInStep {
  const responsible = { setting: 'policy', span: policy.span, file: policy.span?.file ?? null };
  if (policy.admitted === false) return { step: 'policy', ok: false, detail: `Pomerium's policy does not admit ${email} on this route: ${policy.detail}`, responsible, idpClaims: [] };
  return { step: 'policy', ok: true, detail: policy.detail, responsible: null, idpClaims: [] };
}

/** Signs with Pomerium's key when it is known; otherwise with a throwaway key, which then also verifies. */
function signerFor(signing: SignInInput['signing']): { signer: Signer; keys: PublicJwk[]; source: string; real: boolean } {
  if (signing && 'signer' in signing && signing.signer) {
    return { signer: signing.signer, keys: signing.jwks.keys, source: `the JWKS Pomerium serves for its ${signing.source}`, real: true };
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = 'simulated';
  const jwk = { ...(createPublicKey(privateKey).export({ format: 'jwk' }) as PublicJwk), kid, alg: 'ES256', use: 'sig' };
  return { signer: { alg: 'ES256', kid, privateKey }, keys: [jwk], source: "a stand-in key (Pomerium's signing key is not known here, so the signature is not what is checked)", real: false };
}

export function simulateSignIn(input: SignInInput): SignIn | { error: string } {
  const { grafana, pomerium, route, user } = input;
  const policy = evaluatePolicy(route, { email: user.email, groups: user.groups, sub: user.sub, claims: user.claims });
  const first = policyStep(policy, user.email);
  const path = signInPath(grafana);
  if (path === 'proxy') {
    const proxy = simulateProxy(input);
    return finish(path, policy, first, proxy, { real: false, token: null, identity: null, stripped: null });
  }

  const minted = mintClaims({
    model: pomerium,
    route,
    host: input.host,
    pomeriumVersion: input.pomeriumVersion,
    email: user.email,
    sub: user.sub,
    name: user.name,
    groups: user.groups,
    extraValues: Object.fromEntries(Object.entries(user.claims).filter(([k]) => jwtClaimsFor(pomerium, input.pomeriumVersion).extras.includes(k))),
    now: input.at,
    ttlSeconds: POMERIUM_TTL_SECONDS,
    jti: input.ids.jti,
    sid: input.ids.sid,
  });
  if ('error' in minted) return minted;
  const { signer, keys, source, real } = signerFor(input.signing);
  const token = signJwt(minted.claims, signer);
  const pass = effectivePassIdentityHeaders(pomerium, route);
  const stripped = pass.value
    ? null
    : `Pomerium strips ${POMERIUM_JWT_HEADER} on the route ${route.from?.value ?? input.host}: pass_identity_headers is not set to true, so Grafana never sees the token`;
  const explainInput: ExplainInput = {
    intake: { headerName: null, headerValue: token, token, strippedBearer: false },
    settings: jwtSettingsOf(grafana),
    keySet: input.grafanaKeys ?? { keys, source },
    pomeriumKids: real ? keys.map((k) => k.kid ?? '') : null,
    headerStripped: stripped,
    at: input.at,
    grafanaVersion: input.grafanaVersion,
  };
  const explanation = explainToken(explainInput);
  const idp = new Set([...idpClaims(pomerium, input.pomeriumVersion)].filter((c) => !(c in user.claims) && !(c === 'name' && user.name !== '')));
  const steps = explanation.steps.map((s) => ({ ...s, ...responsibleFor(s, { grafana, pomerium, route, idpClaims: idp }) }));
  const identity = walkToken(explainInput).identity;
  return finish(path, policy, first, { ...explanation, steps }, { real, token, identity, stripped });
}

function finish(
  path: SignIn['path'],
  policy: PolicyOutcome,
  first: SignInStep,
  outcome: SignIn['explanation'],
  made: { real: boolean; token: string | null; identity: Identity | null; stripped: string | null },
): SignIn {
  const steps = [first, ...outcome.steps];
  const common = { path, policy, signedWithPomeriumKey: made.real, token: made.token, identity: made.identity, headerStripped: made.stripped, grafanaOutcome: outcome };
  if (first.ok) return { ...common, explanation: { ...outcome, steps } };
  // Pomerium answers 403 itself: Grafana never sees the request.
  return {
    ...common,
    explanation: { ...outcome, steps, verdict: 'rejected', summary: first.detail, role: null, orgId: null, grafanaAdmin: false },
  };
}

export type { Span };

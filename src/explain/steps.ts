// The walk: Grafana's steps for one token, each passed or failed with the reason, and what comes out.
import { atLeast } from '../grafana/version.js';
import { checkExpectations, parseExpectClaims } from './expect.js';
import { searchString } from './jmespath.js';
import { allowedAlgorithms, keysForKid, verifySignature, type KeySet } from './keys.js';
import { resolveRole, type OrgRole, type RoleSettings } from './role.js';
import { checkTimes } from './times.js';
import { canonicalHeaderKey, decodeCompactJws, POMERIUM_JWT_HEADER, type TokenIntake } from './token.js';

/** The `[auth.jwt]` and `[users]` settings the walk reads, already parsed the way Grafana parses them. */
export interface JwtSettings extends RoleSettings {
  enabled: boolean;
  headerName: string;
  usernameClaim: string;
  emailClaim: string;
  usernameAttributePath: string;
  emailAttributePath: string;
  /** Raw JSON text of `expect_claims`. */
  expectClaims: string;
  autoSignUp: boolean;
}

export type StepId = 'header' | 'token' | 'sub' | 'key' | 'signature' | 'time' | 'expect_claims' | 'login/email' | 'name' | 'role' | 'sign-up';

export interface Step {
  step: StepId;
  ok: boolean;
  detail: string;
}

export interface ExplainInput {
  intake: TokenIntake;
  settings: JwtSettings;
  /** The keys Grafana verifies with, or why they could not be had. */
  keySet: KeySet | { error: string; source: string };
  /** kids Pomerium signs with today (from its config), to tell a stale set from a wrong one. */
  pomeriumKids: string[] | null;
  /** Why Pomerium does not deliver the header on the token's route (its config says so), or null. */
  headerStripped?: string | null;
  at: Date;
  grafanaVersion: string;
}

export interface Identity {
  login: string;
  email: string;
  name: string;
  orgRoles: OrgRole[];
  /** Whether the role comes from the token (false: `auto_assign_org_role`, for new users). */
  roleFromToken: boolean;
  grafanaAdmin: boolean | null;
  /** What Grafana answers a user it does not know yet: null when it creates them (`auto_sign_up`). */
  newUserRefusal: string | null;
}

export interface Walk {
  steps: Step[];
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  identity: Identity | null;
}

// *_attribute_path for login and email came in 11.0.0 (grafana#85305); auto_sign_up in 8.4.0.
const ATTRIBUTE_PATHS = '11.0.0';
const AUTO_SIGN_UP = '8.4.0';
// 10.1 moved JWT onto authn, whose user sync says "Sign up is disabled"; before, "User not found".
const AUTHN_SIGN_UP_MESSAGE = '10.1.0';

export function walkToken(input: ExplainInput): Walk {
  const { intake, settings: s, grafanaVersion: version } = input;
  const steps: Step[] = [headerStep(intake, s, input.headerStripped ?? null)];
  const done = (header: Record<string, unknown> | null = null, claims: Record<string, unknown> | null = null): Walk => ({
    steps,
    header,
    claims,
    identity: null,
  });

  const jws = decodeCompactJws(intake.token);
  if ('error' in jws) {
    const bearer = /^bearer\s/i.test(intake.token) ? ` (Grafana removes only "Bearer " with a capital B and one space)` : '';
    steps.push({ step: 'token', ok: false, detail: `not a JWT: ${jws.error}${bearer}` });
    return done();
  }
  const { header, claims } = jws;
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const algs = allowedAlgorithms(version);
  steps.push(
    algs.includes(alg)
      ? { step: 'token', ok: true, detail: `a signed JWT, alg ${alg}` }
      : { step: 'token', ok: false, detail: `alg ${JSON.stringify(header.alg ?? null)} is not one Grafana ${version} accepts (${algs.join(', ')})` },
  );

  const sub = claims.sub;
  steps.push(
    typeof sub === 'string' && sub !== ''
      ? { step: 'sub', ok: true, detail: `sub ${JSON.stringify(sub)} (Grafana's auth id for this user)` }
      : {
          step: 'sub',
          ok: false,
          detail: `the token has no non-empty string sub claim, so Grafana's JWT client skips it without a word and the request falls through to the other sign-in methods (login page or anonymous); Pomerium sends sub = "" only without a session`,
        },
  );

  const keys = keyStep(input, typeof header.kid === 'string' ? header.kid : '', 'kid' in header);
  steps.push(keys.step);
  steps.push(signatureStep(alg, keys.matches, jws.signingInput, jws.signature));
  steps.push({ step: 'time', ...checkTimes(claims, input.at) });
  const expect = parseExpectClaims(s.expectClaims);
  steps.push({
    step: 'expect_claims',
    ...('error' in expect ? { ok: false, detail: `Grafana does not start: ${expect.error}` } : checkExpectations(expect, claims, version)),
  });

  const who = loginAndEmail(claims, s, version);
  steps.push(who.step);
  const name = typeof claims.name === 'string' ? claims.name : '';
  steps.push({
    step: 'name',
    ok: true,
    detail: name ? `display name ${JSON.stringify(name)} (top-level name claim)` : 'no string name claim: the user gets no display name from the token',
  });
  const role = resolveRole(claims, s, version);
  steps.push({ step: 'role', ok: role.ok, detail: role.detail });
  const signUp = signUpStep(s, version, who.login, who.email);
  steps.push(signUp.step);
  return {
    steps,
    header,
    claims,
    identity: {
      login: who.login,
      email: who.email,
      name,
      orgRoles: role.orgRoles,
      roleFromToken: role.fromToken,
      grafanaAdmin: role.grafanaAdmin,
      newUserRefusal: signUp.refusal,
    },
  };
}

function headerStep(intake: TokenIntake, s: JwtSettings, stripped: string | null): Step {
  const fail = (detail: string): Step => ({ step: 'header', ok: false, detail });
  if (!s.enabled) return fail('[auth.jwt] enabled is not true: Grafana never looks at the header');
  if (s.headerName === '') return fail('[auth.jwt] header_name is empty: the JWT client never runs (url_login alone is not enough)');
  const wanted = canonicalHeaderKey(s.headerName);
  if (/[_\s]/.test(s.headerName)) {
    return fail(`header_name ${JSON.stringify(s.headerName)} has '_' or a space: Grafana reads ${wanted}, which never equals ${POMERIUM_JWT_HEADER} (and proxies drop underscore headers)`);
  }
  const sent = intake.headerName ? canonicalHeaderKey(intake.headerName) : POMERIUM_JWT_HEADER;
  if (sent !== wanted) {
    return fail(`Grafana reads ${wanted} (header_name) but the token travels in ${sent}${intake.headerName ? '' : ' (the header Pomerium sends)'}`);
  }
  if (stripped) return fail(stripped);
  const bearer = intake.strippedBearer ? '; Grafana strips the "Bearer " prefix' : '';
  return { step: 'header', ok: true, detail: `Grafana reads ${wanted}, the header ${intake.headerName ? 'given' : 'Pomerium sends'}${bearer}` };
}

function keyStep(input: ExplainInput, kid: string, hasKid: boolean): { step: Step; matches: KeySet['keys'] } {
  const set = input.keySet;
  if ('error' in set) return { step: { step: 'key', ok: false, detail: `could not get the keys from ${set.source}: ${set.error}` }, matches: [] };
  const matches = keysForKid(set, kid);
  const kidText = hasKid ? `kid ${kid}` : 'no kid';
  if (matches.length > 0) {
    return { step: { step: 'key', ok: true, detail: `${kidText}: ${matches.length} matching key${matches.length > 1 ? 's' : ''} in ${set.source}` }, matches };
  }
  let why: string;
  if (set.keys.length === 0) {
    why = `${set.source} has no keys at all (Pomerium without a signing key serves {"keys":null})`;
  } else if (!hasKid || kid === '') {
    why = `the token has no kid and every key in ${set.source} has one: go-jose matches a kid-less token only to keys without a kid`;
  } else {
    const known = set.keys.map((k) => k.kid ?? '(none)').join(', ');
    why = `${set.source} has no key with kid ${kid} (it has: ${known})`;
    if (input.pomeriumKids?.includes(kid)) why += '; Pomerium signs with this key now, so the set was fetched before the signing key rotated: fetch it again';
    else if (input.pomeriumKids) why += '; the Pomerium config does not sign with it either: the token comes from another Pomerium or key';
  }
  return { step: { step: 'key', ok: false, detail: `${why} (Grafana: "no keys found")` }, matches };
}

function signatureStep(alg: string, matches: KeySet['keys'], signingInput: string, signature: Buffer): Step {
  if (matches.length === 0) return { step: 'signature', ok: false, detail: 'not checked: no key to check it with' };
  // Grafana tries each matching key and keeps the first that verifies.
  const good = matches.find((key) => verifySignature(alg, key, signingInput, signature));
  return good
    ? { step: 'signature', ok: true, detail: `verifies with ${good.kty} key ${good.kid ?? '(no kid)'}` }
    : { step: 'signature', ok: false, detail: 'the signature does not verify with the matching key: another key with the same kid signed it, or the token was altered (go-jose: "error in cryptographic primitive")' };
}

function loginAndEmail(claims: Record<string, unknown>, s: JwtSettings, version: string): { step: Step; login: string; email: string } {
  const pathsRead = atLeast(version, ATTRIBUTE_PATHS);
  const notes: string[] = [];
  const pick = (what: 'login' | 'email', claimKey: string, path: string, setting: string): string | { error: string } => {
    if (claimKey !== '') {
      if (path !== '') notes.push(`${setting}_attribute_path is ignored because ${setting}_claim is set`);
      const value = claims[claimKey];
      notes.push(`${what} from claim ${claimKey}${typeof value === 'string' || value === undefined ? '' : ` (a ${typeof value}, so empty: only strings count)`}`);
      return typeof value === 'string' ? value : '';
    }
    if (path === '') return '';
    if (!pathsRead) {
      notes.push(`${setting}_attribute_path is not read before Grafana 11.0`);
      return '';
    }
    const r = searchString(path, claims);
    if ('error' in r) return r;
    notes.push(`${what} from ${setting}_attribute_path ${path}`);
    return r.value;
  };
  const login = pick('login', s.usernameClaim, s.usernameAttributePath, 'username');
  const email = pick('email', s.emailClaim, s.emailAttributePath, 'email');
  for (const r of [login, email]) {
    if (typeof r !== 'string') return { step: { step: 'login/email', ok: false, detail: r.error }, login: '', email: '' };
  }
  const [l, e] = [login as string, email as string];
  if (l === '' && e === '') {
    const hint = s.usernameClaim === '' && s.emailClaim === '' && s.usernameAttributePath === '' && s.emailAttributePath === '' ? ': set email_claim = email (Pomerium always sends email)' : '';
    return { step: { step: 'login/email', ok: false, detail: `missing login and email claim in JWT${notes.length ? ` (${notes.join('; ')})` : ''}${hint}` }, login: l, email: e };
  }
  return { step: { step: 'login/email', ok: true, detail: `login ${JSON.stringify(l)}, email ${JSON.stringify(e)} (${notes.join('; ')})` }, login: l, email: e };
}

function signUpStep(s: JwtSettings, version: string, login: string, email: string): { step: Step; refusal: string | null } {
  const who = [email && `email ${email}`, login && `login ${login}`].filter(Boolean).join(' or ') || 'these claims';
  if (!atLeast(version, AUTO_SIGN_UP)) {
    const refusal = '401 {"message":"User not found"}';
    return { step: { step: 'sign-up', ok: true, detail: `Grafana ${version} never creates JWT users (auto_sign_up came in 8.4): a user with ${who} must exist, else ${refusal}` }, refusal };
  }
  if (s.autoSignUp) return { step: { step: 'sign-up', ok: true, detail: 'auto_sign_up = true: a user Grafana does not know yet is created' }, refusal: null };
  const refusal = atLeast(version, AUTHN_SIGN_UP_MESSAGE) ? '401 "Sign up is disabled"' : '401 {"message":"User not found"}';
  const detail = `auto_sign_up is off: if no Grafana user has ${who}, Grafana answers ${refusal}; create the user first or set [auth.jwt] auto_sign_up = true`;
  return { step: { step: 'sign-up', ok: true, detail }, refusal };
}

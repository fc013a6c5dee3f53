// The walk: Grafana's steps for one token, each passed or failed with the reason, and what comes out.
import { X509Certificate } from 'node:crypto';
import { grafanaKey, isReadIn } from '../grafana/defaults.js';
import { atLeast } from '../grafana/version.js';
import { checkExpectations, parseExpectClaims } from './expect.js';
import { searchString, searchStringArray } from './jmespath.js';
import { readKey } from './jwks.js';
import { allowedAlgorithms, GO_JOSE_V4, keysForKid, PRIVATE_JWK_MEMBERS, verifyWithKey, type KeySet } from './keys.js';
import { resolveRole, type OrgRole, type RoleSettings } from './role.js';
import { checkTimes, goTypeName, type CheckResult } from './times.js';
import { canonicalHeaderKey, decodeCompactJws, POMERIUM_JWT_HEADER, type DecodedJws, type TokenIntake } from './token.js';

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
  /** `groups_attribute_path` (10.4+); optional so that older callers still type-check. */
  groupsAttributePath?: string;
}

export type StepId = 'header' | 'token' | 'sub' | 'key' | 'signature' | 'time' | 'expect_claims' | 'login/email' | 'name' | 'groups' | 'role' | 'sign-up';

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

/**
 * How Grafana ends up with the token: `never-sees` (the header does not reach the JWT client), `skipped`
 * (the client's Test() fails, so the request falls through to the next sign-in method: login page or
 * anonymous), `rejected` (Authenticate fails), `accepted`.
 */
export type Outcome = 'never-sees' | 'skipped' | 'rejected' | 'accepted';

export interface Walk {
  steps: Step[];
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  identity: Identity | null;
  /** The step Grafana fails on first, in the order of its code (not the order the steps are listed). */
  decisive?: Step | null;
  outcome?: Outcome;
  /** What a lint would say about the key set: beside the verdict, never part of it. */
  advice?: string[];
  /** Groups from groups_attribute_path (team sync input); null when the path is not set or not read. */
  groups?: string[] | null;
}

/**
 * Grafana's order, as ranks: Test() (header, token parse, standard claims and sub), then Verify (key,
 * signature), validateClaims (claim types, iss/sub/aud, times, other expect_claims), then Authenticate
 * (JMESPath for login and email, groups, role and orgs, "missing login and email").
 */
const RANK = {
  header: 0,
  token: 1,
  sub: 2,
  config: 3,
  key: 4,
  signature: 5,
  types: 6,
  registered: 7,
  times: 8,
  custom: 9,
  loginPath: 10,
  groups: 11,
  role: 12,
  loginEmpty: 13,
  signUp: 14,
} as const;

// *_attribute_path for login and email came in 11.0.0 (grafana#85305); auto_sign_up in 8.4.0.
const ATTRIBUTE_PATHS = '11.0.0';
/** The Grafana release JWT `auto_sign_up` came in (also read by `users check`). */
export const AUTO_SIGN_UP = '8.4.0';
// 10.1 moved JWT onto authn, whose user sync says "Sign up is disabled"; before, "User not found".
/** From this Grafana release a JWT user it does not know is refused with "Sign up is disabled" (also `users check`). */
export const AUTHN_SIGN_UP_MESSAGE = '10.1.0';

export function walkToken(input: ExplainInput): Walk {
  const { intake, settings: s, grafanaVersion: version } = input;
  const steps: Step[] = [];
  const ranked: { step: Step; rank: number }[] = [];
  const push = (step: Step, rank: number) => {
    steps.push(step);
    ranked.push({ step, rank });
  };
  const advice = 'keys' in input.keySet ? (input.keySet.advice ?? []) : [];
  const finish = (walk: Omit<Walk, 'decisive' | 'outcome' | 'advice'>): Walk => {
    const failed = ranked.filter((r) => !r.step.ok).sort((a, b) => a.rank - b.rank)[0];
    const outcome: Outcome = !failed
      ? walk.identity ? 'accepted' : 'rejected'
      : failed.rank === RANK.header
        ? 'never-sees'
        : failed.rank <= RANK.sub
          ? 'skipped'
          : 'rejected';
    return { ...walk, decisive: failed?.step ?? null, outcome, advice };
  };
  push(headerStep(intake, s, input.headerStripped ?? null), RANK.header);

  const jws = decodeCompactJws(intake.token);
  if ('error' in jws) {
    const bearer = /^bearer\s/i.test(intake.token) ? ` (Grafana removes only "Bearer " with a capital B and one space)` : '';
    push({ step: 'token', ok: false, detail: `not a JWT: ${jws.error}${bearer}` }, RANK.token);
    return finish({ steps, header: null, claims: null, identity: null });
  }
  const { header, claims } = jws;
  const alg = typeof header.alg === 'string' ? header.alg : '';
  push(tokenStep(jws, alg, version), RANK.token);
  push(testStep(jws), RANK.sub);

  const expect = parseExpectClaims(s.expectClaims);
  const keys = keyStep(input, typeof header.kid === 'string' ? header.kid : '', 'kid' in header && header.kid !== null);
  push(keys.step, RANK.key);
  push(signatureStep(alg, keys.matches, jws, version), RANK.signature);
  const times = checkTimes(claims, input.at);
  push({ step: 'time', ok: times.ok, detail: times.detail }, RANK[times.phase ?? 'times']);
  const expected: CheckResult = 'error' in expect ? { ok: false, detail: `Grafana does not start: ${expect.error}` } : checkExpectations(expect, claims, version);
  push({ step: 'expect_claims', ok: expected.ok, detail: expected.detail }, 'error' in expect ? RANK.config : RANK[expected.phase ?? 'custom']);

  const who = loginAndEmail(claims, s, version);
  push(who.step, who.pathError ? RANK.loginPath : RANK.loginEmpty);
  const name = typeof claims.name === 'string' ? claims.name : '';
  push(
    {
      step: 'name',
      ok: true,
      detail: name ? `display name ${JSON.stringify(name)} (top-level name claim)` : 'no string name claim: the user gets no display name from the token',
    },
    RANK.signUp,
  );
  const groups = groupsStep(claims, s, version);
  if (groups) push(groups.step, RANK.groups);
  const role = resolveRole(claims, s, version);
  push({ step: 'role', ok: role.ok, detail: role.detail }, RANK.role);
  const signUp = signUpStep(s, version, who.login, who.email);
  push(signUp.step, RANK.signUp);
  return finish({
    steps,
    header,
    claims,
    groups: groups?.groups ?? null,
    identity: {
      login: who.login,
      email: who.email,
      name,
      orgRoles: role.orgRoles,
      roleFromToken: role.fromToken,
      grafanaAdmin: role.grafanaAdmin,
      newUserRefusal: signUp.refusal,
    },
  });
}

const SKIPS = "so Grafana's JWT client skips the token (its Test() fails) and the request falls through to the next sign-in method (login page or anonymous)";

/** `jwt.ParseSigned` with Grafana's algorithm list: what HasSubClaim (Test) and Verify both run first. */
function tokenStep(jws: DecodedJws, alg: string, version: string): Step {
  const fail = (why: string): Step => ({ step: 'token', ok: false, detail: `${why}, ${SKIPS}` });
  const dup = jws.headerDoc?.duplicates[0];
  if (dup) {
    const where = dup.path.length ? ` inside "${dup.path.join('.')}"` : '';
    return fail(`the JOSE header has the member ${JSON.stringify(dup.name)} twice${where}: go-jose's JSON decoder refuses duplicate member names (JavaScript would keep the last)`);
  }
  if (jws.headerDoc?.overflows.length) return fail(`the JOSE header holds a number outside float64's range (in "${jws.headerDoc.overflows[0]!.join('.')}"), which Go cannot decode`);
  const { header } = jws;
  for (const member of ['kid', 'alg', 'nonce']) {
    const v = header[member];
    if (v !== undefined && v !== null && typeof v !== 'string') return fail(`the header's "${member}" is a ${goTypeName(v)}, not a string: go-jose cannot read the header`);
  }
  const embedded = embeddedKeyProblem(header);
  if (embedded) return fail(embedded);
  const algs = allowedAlgorithms(version);
  if (atLeast(version, GO_JOSE_V4) && !algs.includes(alg)) {
    return fail(`alg ${JSON.stringify(header.alg ?? null)} is not in the list Grafana ${version} passes to go-jose (${algs.join(', ')})`);
  }
  return { step: 'token', ok: true, detail: `a signed JWT, alg ${alg || '(none)'}` };
}

/** rawHeader.sanitized and parseSigned: an embedded `jwk` must read as a public key, `x5c` as certificates. */
function embeddedKeyProblem(header: Record<string, unknown>): string | null {
  const jwk = header.jwk;
  if (jwk !== undefined && jwk !== null) {
    const read = readKey(jwk);
    if ('error' in read) return `the header's embedded "jwk" does not read as a key (${read.error})`;
    if (PRIVATE_JWK_MEMBERS.some((m) => m in read.key)) return 'the header embeds a private "jwk" (go-jose/go-jose: invalid embedded jwk, must be public key)';
  }
  const x5c = header.x5c;
  if (x5c !== undefined && x5c !== null) {
    if (!Array.isArray(x5c) || !x5c.every((c) => typeof c === 'string')) return 'the header\'s "x5c" is not a list of strings (failed to unmarshal x5c header)';
    for (const cert of x5c) {
      try {
        new X509Certificate(Buffer.from(cert, 'base64'));
      } catch {
        return 'the header\'s "x5c" holds something that is not a certificate (failed to unmarshal x5c header: x509: malformed certificate)';
      }
    }
  }
  return null;
}

/** Test(): HasSubClaim decodes the payload, unverified, into go-jose's `jwt.Claims` and wants a non-empty sub. */
function testStep(jws: DecodedJws): Step {
  const fail = (why: string): Step => ({ step: 'sub', ok: false, detail: `${why}, ${SKIPS}` });
  const { claims } = jws;
  const dup = jws.payloadDoc?.duplicates.find((d) => d.path.length === 0);
  if (dup) return fail(`the payload has the member ${JSON.stringify(dup.name)} twice: go-jose's JSON decoder refuses duplicate member names (JavaScript would keep the last)`);
  for (const name of ['iss', 'sub', 'jti']) {
    const v = claims[name];
    if (v !== undefined && v !== null && typeof v !== 'string') return fail(`"${name}" is a ${goTypeName(v)}: go-jose's jwt.Claims wants a string there`);
  }
  if ('aud' in claims) {
    const aud = claims.aud;
    const ok = typeof aud === 'string' || (Array.isArray(aud) && aud.every((a) => typeof a === 'string'));
    if (!ok) return fail(`"aud" is ${aud === null ? 'null' : `a ${goTypeName(aud)}`}${Array.isArray(aud) ? ' holding a non-string' : ''}: go-jose's jwt.Claims wants a string or an array of strings`);
  }
  for (const name of ['exp', 'nbf', 'iat']) {
    const v = claims[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number') return fail(`"${name}" is a ${goTypeName(v)}: go-jose's NumericDate wants a number`);
    if (!Number.isFinite(v)) return fail(`"${name}" is a number outside float64's range, which go-jose's NumericDate cannot parse`);
  }
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '') {
    return fail('the token has no non-empty string sub claim (Pomerium sends sub = "" only without a session)');
  }
  return { step: 'sub', ok: true, detail: `sub ${JSON.stringify(sub)} (Grafana's auth id for this user)` };
}

/** groups_attribute_path (10.4+): evaluated on every sign-in, even with skip_org_role_sync; an error rejects. */
function groupsStep(claims: Record<string, unknown>, s: JwtSettings, version: string): { step: Step; groups: string[] } | null {
  const path = s.groupsAttributePath ?? '';
  const key = grafanaKey('auth.jwt', 'groups_attribute_path');
  if (path === '' || (key && !isReadIn(key, version))) return null;
  const r = searchStringArray(path, claims);
  if ('error' in r) return { step: { step: 'groups', ok: false, detail: `groups_attribute_path fails: ${r.error} (Grafana rejects the sign-in, even with skip_org_role_sync)` }, groups: [] };
  return { step: { step: 'groups', ok: true, detail: `groups ${JSON.stringify(r.value)} from groups_attribute_path (team sync, Grafana Enterprise)` }, groups: r.value };
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

/**
 * Verify: `token.Claims(key, &claims)` for each key the kid selects, keeping the first that works; each
 * try runs go-jose's verifier (a private JWK is no verifier), its `crit` check, the signature, and then
 * the decode of the payload into a map.
 */
function signatureStep(alg: string, matches: KeySet['keys'], jws: DecodedJws, version: string): Step {
  if (matches.length === 0) return { step: 'signature', ok: false, detail: 'not checked: no key to check it with' };
  const crit = critProblem(jws.header);
  let reason = '';
  for (const key of matches) {
    const tried = verifyWithKey(alg, key, jws.signingInput, jws.signature, version);
    const privateKey = !tried.ok && /private key/.test(tried.reason);
    if (privateKey || !crit) reason = tried.reason;
    else reason = crit;
    if (tried.ok && !crit) {
      const decode = payloadDecodeProblem(jws);
      if (decode) return { step: 'signature', ok: false, detail: `the signature verifies, but go-jose then decodes the payload into a map and fails: ${decode}` };
      return { step: 'signature', ok: true, detail: `verifies with ${key.kty} key ${key.kid ?? '(no kid)'}` };
    }
  }
  const known = !atLeast(version, GO_JOSE_V4) && !allowedAlgorithms(version).includes(alg) ? `alg ${JSON.stringify(alg)} is not one go-jose implements (go-jose/go-jose: unknown/unsupported algorithm)` : reason;
  const hint = known === 'go-jose/go-jose: error in cryptographic primitive' ? 'the signature does not verify with the matching key: another key with the same kid signed it, or the token was altered (go-jose: "error in cryptographic primitive")' : known;
  return { step: 'signature', ok: false, detail: hint };
}

/** go-jose checks `crit` when it verifies: only "b64" is understood; anything else fails every key. */
function critProblem(header: Record<string, unknown>): string | null {
  const crit = header.crit;
  if (crit === undefined || crit === null) return null;
  if (!Array.isArray(crit) || !crit.every((c) => typeof c === 'string')) return `the header's "crit" is not a list of strings (json: cannot unmarshal ${goTypeName(crit)} into Go value of type []string)`;
  const unknown = crit.find((c) => c !== 'b64');
  return unknown === undefined ? null : `the header marks ${JSON.stringify(unknown)} critical, which go-jose does not support (go-jose/go-jose: unsupported critical header)`;
}

/** Verify's `json.Unmarshal` into map[string]any: every duplicate member and every float64 overflow fails it. */
function payloadDecodeProblem(jws: DecodedJws): string | null {
  const dup = jws.payloadDoc?.duplicates[0];
  if (dup) return `json: duplicate key '${dup.name}' in object${dup.path.length ? ` (inside "${dup.path.join('.')}")` : ''}`;
  const over = jws.payloadDoc?.overflows[0];
  if (over) return `json: cannot unmarshal a number outside float64's range (in "${over.join('.')}")`;
  return null;
}

function loginAndEmail(claims: Record<string, unknown>, s: JwtSettings, version: string): { step: Step; login: string; email: string; pathError?: boolean } {
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
    // A JMESPath error rejects at once, before groups and roles are looked at.
    if (typeof r !== 'string') return { step: { step: 'login/email', ok: false, detail: `${r.error} (Grafana rejects the sign-in)` }, login: '', email: '', pathError: true };
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

// The Grafana settings that sign people in from Pomerium's JWT on one route, as data, with the
// refusals: whatever Grafana would reject or silently ignore is a UserError (exit 2), never output.
import { parseDuration } from '../core/duration.js';
import { UserError } from '../core/errors.js';
import { formatSpan } from '../core/span.js';
import { AUTO_SIGN_UP } from '../explain/steps.js';
import { atLeast } from '../grafana/version.js';
import { expectedAudience, expectedIssuer, jwksUrlFor, jwtClaimsFor } from '../pomerium/jwt.js';
import type { PomeriumModel, PomeriumRoute } from '../pomerium/model-types.js';
import { hostMatches, routeHost } from '../pomerium/routes.js';
import { commentFor } from './templates.js';

export interface InitOptions {
  /** `--jwks-file`: `jwk_set_file` instead of `jwk_set_url`. */
  jwksFile?: string;
  autoSignUp: boolean;
  /** `auto_assign_org_role` for new users (only with autoSignUp; default Viewer). */
  role?: string;
  usernameClaim?: string;
  cacheTtl: string;
  grafanaVersion: string;
  /** The release to model when none was given. */
  pomeriumVersion: string;
  /** Whether the release is known (--pomerium-version, or a pinned image tag): only then is `iss` certain enough to expect. */
  pomeriumVersionGiven: boolean;
  yesIMeanAdmin: boolean;
}

export interface GrafanaSetting {
  section: string;
  key: string;
  value: string;
  /** One line: why the setting has this value. */
  comment: string;
}

export const HEADER_NAME = 'X-Pomerium-Jwt-Assertion';

/** Grafana's key sources for [auth.jwt]: setting more than one stops the JWT sign-in ("key set configuration is ambiguous"). */
const KEY_SOURCES = ['key_file', 'key_value', 'jwk_set_file', 'jwk_set_value', 'jwk_set_url'];

/** `auto_assign_org_role` candidates: go-ini's `In()` matches them exactly (`admin` would be ignored). */
const ROLES = ['Viewer', 'Editor', 'Admin', 'None'];

/** The route with its public URL: `from` made concrete with --host for a wildcard route. */
export interface GrafanaRoute {
  route: PomeriumRoute;
  /** Host without port: Pomerium's `aud`. */
  hostname: string;
  /** `https://host[:port]`: where people (and Grafana's JWKS fetch) reach the route. */
  origin: string;
}

function refuseAt(route: PomeriumRoute, message: string, hint?: string): never {
  throw new UserError(message, { span: route.from?.span ?? route.span, ...(hint ? { hint } : {}) });
}

/** Checks the route's `from` (https, one host) and makes a wildcard concrete with `host`. */
export function grafanaRoute(route: PomeriumRoute, host?: string): GrafanaRoute {
  const from = route.from?.value;
  if (!from) refuseAt(route, 'the route has no `from`');
  let url: URL;
  try {
    url = new URL(from);
  } catch {
    refuseAt(route, `the route's from ${JSON.stringify(from)} is not a URL`);
  }
  if (url.protocol !== 'https:') {
    refuseAt(route, `the route's from ${from} is not https: Pomerium serves routes over https only, and Grafana's jwk_set_url must be https`);
  }
  const routeHostName = routeHost(route) ?? '';
  const wanted = host?.trim().toLowerCase();
  if (wanted === undefined) {
    if (routeHostName.includes('*')) {
      refuseAt(route, `the route's from ${from} is a wildcard: Grafana needs its one real host`, `name it with --host, e.g. --host ${routeHostName.replace('*', 'grafana')}`);
    }
  } else if (!/^[a-z0-9.-]+$/.test(wanted) || !hostMatches(routeHostName, wanted)) {
    refuseAt(route, `--host ${host} is not a host the route ${from} serves`);
  }
  const hostname = wanted ?? routeHostName;
  const origin = `https://${hostname}${url.port ? `:${url.port}` : ''}`;
  return { route: { ...route, from: { value: origin, span: route.from!.span } }, hostname, origin };
}

/** A criterion list (`or`/`and` items) that holds `authenticated_user: true`. */
function hasAuthenticatedUser(items: unknown): boolean {
  return Array.isArray(items) && items.some((c) => typeof c === 'object' && c !== null && (c as Record<string, unknown>).authenticated_user === true);
}

/** Whether the route lets in everyone the identity provider knows (with hosted authenticate: any account at all). */
function admitsAnyUser(route: PomeriumRoute): boolean {
  if (route.allowAnyAuthenticatedUser?.value || route.allowPublicUnauthenticatedAccess?.value) return true;
  const policy = route.policy?.value;
  const rules = Array.isArray(policy) ? policy : [policy];
  return rules.some((rule) => {
    const allow = typeof rule === 'object' && rule !== null ? ((rule as Record<string, unknown>).allow as Record<string, unknown> | undefined) : undefined;
    if (!allow) return false;
    const and = allow.and;
    return hasAuthenticatedUser(allow.or) || (hasAuthenticatedUser(and) && Array.isArray(and) && and.length === 1);
  });
}

function checkSignUp(route: GrafanaRoute, options: InitOptions): string {
  if (!atLeast(options.grafanaVersion, AUTO_SIGN_UP)) {
    throw new UserError(`--auto-sign-up needs Grafana 8.4.0 or newer: Grafana ${options.grafanaVersion} has no [auth.jwt] auto_sign_up and would ignore it`);
  }
  const role = options.role ?? 'Viewer';
  if (!ROLES.includes(role)) {
    const exact = ROLES.find((r) => r.toLowerCase() === role.toLowerCase());
    throw new UserError(`--role ${role} is not one of ${ROLES.join(', ')}: Grafana matches the role exactly and would use its default instead`, {
      ...(exact ? { hint: `write --role ${exact}` } : {}),
    });
  }
  if (role === 'None' && !atLeast(options.grafanaVersion, '10.0.0')) {
    throw new UserError(`--role None needs Grafana 10 or newer: Grafana ${options.grafanaVersion} knows only Viewer, Editor and Admin and would make new users Editors`);
  }
  if (role === 'Admin' && admitsAnyUser(route.route) && !options.yesIMeanAdmin) {
    refuseAt(
      route.route,
      `--role Admin on a route that lets in any signed-in user would make every one of them a Grafana admin`,
      'restrict the route\'s policy (domain, email, groups), or pass --yes-i-mean-admin',
    );
  }
  return role;
}

/** A claim Grafana is told to read must be one Pomerium puts in the JWT for this config. */
function checkClaimSent(model: PomeriumModel, options: InitOptions, usernameClaim: string): void {
  const { claims } = jwtClaimsFor(model, options.pomeriumVersion);
  if (!claims.has(usernameClaim)) {
    throw new UserError(
      `--username-claim ${usernameClaim}: Pomerium ${options.pomeriumVersion} does not send that claim for this config (it sends ${[...claims].join(', ')})`,
      {
        ...(model.jwtClaimsHeaders?.span ? { span: model.jwtClaimsHeaders.span } : model.file ? { file: model.file } : {}),
        hint: `add ${usernameClaim} to jwt_claims_headers to have Pomerium add it to the JWT`,
      },
    );
  }
}

function expectClaims(model: PomeriumModel, route: GrafanaRoute, options: InitOptions): { value: string; comment: string } {
  const claims: [string, string][] = [['aud', expectedAudience(route.hostname)]];
  const issuer = options.pomeriumVersionGiven ? expectedIssuer(model, route.route, route.hostname, options.pomeriumVersion) : null;
  if (issuer !== null) claims.push(['iss', issuer]);
  const why = issuer !== null
    ? `aud and iss as Pomerium ${options.pomeriumVersion} writes them on this route: tokens for other routes are refused`
    : `aud is the route host, so a token for another route is refused (iss: pass --pomerium-version)`;
  return { value: `{${claims.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`, comment: commentFor('auth.jwt', 'expect_claims', { claims: why }) };
}

/**
 * What grafana.ini needs for Grafana to sign people in from the JWT Pomerium sends on `route`, in
 * the order a person would write it. Throws a UserError for anything Grafana would reject or ignore.
 */
export function grafanaSettings(model: PomeriumModel, route: GrafanaRoute, options: InitOptions): GrafanaSetting[] {
  if (!atLeast(options.grafanaVersion, '8.0.0')) {
    throw new UserError(`Grafana ${options.grafanaVersion} has no JWT sign-in ([auth.jwt] came in 8.0.0)`);
  }
  parseDuration(options.cacheTtl, '--cache-ttl');
  if (!options.autoSignUp && options.role !== undefined) {
    throw new UserError('--role sets the role of users that --auto-sign-up creates: add --auto-sign-up, or drop --role');
  }
  const usernameClaim = options.usernameClaim ?? (options.autoSignUp ? 'email' : undefined);
  const role = options.autoSignUp ? checkSignUp(route, options) : undefined;
  if (usernameClaim !== undefined) checkClaimSent(model, options, usernameClaim);

  const setting = (section: string, key: string, value: string, data?: Record<string, string>): GrafanaSetting => ({
    section,
    key,
    value,
    comment: commentFor(section, key, data),
  });
  const jwks = jwksUrlFor(model, route.route, options.pomeriumVersion);
  const claims = expectClaims(model, route, options);
  return [
    setting('auth', 'signout_redirect_url', `${route.origin}/.pomerium/sign_out`),
    setting('auth.jwt', 'enabled', 'true'),
    setting('auth.jwt', 'header_name', HEADER_NAME),
    setting('auth.jwt', 'email_claim', 'email'),
    ...(usernameClaim !== undefined ? [setting('auth.jwt', 'username_claim', usernameClaim)] : []),
    ...(options.jwksFile !== undefined
      ? [setting('auth.jwt', 'jwk_set_file', options.jwksFile)]
      : [setting('auth.jwt', 'jwk_set_url', jwks.url, { why: jwks.why }), setting('auth.jwt', 'cache_ttl', options.cacheTtl.trim())]),
    { section: 'auth.jwt', key: 'expect_claims', ...claims },
    ...(role !== undefined
      ? [setting('auth.jwt', 'auto_sign_up', 'true'), setting('users', 'auto_assign_org', 'true'), setting('users', 'auto_assign_org_role', role)]
      : []),
  ];
}

/** The [auth.jwt] key sources other than the one `settings` sets: --write removes them (two sources stop JWT sign-in). */
function otherKeySources(settings: readonly GrafanaSetting[]): { section: string; key: string }[] {
  const chosen = settings.find((s) => s.section === 'auth.jwt' && KEY_SOURCES.includes(s.key))?.key;
  return KEY_SOURCES.filter((key) => key !== chosen).map((key) => ({ section: 'auth.jwt', key }));
}

/**
 * The settings --write applies to a file that already has some: without --role or --username-claim, the
 * role new users get and the claim that makes their login are choices the file made, and they stay
 * (replacing Editor by the default Viewer would quietly demote every new user).
 */
export function keepingChoices(
  settings: readonly GrafanaSetting[],
  existing: (section: string, key: string) => string | undefined,
  given: { role?: string; usernameClaim?: string },
): { settings: GrafanaSetting[]; kept: string[] } {
  // `misplacedIn`: where the seed guide once put the key; Grafana never reads it there (it reads [users]),
  // but the value is what the file meant, so it moves (keysToRemove drops the misplaced copy).
  const choices = [
    { section: 'users', key: 'auto_assign_org_role', given: given.role, valid: (v: string) => ROLES.includes(v), flag: '--role', misplacedIn: 'auth.jwt' },
    { section: 'auth.jwt', key: 'username_claim', given: given.usernameClaim, valid: (v: string) => v !== '', flag: '--username-claim', misplacedIn: undefined },
  ];
  const kept: string[] = [];
  const result: GrafanaSetting[] = [];
  for (const s of settings) {
    const choice = choices.find((c) => c.section === s.section && c.key === s.key);
    const value = choice && choice.given === undefined ? existing(s.section, s.key) : undefined;
    if (choice && value !== undefined && choice.valid(value) && value !== s.value) {
      kept.push(`kept [${s.section}] ${s.key} = ${value} (pass ${choice.flag} to change it)`);
      continue;
    }
    const misplaced = choice?.given === undefined && value === undefined && choice?.misplacedIn ? existing(choice.misplacedIn, s.key) : undefined;
    if (choice && misplaced !== undefined && choice.valid(misplaced)) {
      kept.push(`moved [${choice.misplacedIn}] ${s.key} = ${misplaced} to [${s.section}], the only section Grafana reads it from (pass ${choice.flag} to change it)`);
      result.push({ ...s, value: misplaced });
      continue;
    }
    result.push(s);
  }
  // A misplaced key init does not write itself (no --auto-sign-up, so no role): still moved where Grafana reads it.
  for (const choice of choices) {
    if (!choice.misplacedIn || choice.given !== undefined || result.some((s) => s.section === choice.section && s.key === choice.key)) continue;
    const misplaced = existing(choice.misplacedIn, choice.key);
    if (misplaced === undefined || !choice.valid(misplaced) || existing(choice.section, choice.key) !== undefined) continue;
    kept.push(`moved [${choice.misplacedIn}] ${choice.key} = ${misplaced} to [${choice.section}], the only section Grafana reads it from (pass ${choice.flag} to change it)`);
    result.push({ section: choice.section, key: choice.key, value: misplaced, comment: `moved from [${choice.misplacedIn}], where Grafana never reads it` });
  }
  return { settings: result, kept };
}

/**
 * What --write removes beside writing `settings`: the [auth.jwt] key sources other than the chosen one
 * (two stop JWT sign-in), and copies of the [users]/[auth] keys it writes that sit under [auth.jwt]
 * (the guides' old mistake): Grafana ignores an [auth.jwt] auto_assign_org_role, and lets an [auth.jwt]
 * signout_redirect_url override [auth]'s through go-ini's parent-section lookup.
 */
export function keysToRemove(settings: readonly GrafanaSetting[]): { section: string; key: string }[] {
  const strays = settings.filter((s) => s.section === 'users' || s.section === 'auth').map((s) => ({ section: 'auth.jwt', key: s.key }));
  return [...otherKeySources(settings), ...strays];
}

/** Where the route is, for headers and messages: `file:line:col`, or the environment variable it came from. */
export function routeWhere(route: PomeriumRoute): string {
  return route.origin === 'env' ? `${route.list.toUpperCase()} environment variable` : formatSpan(route.from?.span ?? route.span, '(no position)');
}

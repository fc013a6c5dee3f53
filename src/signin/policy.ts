// Whether a route's policy admits a user, as Pomerium's PPL evaluates it (pkg/policy, v0.33.1):
// allow blocks are OR-ed, any matching deny block wins, no allow block admits nobody
// (`default allow := [false, set()]`, generator.go). Inside a block: `and` = all, `or` = any,
// `not` = none of them (NOT A AND NOT B), `nor` = not all of them (NOT A OR NOT B), as
// generator/conditionals.go builds them. Legacy keys become one `allow.or` block (config/policy_ppl.go).
// Criteria that depend on the request or the IdP session (claim/…, device, source_ip, …) are "unknown".
import type { Span } from '../core/span.js';
import type { PomeriumRoute } from '../pomerium/model-types.js';

export type Truth = true | false | 'unknown';

/** The user a simulated request comes from. `sub` is Pomerium's user id (the IdP subject), when known. */
export interface PolicyUser {
  email: string;
  groups: string[];
  sub: string | null;
  /** IdP claims for `claim/<name>` criteria, when given. */
  claims: Record<string, string>;
}

export interface PolicyOutcome {
  admitted: Truth;
  /** Why, in words: the criterion that decided, or what could not be told. */
  detail: string;
  /** The route's policy, or its `from` when it has none (where the finding goes). */
  span: Span | null;
}

interface Criterion {
  name: string;
  data: unknown;
}

interface Block {
  action: 'allow' | 'deny';
  and: Criterion[];
  or: Criterion[];
  not: Criterion[];
  nor: Criterion[];
}

function criteriaOf(list: unknown): Criterion[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => (item && typeof item === 'object' && !Array.isArray(item) ? Object.entries(item).map(([name, data]) => ({ name, data })) : []));
}

/** The PPL rules of a route: legacy keys as one allow.or block, then the route's `policy` (an object or a list). */
export function policyBlocks(route: PomeriumRoute): Block[] {
  const legacy: Criterion[] = [];
  if (route.allowPublicUnauthenticatedAccess?.value) legacy.push({ name: 'accept', data: true });
  if (route.allowAnyAuthenticatedUser?.value) legacy.push({ name: 'authenticated_user', data: true });
  for (const d of route.allowedDomains?.value ?? []) legacy.push({ name: 'domain', data: { is: d } });
  for (const u of route.allowedUsers?.value ?? []) legacy.push({ name: 'user', data: { is: u } }, { name: 'email', data: { is: u } });
  const blocks: Block[] = legacy.length ? [{ action: 'allow', and: [], or: legacy, not: [], nor: [] }] : [];
  const raw = route.policy?.value;
  const rules = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : [];
  for (const rule of rules) {
    if (!rule || typeof rule !== 'object') continue;
    for (const action of ['allow', 'deny'] as const) {
      const body = (rule as Record<string, unknown>)[action] as Record<string, unknown> | undefined;
      if (!body || typeof body !== 'object') continue;
      blocks.push({ action, and: criteriaOf(body.and), or: criteriaOf(body.or), not: criteriaOf(body.not), nor: criteriaOf(body.nor) });
    }
  }
  return blocks;
}

function all(values: Truth[]): Truth {
  if (values.includes(false)) return false;
  return values.includes('unknown') ? 'unknown' : true;
}

function any(values: Truth[]): Truth {
  if (values.includes(true)) return true;
  return values.includes('unknown') ? 'unknown' : false;
}

const invert = (t: Truth): Truth => (t === 'unknown' ? t : !t);

/** `matchString` (criteria/matchers.go): a bare value means `is`; every operator given must hold. */
function matchString(value: string, data: unknown): Truth {
  const ops = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : { is: data };
  const results: Truth[] = Object.entries(ops).map(([op, arg]) => {
    const text = typeof arg === 'string' ? arg : null;
    const list = Array.isArray(arg) ? arg.filter((v): v is string => typeof v === 'string') : null;
    switch (op) {
      case 'is':
        return text !== null && value === text;
      case 'not':
        return text !== null && value !== text;
      case 'contains':
        return text !== null && value.includes(text);
      case 'starts_with':
        return text !== null && value.startsWith(text);
      case 'ends_with':
        return text !== null && value.endsWith(text);
      case 'in':
        return list !== null && list.includes(value);
      case 'not_in':
        return list !== null && !list.includes(value);
      default:
        return 'unknown'; // Pomerium refuses the config ("unknown string matcher operator"); pomerium/ rules say so
    }
  });
  return all(results);
}

/** `matchStringList`: a bare value means `has`; `is` = exactly that one; `exclude` = not among them. */
function matchStringList(values: string[], data: unknown): Truth {
  const ops = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : { has: data };
  return all(
    Object.entries(ops).map(([op, arg]) => {
      const has = values.some((v) => matchString(v, arg) === true);
      if (op === 'has') return has;
      if (op === 'is') return values.length === 1 && has;
      if (op === 'exclude') return !has;
      return 'unknown';
    }),
  );
}

function criterion(c: Criterion, user: PolicyUser): Truth {
  const [name, sub] = c.name.split('/', 2) as [string, string | undefined];
  switch (name) {
    case 'accept':
      return true; // the value is ignored: `accept: false` lets everyone in too
    case 'reject':
      return false;
    case 'authenticated_user':
      return true; // the simulated user has a session
    case 'email':
      return matchString(user.email, c.data);
    case 'domain':
      return matchString(user.email.split('@')[1] ?? '', c.data);
    case 'user':
      return user.sub === null ? 'unknown' : matchString(user.sub, c.data);
    case 'groups':
      return matchStringList(user.groups, c.data);
    case 'claim': {
      const value = sub === undefined ? undefined : user.claims[sub];
      if (value === undefined) return 'unknown';
      return matchStringList(value.split(','), c.data);
    }
    case 'cors_preflight':
      return false; // a browser's request is not a CORS preflight
    default:
      return 'unknown'; // http_method, http_path, source_ip, device, client_certificate, …: depend on the request
  }
}

function blockTruth(block: Block, user: PolicyUser): Truth {
  const parts: Truth[] = [];
  const of = (list: Criterion[]) => list.map((c) => criterion(c, user));
  if (block.and.length) parts.push(all(of(block.and)));
  if (block.or.length) parts.push(any(of(block.or)));
  if (block.not.length) parts.push(all(of(block.not).map(invert)));
  if (block.nor.length) parts.push(any(of(block.nor).map(invert)));
  return any(parts);
}

/** Whether the route's policy admits `user` (allow and not deny). */
export function evaluatePolicy(route: PomeriumRoute, user: PolicyUser): PolicyOutcome {
  const span = route.policy?.span ?? route.allowedUsers?.span ?? route.allowedDomains?.span ?? route.from?.span ?? route.span;
  const blocks = policyBlocks(route);
  const allows = blocks.filter((b) => b.action === 'allow');
  if (allows.length === 0) {
    return { admitted: false, detail: 'the route has no allow rule, so Pomerium denies everyone', span };
  }
  const allow = any(allows.map((b) => blockTruth(b, user)));
  const deny = any(blocks.filter((b) => b.action === 'deny').map((b) => blockTruth(b, user)));
  if (deny === true) return { admitted: false, detail: `a deny rule of the route's policy matches ${user.email}`, span };
  if (allow === false) return { admitted: false, detail: `no allow rule of the route's policy matches ${user.email}`, span };
  if (allow === true && deny === false) return { admitted: true, detail: `the route's policy admits ${user.email}`, span };
  return { admitted: 'unknown', detail: `whether the route's policy admits ${user.email} depends on the request or on IdP data not given here`, span };
}

/**
 * A user the policy admits, for a simulation: an email it names (email `is`/`in`, allowed_users), else
 * someone at a domain it names, else `user@example.com`; with the groups it names. `named` is false when
 * the policy named no one (any signed-in user, or criteria that depend on the IdP).
 */
export function representativeUser(route: PomeriumRoute): { user: PolicyUser; named: boolean } {
  const emails: string[] = [];
  const groups: string[] = [];
  const collect = (c: Criterion) => {
    const data = c.data && typeof c.data === 'object' && !Array.isArray(c.data) ? (c.data as Record<string, unknown>) : { is: c.data };
    const strings = (v: unknown) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    if (c.name === 'email') emails.push(...strings(data.is), ...strings(data.in));
    if (c.name === 'email' && typeof data.ends_with === 'string' && data.ends_with.startsWith('@')) emails.push(`user${data.ends_with}`);
    if (c.name === 'domain') emails.push(...[...strings(data.is), ...strings(data.in)].map((d) => `user@${d}`));
    if (c.name === 'groups') groups.push(...strings(data.has), ...strings(data.is));
  };
  for (const block of policyBlocks(route).filter((b) => b.action === 'allow')) {
    for (const c of [...block.and, ...block.or]) collect(c);
  }
  const candidates = [...new Set(emails.filter((e) => e.includes('@')))];
  const userFor = (email: string): PolicyUser => ({ email, groups: [...new Set(groups)], sub: email, claims: {} });
  const admitted = candidates.find((e) => evaluatePolicy(route, userFor(e)).admitted === true);
  const email = admitted ?? candidates[0];
  return email ? { user: userFor(email), named: true } : { user: userFor('user@example.com'), named: false };
}

// Who a route's policy lets in, as far as `users check` needs it: the people named one by one (their
// emails: each needs a Grafana user when auto_sign_up is off) and the criteria that let in people by
// kind (a domain, a group, any account), for which no list of users can be checked.
//
// PPL as Pomerium reads it (pkg/policy/criteria, v0.33.1): a policy is one rule or a list; `allow`
// bodies join criteria with and/or (not/nor exclude); `email: x` is `email: {is: x}` (matchString);
// `in` lists several. `allowed_users` entries match the email or the user id, `allowed_domains` the
// email's domain (pkg/policy/policy.go).
import type { Span } from '../core/span.js';
import type { PomeriumRoute } from '../pomerium/model-types.js';

export interface NamedPerson {
  email: string;
  /** Where it is written: the allowed_users list or the policy (the policy as a whole: PPL values carry no positions). */
  span: Span | null;
  from: 'allowed_users' | 'policy';
}

export interface WideCriterion {
  /** e.g. `domain is example.com`, `groups has admins`, `allow_any_authenticated_user`. */
  what: string;
  span: Span | null;
}

export interface PolicyPeople {
  people: NamedPerson[];
  wide: WideCriterion[];
  /** allowed_users entries without an @: user ids (the IdP's subject), which Grafana users are not looked up by. */
  userIds: string[];
}

const BODY_KEYS = ['and', 'or'] as const;

export function policyPeople(route: PomeriumRoute): PolicyPeople {
  const out: PolicyPeople = { people: [], wide: [], userIds: [] };
  const seen = new Set<string>();
  const addPerson = (email: string, span: Span | null, from: NamedPerson['from']) => {
    const key = email.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.people.push({ email, span, from });
  };

  for (const u of route.allowedUsers?.value ?? []) {
    if (u.includes('@')) addPerson(u, route.allowedUsers!.span, 'allowed_users');
    else out.userIds.push(u);
  }
  for (const d of route.allowedDomains?.value ?? []) out.wide.push({ what: `allowed_domains ${d}`, span: route.allowedDomains!.span });
  if (route.allowAnyAuthenticatedUser?.value) out.wide.push({ what: 'allow_any_authenticated_user: true', span: route.allowAnyAuthenticatedUser.span });
  if (route.allowPublicUnauthenticatedAccess?.value) out.wide.push({ what: 'allow_public_unauthenticated_access: true', span: route.allowPublicUnauthenticatedAccess.span });

  const span = route.policy?.span ?? null;
  const raw = route.policy?.value;
  const rules = Array.isArray(raw) ? raw : raw ? [raw] : [];
  for (const rule of rules) {
    if (!rule || typeof rule !== 'object') continue;
    const allow = (rule as Record<string, unknown>).allow;
    if (!allow || typeof allow !== 'object') continue;
    for (const key of BODY_KEYS) {
      const criteria = (allow as Record<string, unknown>)[key];
      for (const criterion of Array.isArray(criteria) ? criteria : []) {
        if (!criterion || typeof criterion !== 'object' || Array.isArray(criterion)) continue;
        for (const [name, value] of Object.entries(criterion)) {
          if (name === 'email') {
            const emails = exactStrings(value);
            if (emails) for (const e of emails) addPerson(e, span, 'policy');
            else out.wide.push({ what: `email ${describe(value)}`, span });
          } else if (name === 'user') {
            const ids = exactStrings(value);
            if (ids) out.userIds.push(...ids);
            else out.wide.push({ what: `user ${describe(value)}`, span });
          } else if (WIDE.has(name) || name.startsWith('claim/')) {
            out.wide.push({ what: `${name} ${describe(value)}`, span });
          }
        }
      }
    }
  }
  return out;
}

/** Criteria that admit people by kind rather than by name. */
const WIDE = new Set(['domain', 'groups', 'authenticated_user', 'accept']);

/** `x`, `{is: x}` or `{in: [x, y]}`: the exact values; null for patterns (starts_with, ends_with, contains, not...). */
function exactStrings(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const entries = Object.entries(value);
  if (entries.length !== 1) return null;
  const [op, operand] = entries[0]!;
  if (op === 'is' && typeof operand === 'string') return [operand];
  if (op === 'in' && Array.isArray(operand) && operand.every((v) => typeof v === 'string')) return operand as string[];
  return null;
}

function describe(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value)
      .map(([op, v]) => `${op} ${Array.isArray(v) ? v.join(', ') : String(v)}`)
      .join(' and ');
  }
  return String(value);
}

import type { Span } from '../../core/span.js';
import { parseGoBool } from '../../grafana/ini-values.js';
import { atLeast } from '../../grafana/version.js';
import type { PomeriumRoute } from '../../pomerium/model-types.js';
import { searchString } from '../../explain/jmespath.js';
import { AUTO_SIGN_UP } from '../../explain/steps.js';
import { defineRule, type RuleContext } from '../types.js';

/** Mail domains anyone can sign up at: a `domain` criterion of one of these admits the world. */
const PUBLIC_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'icloud.com',
  'me.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de', 'yandex.com', 'mail.com', 'zoho.com',
]);

const isPublicDomain = (d: unknown) => typeof d === 'string' && PUBLIC_MAIL_DOMAINS.has(d.trim().toLowerCase());

/** A PPL criterion (`{authenticated_user: true}`, `{domain: {is: gmail.com}}`) that any IdP account meets. */
function criterionAdmitsAnyone(criterion: unknown): string | null {
  if (!criterion || typeof criterion !== 'object' || Array.isArray(criterion)) return null;
  for (const [name, value] of Object.entries(criterion)) {
    if (name === 'authenticated_user' && value !== false && value !== null) return 'PPL authenticated_user';
    if (name === 'domain' && value && typeof value === 'object' && isPublicDomain((value as Record<string, unknown>).is)) {
      return `PPL domain is ${String((value as Record<string, unknown>).is)}`;
    }
  }
  return null;
}

/** An `allow` body that any account passes: an `or` with one such criterion, or an `and` of only such criteria. */
function bodyAdmitsAnyone(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const { or, and } = body as Record<string, unknown>;
  const first = Array.isArray(or) ? or.map(criterionAdmitsAnyone).find((w) => w !== null) : undefined;
  if (first) return first;
  if (Array.isArray(and) && and.length > 0) {
    const all = and.map(criterionAdmitsAnyone);
    if (all.every((w) => w !== null)) return all[0]!;
  }
  return null;
}

/** Why the route lets every authenticated account in (and where), or null. A `deny` block may narrow it: then no judgement. */
function admitsAnyone(route: PomeriumRoute): { why: string; span: Span | null } | null {
  if (route.allowAnyAuthenticatedUser?.value) return { why: 'allow_any_authenticated_user: true', span: route.allowAnyAuthenticatedUser.span };
  const domain = route.allowedDomains?.value.find(isPublicDomain);
  if (domain) return { why: `allowed_domains includes the public mail domain ${domain}`, span: route.allowedDomains!.span };
  const policy = route.policy?.value;
  const rules = Array.isArray(policy) ? policy : policy ? [policy] : [];
  if (rules.some((r) => r && typeof r === 'object' && 'deny' in r)) return null;
  for (const rule of rules) {
    const why = rule && typeof rule === 'object' ? bodyAdmitsAnyone((rule as Record<string, unknown>).allow) : null;
    if (why) return { why, span: route.policy!.span };
  }
  return null;
}

/** The org role a new user with no useful claims gets, and from where, when it is Admin. */
function adminForEveryone(ctx: RuleContext): string | null {
  const grafana = ctx.grafana!;
  const fallback = grafana.effective('users', 'auto_assign_org_role');
  const rolePath = grafana.str('auth.jwt', 'role_attribute_path');
  const skipSync = parseGoBool(grafana.effective('auth.jwt', 'skip_org_role_sync')) === true;
  if (rolePath && !skipSync) {
    const claims = { sub: 'anyone', user: 'anyone', email: 'anyone@example.com', groups: [], name: '' };
    const role = searchString(rolePath, claims);
    if ('value' in role && (role.value === 'Admin' || role.value === 'GrafanaAdmin')) return `role_attribute_path gives ${role.value} to a user with no groups`;
    const strict = parseGoBool(grafana.effective('auth.jwt', 'role_attribute_strict')) === true;
    if ('value' in role && ['None', 'Viewer', 'Editor'].includes(role.value)) return null;
    if (strict) return null;
  }
  return fallback === 'Admin' ? '[users] auto_assign_org_role = Admin' : null;
}

export default defineRule({
  meta: {
    id: 'cross/any-user-admin',
    description: 'The Grafana route does not make every identity-provider account a Grafana admin',
    severity: 'error',
    requires: ['grafana', 'pomerium'],
    messages: {
      anyoneIsAdmin: 'the Grafana route lets in any account ({{why}}), and Grafana signs new users up as Admin ({{admin}}): everyone with an account at the identity provider becomes a Grafana admin',
    },
  },
  check(ctx, report) {
    const route = ctx.route;
    const grafana = ctx.grafana!;
    if (!route) return;
    const signUp = atLeast(ctx.grafanaVersion, AUTO_SIGN_UP) && parseGoBool(grafana.effective('auth.jwt', 'auto_sign_up')) === true;
    const anyone = signUp ? admitsAnyone(route) : null;
    const admin = anyone ? adminForEveryone(ctx) : null;
    if (!anyone || !admin) return;
    report({
      messageId: 'anyoneIsAdmin',
      data: { why: anyone.why, admin },
      span: anyone.span ?? route.from?.span ?? null,
      file: ctx.pomerium?.file ?? null,
      hint: 'allow only your own people on the route (e.g. a domain you own, or groups), and make the default role Viewer',
    });
  },
});

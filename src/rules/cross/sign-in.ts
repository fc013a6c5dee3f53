// Simulated sign-in: the token Pomerium would send on the Grafana route for a user its policy admits,
// run through Grafana's own steps (src/signin). A step that fails is what users see at run time;
// the finding goes on the line responsible. Steps whose only cause is one setting that a dedicated
// rule already reports are left to that rule (its line-level message, and often a fix):
// the JWT header (grafana/jwt-not-enabled, grafana/jwt-header-name, cross/pass-identity-headers),
// the keys (pomerium/signing-key, cross/jwk-set-*, cross/served-jwks), the iss/aud/missing-claim
// expectations (cross/expect-claims) and the auth proxy's header and whitelist (grafana/auth-proxy-*).
import { jwtClaimsFor } from '../../pomerium/jwt.js';
import { simulateSignIn, type SignIn, type SignInStep } from '../../signin/simulate.js';
import { representativeUser } from '../../signin/policy.js';
import { routeHost } from '../../pomerium/routes.js';
import { defineRule, type RuleContext, type RuleReport } from '../types.js';

/** A fixed clock: the simulated token is made and checked at the same instant, so the time step always passes. */
const SIMULATED_AT = new Date('2026-01-01T00:00:00Z');

/** What an IdP claim looks like in Pomerium's token: one string, lists comma-joined (getJWTPayload). */
const IDP_VALUE = 'idp-value-1,idp-value-2';
const IDP_HINT =
  'check what your IdP puts in these claims (Pomerium sends a jwt_claims_headers claim only when the IdP has it, as one comma-joined string): `grafana-pomerium explain --as EMAIL --claim NAME=VALUE` shows one user';
const STRING_HINT = "Pomerium sends a jwt_claims_headers claim as one string: split it first, e.g. contains(split(roles, ','), 'grafana-admin')";

/** What the user sees, where explain's step detail gives only Grafana's log line (pkg/services/authn/clients/jwt.go, grafana.md 3.6). */
const SYMPTOM: Record<string, string> = {
  'login/email': '; every sign-in gets 401 "Missing mandatory claim in JWT"',
};

/** Steps a dedicated rule reports for the same cause (see the comment at the top). */
function coveredElsewhere(step: SignInStep): boolean {
  if (['header', 'token', 'sub', 'key', 'signature', 'time', 'whitelist'].includes(step.step)) return step.idpClaims.length === 0;
  // cross/expect-claims reports a bad expect_claims, iss, aud and claims Pomerium never sends; a value mismatch is ours.
  if (step.step === 'expect_claims') return !/ claim mismatch: /.test(step.detail);
  return false;
}

/** The last line writing a key in the grafana.ini (what go-ini keeps). */
function written(ctx: RuleContext, section: string, key: string) {
  return ctx.grafana?.doc?.entries.findLast((e) => e.section === section && e.key === key);
}

const ROLES = ['Viewer', 'Editor', 'Admin', 'None'];

/**
 * The role a new user gets comes from [users] auto_assign_org_role (`Key.In`: Viewer for anything else);
 * an `auto_assign_org_role` written under [auth.jwt] (the seed guide's "Manage Access at Scale") is never read.
 */
function reportDefaultRole(ctx: RuleContext, simulated: SignIn, email: string, report: (r: RuleReport & { messageId: 'roleNotAsWritten' }) => void): void {
  const roleStep = simulated.explanation.steps.find((s) => s.step === 'role');
  const role = simulated.explanation.role;
  if (!role || !roleStep || !/auto_assign_org_role/.test(roleStep.detail)) return; // the role comes from the token
  const users = written(ctx, 'users', 'auto_assign_org_role');
  const misplaced = written(ctx, 'auth.jwt', 'auto_assign_org_role');
  const fromFile = ctx.grafana?.get('users', 'auto_assign_org_role')?.source === 'file';
  if (users && fromFile && users.value.trim() !== '' && users.value !== role) {
    report({
      messageId: 'roleNotAsWritten',
      data: { email, role, written: users.value, why: `Grafana accepts only ${ROLES.join(', ')} (exact case) and silently uses ${role} for anything else` },
      span: users.valueSpan,
      hint: `write one of ${ROLES.join(', ')}`,
    });
  } else if (!users && misplaced && misplaced.value !== role && ROLES.includes(misplaced.value)) {
    report({
      messageId: 'roleNotAsWritten',
      data: { email, role, written: misplaced.value, why: 'Grafana reads auto_assign_org_role only in [users]; under [auth.jwt] it is never read' },
      span: misplaced.keySpan,
      hint: `move it: [users] auto_assign_org_role = ${misplaced.value} (grafana-pomerium init --write or doctor --fix moves it)`,
    });
  }
}

export default defineRule({
  meta: {
    id: 'cross/sign-in',
    description: "A simulated sign-in of a user the route's policy admits gets through Grafana's sign-in steps",
    severity: 'error',
    requires: ['grafana', 'pomerium'],
    messages: {
      fails: "simulated sign-in of {{email}} (a user the route's policy admits) fails at Grafana's {{step}} step{{via}}: {{detail}}",
      failsEvenWithIdp:
        "simulated sign-in of {{email}} fails at Grafana's {{step}} step{{via}}, also when the IdP sends {{claims}} (Pomerium puts such a claim in the token as one comma-joined string): {{detail}}",
      dependsOnIdp: "simulated sign-in of {{email}} fails at Grafana's {{step}} step{{via}} unless the IdP sends {{claims}}: {{detail}}",
      policyDeniesAll: "{{detail}}: no user reaches Grafana on this route",
      roleNotAsWritten: 'simulated sign-in of {{email}}: a new user gets the role {{role}}, not {{written}}: {{why}}',
    },
  },
  check(ctx, report) {
    const { grafana, pomerium, route } = ctx;
    if (!grafana || !pomerium || !route) return;
    const host = routeHost(route);
    if (!host || host.includes('*')) return; // a wildcard route: the token's iss/aud depend on the request host
    const { user, named } = representativeUser(route);
    const simulate = (claims: Record<string, string>) =>
      simulateSignIn({
        grafana,
        pomerium,
        route,
        host,
        grafanaVersion: ctx.grafanaVersion,
        pomeriumVersion: ctx.pomeriumVersion,
        user: { email: user.email, sub: user.email, name: '', groups: user.groups, claims },
        signing: ctx.signing,
        at: SIMULATED_AT,
        ids: { jti: 'simulated', sid: 'simulated' },
      });
    const simulated = simulate({});
    if ('error' in simulated) return; // the issuer cannot be told: cross/expect-claims and friends say so
    // The same user when the IdP does send every jwt_claims_headers claim: Pomerium puts each in as one string.
    const extras = jwtClaimsFor(pomerium, ctx.pomeriumVersion).extras;
    const withIdp = extras.length ? simulate(Object.fromEntries(extras.map((c) => [c, IDP_VALUE]))) : simulated;
    // Certain only when the claim's type is the cause (a string where the path wants an array), not its value.
    const failsAnyway = (step: SignInStep) =>
      'explanation' in withIdp && withIdp.explanation.steps.some((s) => s.step === step.step && !s.ok && /Invalid type|expected argument/i.test(s.detail));
    const via = simulated.path === 'proxy' ? ' (auth proxy)' : '';
    for (const step of simulated.explanation.steps) {
      if (step.ok) continue;
      const place = { span: step.responsible?.span ?? null, file: step.responsible?.file ?? null };
      if (step.step === 'policy') {
        // Only a policy that denies everyone is certain; a guessed user the policy refuses says nothing.
        if (!named || /no allow rule|deny rule/.test(step.detail)) report({ messageId: 'policyDeniesAll', data: { detail: step.detail }, ...place });
        continue;
      }
      // Grafana's JWT client never runs or never sees the token: no later step happens at run time, and the
      // dedicated rule names the cause (a nested Helm `auth: jwt:` would otherwise also read as missing claims).
      if (step.step === 'header' && coveredElsewhere(step)) return;
      if (coveredElsewhere(step)) continue;
      const data = { email: user.email, step: step.step, via, detail: step.detail + (SYMPTOM[step.step] ?? '') };
      const idp = step.idpClaims.filter((c) => c !== 'name');
      if (idp.length > 0 && failsAnyway(step)) {
        report({ messageId: 'failsEvenWithIdp', data: { ...data, claims: idp.join(', ') }, ...place, hint: STRING_HINT });
      } else if (idp.length > 0 || step.step === 'expect_claims') {
        report({ messageId: 'dependsOnIdp', severity: 'warning', data: { ...data, claims: idp.join(', ') || 'the claims it reads' }, ...place, hint: IDP_HINT });
      } else {
        report({ messageId: 'fails', data, ...place, hint: `\`grafana-pomerium explain --pomerium … --grafana … --as ${user.email}\` shows every step` });
      }
    }
    if (simulated.explanation.verdict === 'accepted') reportDefaultRole(ctx, simulated, user.email, report);
  },
});

import type { Span } from '../../core/span.js';
import type { Setting } from '../../grafana/model-types.js';
import { jwtClaimsFor } from '../../pomerium/jwt.js';
import { defineRule } from '../types.js';
import { containsSubjects, parseClaimPath, topLevelFields } from './claim-paths.js';
import { setValue } from './helpers.js';

/** Claims that hold the IdP subject (e.g. `google-oauth2|1045…`), never an email. */
const SUBJECT_CLAIMS = new Set(['sub', 'user']);

/** The JMESPath settings, and the `*_claim` that makes each one ignored when set. */
const PATHS: readonly { key: string; ignoredWhen?: string }[] = [
  { key: 'email_attribute_path', ignoredWhen: 'email_claim' },
  { key: 'username_attribute_path', ignoredWhen: 'username_claim' },
  { key: 'role_attribute_path' },
  { key: 'groups_attribute_path' },
  { key: 'org_attribute_path' },
];

/** Where `offset` of the value sits in the file: only for an unquoted value on one line. */
function spanAt(setting: Setting, offset: number, quoted: boolean): Span | null {
  const span = setting.span;
  if (!span || setting.source !== 'file' || span.line !== span.endLine) return span;
  const column = span.column + offset + (quoted ? 1 : 0);
  return { ...span, column, endColumn: Math.min(column + 1, span.endColumn) };
}

export default defineRule({
  meta: {
    id: 'cross/jwt-claims',
    description: "The claims Grafana reads are ones Pomerium's JWT carries for this config and version",
    severity: 'warning',
    // The claim names and JMESPath syntax are judged from grafana.ini alone; what Pomerium sends needs its config.
    requires: ['grafana'],
    messages: {
      claimNotSent: "{{key}} = {{claim}}, but Pomerium's JWT has no `{{claim}}` claim for this config: Grafana gets no {{what}}",
      pathClaimNotSent: "{{key}} reads `{{claim}}`, which Pomerium's JWT does not carry for this config: the path finds nothing there",
      pathSyntax: '{{key}} is not valid JMESPath ({{error}}): Grafana logs the error and gets no {{what}}',
      emailIsSubject: 'email_claim = {{claim}} is the identity provider\'s user id, not an email: Grafana stores it as the user\'s email, and users cannot be matched by email',
      usernameIsName: 'username_claim = name is a display name: it is neither unique nor always set, so two people can share one Grafana login',
      extraIsString: '{{key}} uses contains({{claim}}, …), but Pomerium sends the extra claim `{{claim}}` as one comma-joined string: contains() then matches substrings',
    },
  },
  check(ctx, report) {
    const jwt = ctx.pomerium && ctx.route ? jwtClaimsFor(ctx.pomerium, ctx.pomeriumVersion) : null;
    const sends = (claim: string) => !jwt || jwt.claims.has(claim);
    const addHint = (claim: string) =>
      `Pomerium sends ${[...(jwt?.claims ?? [])].join(', ')}; to add \`${claim}\`, list it in the Pomerium option jwt_claims_headers: ` +
      `it reaches the JWT only when the identity provider's session has that claim (then as a comma-joined string)`;

    const email = setValue(ctx, 'auth.jwt', 'email_claim');
    const login = setValue(ctx, 'auth.jwt', 'username_claim');
    const emailMissing = email && !sends(email.value.trim());
    const loginMissing = login && !sends(login.value.trim());
    // Either one alone leaves a usable login (Grafana uses the email as login); both gone is "missing login and email claim".
    const severity = emailMissing && loginMissing ? 'error' : 'warning';
    for (const [setting, missing, what] of [[email, emailMissing, 'email'], [login, loginMissing, 'login']] as const) {
      if (setting && missing) {
        report({ messageId: 'claimNotSent', severity, data: { key: setting.key, claim: setting.value.trim(), what }, span: setting.span, hint: addHint(setting.value.trim()) });
      }
    }
    if (email && SUBJECT_CLAIMS.has(email.value.trim())) {
      report({ messageId: 'emailIsSubject', data: { claim: email.value.trim() }, span: email.span, hint: 'set email_claim = email' });
    }
    if (login && login.value.trim() === 'name') {
      report({ messageId: 'usernameIsName', data: {}, span: login.span, hint: 'set username_claim = email (or sub, the stable IdP id)' });
    }

    for (const { key, ignoredWhen } of PATHS) {
      const setting = setValue(ctx, 'auth.jwt', key);
      if (!setting) continue;
      const what = key.replace(/_attribute_path$/, '').replace('username', 'login');
      const entry = ctx.grafana?.doc?.entries.findLast((e) => e.section === setting.section && e.key === key);
      const quoted = entry?.quoting === 'double' || entry?.quoting === 'single' || entry?.quoting === 'backtick';
      const parsed = parseClaimPath(setting.value);
      if ('error' in parsed) {
        report({ messageId: 'pathSyntax', severity: 'error', data: { key, error: parsed.error, what }, span: spanAt(setting, parsed.offset, quoted), hint: 'quote claim names with `:` or `-` in double quotes, e.g. "custom:groups"' });
        continue;
      }
      if (ignoredWhen && setValue(ctx, 'auth.jwt', ignoredWhen)) continue; // Grafana ignores this path
      for (const claim of new Set(topLevelFields(parsed.ast))) {
        if (!sends(claim)) report({ messageId: 'pathClaimNotSent', data: { key, claim }, span: setting.span, hint: addHint(claim) });
      }
      for (const claim of new Set(containsSubjects(parsed.ast))) {
        if (jwt?.extras.includes(claim)) report({ messageId: 'extraIsString', data: { key, claim }, span: setting.span, hint: `split it first: contains(split(${claim}, ','), '…')` });
      }
    }
  },
});

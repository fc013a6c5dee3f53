import { expectedAudience, expectedIssuer, jwtClaimsFor } from '../../pomerium/jwt.js';
import { atLeast } from '../../grafana/version.js';
import { GO_JOSE_V4 } from '../../explain/keys.js';
import { routeHost } from '../../pomerium/routes.js';
import { jwtConfigFailure, jwtEnabled } from '../grafana/place.js';
import { defineRule } from '../types.js';
import { sectionHeader } from './helpers.js';

/**
 * Claims whose value Pomerium makes anew for each token (exp, iat, jti) or each session (sid; jti before v0.27):
 * Grafana's loop over the other expectations compares them with reflect.DeepEqual
 * (pkg/services/auth/jwt/validation.go validateClaims), so a fixed value mismatches every other token.
 */
const PER_TOKEN_CLAIMS = new Set(['exp', 'iat', 'nbf', 'jti', 'sid']);

/**
 * go-jose v2 and v3 `Expected.Audience` require every listed value in the token (go-jose v2.6.3/v3.0.5
 * jwt/validation.go ValidateWithLeeway); go-jose v4's `AnyAudience` wants one (v4.0.0 jwt/validation.go).
 * Grafana moved v2 -> v3 in 11.x (grafana#83146, grafana#92116) and still pinned v3.0.4 in go.mod in March 2025
 * (commit 00033edd, before 12.0.0 shipped), so every release before 12.0.0 requires every member. The release
 * that moved to v4 is UNCONFIRMED: explain's GO_JOSE_V4 (13.0.0) is the one boundary for it, and releases in
 * between get a warning.
 */
const ALL_AUDIENCES_BEFORE = '12.0.0';
const ANY_AUDIENCE_FROM = GO_JOSE_V4;

/** Go's %T for a JSON value as encoding/json decodes it into interface{}. */
function goType(value: unknown): string {
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  if (typeof value === 'object') return 'map[string]interface {}';
  return { string: 'string', number: 'float64', boolean: 'bool' }[typeof value as 'string'] ?? typeof value;
}

export default defineRule({
  meta: {
    id: 'cross/expect-claims',
    description: 'expect_claims is a JSON object whose iss/aud are what Pomerium sends on the Grafana route',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      notJson: 'expect_claims is not valid JSON ({{error}}){{cut}}: {{effect}}',
      notObject: 'expect_claims must be a JSON object, not {{kind}}: {{effect}}',
      badType: '"{{claim}}" expectation has invalid type {{type}}, {{expected}} expected: {{effect}}',
      badAudElement: '"aud" expectation contains value with invalid type {{type}}, string expected: {{effect}}',
      issMismatch: 'expect_claims demands iss {{actual}}, but Pomerium {{version}} sends iss {{expected}} on this route: Grafana rejects every token ("invalid issuer claim (iss)")',
      audMismatch: 'expect_claims demands aud {{actual}}, but Pomerium always sends aud {{expected}} (the bare route host): Grafana rejects every token ("invalid audience claim (aud)")',
      claimNeverSent: 'expect_claims demands a "{{claim}}" claim, which Pomerium\'s JWT does not carry for this config: Grafana rejects every token ("{{claim}}" claim is missing)',
      perToken:
        'expect_claims demands a fixed "{{claim}}", a claim Pomerium makes anew for every {{scope}}: Grafana compares it exactly and rejects every other token ("{{claim}}" claim mismatch)',
      everyAudience:
        'expect_claims lists {{count}} audiences, and Grafana {{version}} (go-jose {{jose}}) requires every one of them in the token, while Pomerium sends only aud {{expected}}: Grafana rejects every token ("invalid audience claim (aud)")',
      everyAudienceMaybe:
        'expect_claims lists {{count}} audiences: Grafana {{version}} may still require every one of them in the token (go-jose v3; the release that moved to go-jose v4, which wants any one, is not confirmed), and Pomerium sends only aud {{expected}}',
      addAud: 'expect_claims does not check aud: a token Pomerium signed for another route would also be accepted',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    // Grafana reads expect_claims (and checks tokens against it) only when JWT auth is on.
    if (!jwtEnabled(grafana)) return;
    const setting = grafana.get('auth.jwt', 'expect_claims');
    if (!setting || !setting.known || setting.value.trim() === '') return;
    const span = setting.span;
    // `initClaimExpectations` fails `ProvideService`, like a bad key set.
    const effect = jwtConfigFailure(grafana.version);
    let parsed: unknown;
    try {
      parsed = JSON.parse(setting.value);
    } catch (err) {
      const entry = grafana.doc?.entries.findLast((e) => e.section === setting.section && e.key === 'expect_claims');
      const cut = setting.source === 'file' && entry?.cutComment ? `; go-ini cut the value at ${JSON.stringify(entry.cutComment.text.slice(0, 1))} as an inline comment` : '';
      const hint = cut ? 'wrap the value in backticks or """ so go-ini keeps `;` and `#`' : 'write a JSON object, e.g. {"aud": "grafana.example.com"}';
      report({ messageId: 'notJson', data: { error: (err as Error).message, cut, effect }, span, hint });
      return;
    }
    if (parsed === null) return; // json.Unmarshal of null leaves the map empty: no expectations
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      report({ messageId: 'notObject', data: { kind: Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`, effect }, span, hint: 'write a JSON object, e.g. {"aud": "grafana.example.com"}' });
      return;
    }
    const claims = parsed as Record<string, unknown>;
    for (const claim of ['iss', 'sub'] as const) {
      if (claim in claims && typeof claims[claim] !== 'string') {
        report({ messageId: 'badType', data: { claim, type: goType(claims[claim]), expected: 'string', effect }, span });
      }
    }
    const aud = claims.aud;
    const badElement = Array.isArray(aud) ? aud.find((a) => typeof a !== 'string') : undefined;
    const audOk = aud === undefined || typeof aud === 'string' || (Array.isArray(aud) && badElement === undefined);
    if (badElement !== undefined) report({ messageId: 'badAudElement', data: { type: goType(badElement), effect }, span });
    else if (!audOk) report({ messageId: 'badType', data: { claim: 'aud', type: goType(aud), expected: 'array or string', effect }, span });

    const model = ctx.pomerium;
    const route = ctx.route;
    const host = route && routeHost(route);
    if (!model || !route || !host || host.includes('*')) return;
    const audience = expectedAudience(host);
    if (typeof claims.iss === 'string') {
      const issuer = expectedIssuer(model, route, host, ctx.pomeriumVersion);
      if (issuer !== null && claims.iss !== issuer) {
        report({ messageId: 'issMismatch', data: { actual: JSON.stringify(claims.iss), version: ctx.pomeriumVersion, expected: JSON.stringify(issuer) }, span, hint: `set "iss": "${issuer}", or drop iss and check aud` });
      }
    }
    if (aud === undefined) {
      report({ messageId: 'addAud', severity: 'info', span: span ?? sectionHeader(ctx, 'auth.jwt')?.span ?? null, file: grafana.doc?.file ?? null, hint: `add "aud": "${audience}" to expect_claims` });
    } else if (audOk && !(typeof aud === 'string' ? [aud] : (aud as string[])).includes(audience)) {
      report({ messageId: 'audMismatch', data: { actual: JSON.stringify(aud), expected: JSON.stringify(audience) }, span, hint: `set "aud": "${audience}"` });
    } else if (audOk && Array.isArray(aud) && aud.some((a) => a !== audience) && !atLeast(grafana.version, ANY_AUDIENCE_FROM)) {
      const sure = !atLeast(grafana.version, ALL_AUDIENCES_BEFORE);
      report({
        messageId: sure ? 'everyAudience' : 'everyAudienceMaybe',
        ...(sure ? {} : { severity: 'warning' as const }),
        data: { count: aud.length, version: grafana.version, jose: atLeast(grafana.version, '11.0.0') ? 'v3' : 'v2', expected: JSON.stringify(audience) },
        span,
        hint: `set "aud": "${audience}" (one value)`,
      });
    }
    const { claims: sent } = jwtClaimsFor(model, ctx.pomeriumVersion);
    for (const claim of Object.keys(claims)) {
      if (sent.has(claim) && PER_TOKEN_CLAIMS.has(claim)) {
        const scope = claim === 'sid' || (claim === 'jti' && !atLeast(ctx.pomeriumVersion, '0.27.0')) ? 'session' : 'token';
        report({ messageId: 'perToken', data: { claim, scope }, span, hint: `remove "${claim}" from expect_claims: go-jose already checks exp/iat/nbf against the clock` });
      } else if (!sent.has(claim)) report({ messageId: 'claimNeverSent', data: { claim }, span, hint: `remove "${claim}" from expect_claims, or add it to jwt_claims_headers in the Pomerium config` });
    }
  },
});

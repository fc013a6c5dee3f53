import { didYouMean } from '../../core/did-you-mean.js';
import type { Fix } from '../../core/finding.js';
import { atLeast } from '../../grafana/version.js';
import { setRouteOption } from '../../pomerium/edit.js';
import type { KeyRef, PomeriumModel, PomeriumRoute } from '../../pomerium/model-types.js';
import { effectivePassIdentityHeaders } from '../../pomerium/routes.js';
import { defineRule, type RuleContext } from '../types.js';
import { diffEdit, replaceFix } from './helpers.js';

const KEY = 'pass_identity_headers';
/** The global option arrived in v0.25.0; older releases ignore it. */
const GLOBAL_SINCE = '0.25.0';

/** A key that is plausibly a misspelling of pass_identity_headers (and not the key itself). */
function misspelt(keys: readonly KeyRef[]): KeyRef | undefined {
  return keys.find((k) => k.name.toLowerCase() !== KEY && didYouMean(k.name, [KEY]) === KEY);
}

/** `pass_identity_headers: true` set on the route, as the single text edit `setRouteOption` makes. */
function setOnRoute(ctx: RuleContext, model: PomeriumModel, route: PomeriumRoute): Fix | undefined {
  const text = model.file ? ctx.textOf(model.file) : undefined;
  if (text === undefined || route.origin !== 'file') return undefined;
  try {
    const edited = setRouteOption(text, model.file!, route.index, KEY, true);
    return { file: model.file!, description: 'set pass_identity_headers: true on the Grafana route', edits: [diffEdit(text, edited)] };
  } catch {
    return undefined; // a route written through an alias: no safe edit here
  }
}

export default defineRule({
  meta: {
    id: 'cross/pass-identity-headers',
    description: 'pass_identity_headers is effectively true on the Grafana route',
    severity: 'error',
    requires: ['pomerium'],
    messages: {
      missing: 'pass_identity_headers is not set on the Grafana route nor globally: Pomerium strips X-Pomerium-Jwt-Assertion before the request reaches Grafana, so users get Grafana\'s login page',
      misspelled: '`{{name}}` is not a Pomerium option (did you mean `pass_identity_headers`?): Pomerium ignores it, strips X-Pomerium-Jwt-Assertion, and users get Grafana\'s login page',
      routeFalse: 'pass_identity_headers is false on the Grafana route{{overrides}}: Pomerium strips X-Pomerium-Jwt-Assertion, so users get Grafana\'s login page',
      globalFalse: 'pass_identity_headers is false globally and the Grafana route does not set it: Pomerium strips X-Pomerium-Jwt-Assertion, so users get Grafana\'s login page',
      globalTooOld: 'the global pass_identity_headers needs Pomerium v0.25.0; {{version}} ignores it, so the Grafana route does not pass X-Pomerium-Jwt-Assertion',
    },
  },
  check(ctx, report) {
    const model = ctx.pomerium;
    const route = ctx.route;
    if (!model || !route) return;
    const globalKnown = atLeast(ctx.pomeriumVersion, GLOBAL_SINCE);
    const effective = effectivePassIdentityHeaders(model, route);
    if (effective.value && (effective.from === 'route' || globalKnown)) return;
    const fix = setOnRoute(ctx, model, route);
    // An Ingress-made route takes the annotation (a string: the controller refuses a YAML bool).
    const hint =
      route.origin === 'ingress'
        ? 'annotate the Grafana Ingress with `ingress.pomerium.io/pass_identity_headers: "true"`'
        : 'set `pass_identity_headers: true` on the Grafana route';

    if (effective.from === 'route') {
      const overrides = model.passIdentityHeaders?.value ? ', overriding the global true' : '';
      report({ messageId: 'routeFalse', data: { overrides }, span: effective.span, hint, ...(fix ? { fix } : {}) });
      return;
    }
    if (effective.from === 'global') {
      if (effective.value) report({ messageId: 'globalTooOld', data: { version: ctx.pomeriumVersion }, span: effective.span, hint, ...(fix ? { fix } : {}) });
      else report({ messageId: 'globalFalse', span: effective.span, hint, ...(fix ? { fix } : {}) });
      return;
    }
    const typo = misspelt(route.keys) ?? misspelt(model.topLevelKeys);
    if (typo) {
      const rename = replaceFix(ctx, typo.span, KEY, `rename ${typo.name} to ${KEY}`);
      report({ messageId: 'misspelled', data: { name: typo.name }, span: typo.span, hint: `rename it to \`${KEY}\``, ...(rename ? { fix: rename } : {}) });
      return;
    }
    report({ messageId: 'missing', span: route.from?.span ?? route.span, file: model.file, hint, ...(fix ? { fix } : {}) });
  },
});

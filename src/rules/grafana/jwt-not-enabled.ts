import { parseGoBool } from '../../grafana/ini-values.js';
import { signInPath } from '../../signin/simulate.js';
import { defineRule } from '../types.js';
import { entriesOf, insertAfterHeader, replaceSpan, sectionPlace, settingName } from './place.js';

export default defineRule({
  meta: {
    id: 'grafana/jwt-not-enabled',
    description: '[auth.jwt] enabled is not effectively true, so Grafana ignores Pomerium\'s JWT',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      missing: '[auth.jwt] enabled is not set: JWT sign-in is off (the default is false), so Grafana ignores Pomerium\'s JWT and shows its login page',
      disabled: '{{name}} = {{value}} turns JWT sign-in off: Grafana ignores Pomerium\'s JWT and shows its login page',
      overridden: '{{name}} = {{value}} wins over `enabled = {{earlierValue}}` on line {{earlierLine}} (the last value wins): JWT sign-in is off, so Grafana shows its login page',
      invalidBool: '{{name}} = {{value}} is not a boolean go-ini accepts: Grafana silently reads it as false, so JWT sign-in is off and Grafana shows its login page',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    const doc = grafana.doc;
    const hint = 'set `enabled = true` in [auth.jwt]';
    // Grafana's auth proxy is the chosen sign-in path: grafana/auth-proxy-* and cross/sign-in judge it.
    if (signInPath(grafana) === 'proxy') return;
    const setting = grafana.get('auth.jwt', 'enabled');
    const written = entriesOf(doc, 'auth.jwt', 'enabled');

    if (!setting || setting.source === 'default') {
      // An empty `enabled =` is skipped by Grafana's merge: point at it, else at where the key belongs.
      const empty = written.at(-1);
      const place = empty ? { span: empty.keySpan, file: doc?.file ?? null } : sectionPlace(doc, 'auth.jwt');
      const fix = doc && !empty ? insertAfterHeader(doc, 'auth.jwt', 'enabled = true', 'add `enabled = true` to [auth.jwt]') : undefined;
      report({ messageId: 'missing', ...place, hint, ...(fix ? { fix } : {}) });
      return;
    }
    if (!setting.known) return;
    const on = parseGoBool(setting.value);
    if (on === true) return;

    const fix = doc && setting.source === 'file' && setting.span ? replaceSpan(doc, setting.span, 'true', 'set [auth.jwt] enabled = true') : undefined;
    const base = { span: setting.span, file: setting.span?.file ?? null, hint, ...(fix ? { fix } : {}) };
    const data = { name: settingName(setting), value: setting.value };
    if (on === undefined) {
      report({ messageId: 'invalidBool', data, ...base });
      return;
    }
    // A later line (or a GF_ variable) turning off what an earlier line turned on.
    const winner = setting.source === 'file' ? written.at(-1) : undefined;
    const earlier = written.findLast((e) => e !== winner && parseGoBool(e.value) === true);
    if (earlier) report({ messageId: 'overridden', data: { ...data, earlierValue: earlier.value, earlierLine: earlier.keySpan.line }, ...base });
    else report({ messageId: 'disabled', data, ...base });
  },
});

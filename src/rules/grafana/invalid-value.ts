import { GRAFANA_KEYS, isReadIn, type GrafanaKey } from '../../grafana/defaults.js';
import { parseGoBool, parseGoDuration, parseGoInt } from '../../grafana/ini-values.js';
import type { GrafanaModel, Setting } from '../../grafana/model-types.js';
import { atLeast } from '../../grafana/version.js';
import { defineRule } from '../types.js';
import { settingName } from './place.js';

/**
 * Durations Grafana reads with go-ini's `MustDuration` (Go `time.ParseDuration`, no `d` unit): a bad value
 * silently becomes the default. Other duration keys go through Grafana's own parser, which accepts `d`/`w`
 * and fails loudly instead.
 */
const GO_DURATION_KEYS = new Set(['auth.jwt\u0000cache_ttl', 'server\u0000read_timeout']);

/**
 * Enums read with go-ini `In(default, candidates)` or compared one by one, so anything else is the default.
 * `app_mode` is absent on purpose: any value but `development` simply runs as production.
 */
const REPLACED_ENUMS = new Set(['users\u0000auto_assign_org_role', 'server\u0000protocol']);

/**
 * `[users] auto_assign_org_role` was `In("Editor", [Editor Admin Viewer])` in 8.x/9.x and is
 * `In("Viewer", [None Viewer Editor Admin])` now; the release that switched is UNCONFIRMED (11.0.0 assumed,
 * so older versions get the stricter, Editor-granting reading).
 */
const VIEWER_FALLBACK_FROM = '11.0.0';

/**
 * The None role exists from 10.0 (src/explain/role.ts, UNCONFIRMED minor), and the `In()` that accepts it may have
 * come with it: between 10.0 and the assumed switch, `None` is in doubt (a warning), and the fallback is Editor or Viewer.
 */
const NONE_ROLE_MAYBE_FROM = '10.0.0';

interface Candidates {
  values: readonly string[];
  fallback: string;
}

function enumOf(entry: GrafanaKey, version: string): Candidates {
  if (entry.key === 'auto_assign_org_role' && !atLeast(version, VIEWER_FALLBACK_FROM)) return { values: ['Editor', 'Admin', 'Viewer'], fallback: 'Editor' };
  return { values: entry.values ?? [], fallback: entry.default };
}

/** `[section] key` as typed in GRAFANA_KEYS, when set (not a default) in that very section. */
function writtenSetting(grafana: GrafanaModel, entry: GrafanaKey): Setting | undefined {
  const setting = grafana.get(entry.section, entry.key);
  if (!setting || setting.source === 'default' || setting.section !== entry.section || !setting.known || setting.value === '') return undefined;
  return setting;
}

const id = (entry: GrafanaKey) => `${entry.section}\u0000${entry.key}`;

export default defineRule({
  meta: {
    id: 'grafana/invalid-value',
    description: 'A value Grafana cannot read and silently replaces with its default',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      invalidBool: '{{name}} = {{value}} is not a boolean go-ini accepts: Grafana silently uses {{fallback}}',
      invalidDuration: '{{name}} = {{value}} is not a Go duration (no `d` unit, a number needs a unit): Grafana silently uses {{fallback}}',
      noCache: '{{name}} = {{value}} turns the JWKS cache off: Grafana fetches the key set from jwk_set_url on every request',
      invalidInt: '{{name}} = {{value}} is not a whole number: Grafana silently uses {{fallback}}',
      noneInDoubt:
        '{{name}} = None: Grafana {{version}} may not accept None yet (the release whose `In()` lists it is not confirmed; 11.0 assumed), and would then silently use Editor',
      invalidEnum: '{{name}} = {{value}} is not one of {{values}} (the case must match): Grafana {{version}} silently uses {{fallback}}',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    for (const entry of GRAFANA_KEYS) {
      // jwt-not-enabled reports [auth.jwt] enabled with what it means for sign-in.
      if (!isReadIn(entry, grafana.version) || (entry.section === 'auth.jwt' && entry.key === 'enabled')) continue;
      const setting = writtenSetting(grafana, entry);
      if (!setting) continue;
      const { value } = setting;
      const at = { span: setting.span, file: setting.span?.file ?? null };
      const data = { name: settingName(setting), value, fallback: entry.default };

      if (entry.type === 'bool' && parseGoBool(value) === undefined) {
        report({ messageId: 'invalidBool', data, ...at, hint: 'write true or false' });
      } else if (entry.type === 'int' && parseGoInt(value) === undefined && parseGoInt(value, 0) === undefined) {
        report({ messageId: 'invalidInt', data, ...at, hint: 'write a whole number such as 1' });
      } else if (entry.type === 'duration' && GO_DURATION_KEYS.has(id(entry))) {
        const ms = parseGoDuration(value);
        if (ms === undefined) report({ messageId: 'invalidDuration', data, ...at, hint: durationHint(value) });
        else if (ms <= 0 && entry.key === 'cache_ttl' && grafana.str('auth.jwt', 'jwk_set_url') !== '') {
          report({ messageId: 'noCache', data, severity: 'warning', ...at, hint: 'remove cache_ttl (60m by default) or set a positive duration such as 10m' });
        }
      } else if (entry.type === 'enum' && REPLACED_ENUMS.has(id(entry))) {
        const { values, fallback: strictFallback } = enumOf(entry, grafana.version);
        const inDoubt = entry.key === 'auto_assign_org_role' && atLeast(grafana.version, NONE_ROLE_MAYBE_FROM) && !atLeast(grafana.version, VIEWER_FALLBACK_FROM);
        const fallback = inDoubt ? `${strictFallback} (or Viewer, in a release that already accepts None)` : strictFallback;
        if (inDoubt && value === 'None') {
          report({ messageId: 'noneInDoubt', severity: 'warning', data: { ...data, version: grafana.version }, ...at, hint: 'upgrade to Grafana 11, or use Viewer' });
        } else if (!values.includes(value)) {
          const exact = values.find((v) => v.toLowerCase() === value.toLowerCase());
          report({
            messageId: 'invalidEnum',
            data: { ...data, values: values.join(', '), fallback, version: grafana.version },
            ...at,
            hint: exact ? `write ${exact}` : `write one of ${values.join(', ')}`,
          });
        }
      }
    }
  },
});

/** `1d` → `24h`, `2w` → `336h`; otherwise a reminder of the units Go knows. */
function durationHint(value: string): string {
  const m = /^(\d+)([dw])$/.exec(value);
  if (m) return `write ${Number(m[1]) * (m[2] === 'd' ? 24 : 168)}h`;
  return 'write a number with a unit: ns, us, ms, s, m or h (e.g. 10m, 1h30m)';
}

import { GRAFANA_KEYS } from '../../grafana/defaults.js';
import { parseGoBool } from '../../grafana/ini-values.js';
import { atLeast } from '../../grafana/version.js';
import { defineRule } from '../types.js';
import { settingName } from './place.js';

/**
 * First releases the reference confirms from release notes or the changelog (../shared/reference/grafana.md 1.1);
 * for every other key the catalog's `read.from` is the later of the candidate releases, so the finding says
 * "first seen in" instead of "needs".
 */
const CONFIRMED_SINCE = new Set(['enabled', 'header_name', 'email_claim', 'username_claim', 'jwk_set_url', 'jwk_set_file', 'cache_ttl', 'key_file', 'expect_claims', 'auto_sign_up', 'url_login', 'email_attribute_path', 'username_attribute_path', 'org_attribute_path', 'org_mapping']);

export default defineRule({
  meta: {
    id: 'grafana/version-gate',
    description: 'A Grafana key set for a Grafana version that does not read it yet',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      autoSignUp:
        '{{name}} needs Grafana {{since}} or newer; Grafana {{version}} ignores it, so a user who is not in Grafana\'s database yet is refused with {"message":"User not found"}',
      needs: '{{name}} needs Grafana {{since}} or newer; Grafana {{version}} never reads it, so the setting has no effect',
      firstSeen: '{{name}} is first seen in Grafana {{since}} (the exact release is not confirmed); Grafana {{version}} probably never reads it, so the setting may have no effect',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    const version = grafana.version;
    for (const entry of GRAFANA_KEYS) {
      const since = entry.read?.from;
      if (!since || atLeast(version, since)) continue;
      const setting = grafana.get(entry.section, entry.key);
      if (!setting || setting.source === 'default' || setting.section !== entry.section || setting.value === '') continue;
      // A boolean left off does what the missing key does.
      if (entry.type === 'bool' && parseGoBool(setting.value) !== true) continue;
      const data = { name: settingName(setting), since, version };
      const messageId = entry.key === 'auto_sign_up' ? 'autoSignUp' : CONFIRMED_SINCE.has(entry.key) ? 'needs' : 'firstSeen';
      report({
        messageId,
        data,
        // An unconfirmed first release may be wrong by a minor: a warning until the boundary is settled.
        ...(messageId === 'firstSeen' ? { severity: 'warning' as const } : {}),
        span: setting.keySpan ?? setting.span,
        file: grafana.doc?.file ?? null,
        hint: messageId === 'autoSignUp' ? `upgrade Grafana to ${since} or newer, or create every user in Grafana before they sign in` : `upgrade Grafana to ${since} or newer, or pass the version you run with --grafana-version`,
      });
    }
  },
});

import { grafanaKey, isReadIn } from '../../grafana/defaults.js';
import { parseGoBool } from '../../grafana/ini-values.js';
import { defineRule } from '../types.js';
import { jwtEnabled, settingName } from './place.js';

/**
 * What `skip_org_role_sync = true` turns off: in pkg/services/authn/clients/jwt.go `Authenticate` (newest read,
 * commit 010a0935) the role, Grafana-admin, org and strict-role steps all sit inside `if !SkipOrgRoleSync`.
 * groups_attribute_path is evaluated before that block, so it is not listed.
 */
const INERT_KEYS = [
  { key: 'role_attribute_path', bool: false },
  { key: 'role_attribute_strict', bool: true },
  { key: 'allow_assign_grafana_admin', bool: true },
  { key: 'org_mapping', bool: false },
  { key: 'org_attribute_path', bool: false },
] as const;

export default defineRule({
  meta: {
    id: 'grafana/skip-org-role-sync',
    description: 'skip_org_role_sync = true beside role or org settings that it turns off',
    severity: 'warning',
    requires: ['grafana'],
    messages: {
      inert: '{{name}} has no effect: {{skip}} = true makes Grafana skip the whole role and organization step of JWT sign-in, so roles stay as they are in Grafana',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    const version = grafana.version;
    if (!jwtEnabled(grafana) || !isReadIn(grafanaKey('auth.jwt', 'skip_org_role_sync')!, version)) return;
    const skip = grafana.get('auth.jwt', 'skip_org_role_sync');
    if (!skip || parseGoBool(skip.value) !== true) return;
    for (const { key, bool } of INERT_KEYS) {
      if (!isReadIn(grafanaKey('auth.jwt', key)!, version)) continue;
      const setting = grafana.get('auth.jwt', key);
      if (!setting || setting.source === 'default' || setting.section !== 'auth.jwt' || setting.value.trim() === '') continue;
      // A switch left off does what skipping does anyway.
      if (bool && parseGoBool(setting.value) !== true) continue;
      report({
        messageId: 'inert',
        data: { name: settingName(setting), skip: settingName(skip) },
        span: setting.keySpan ?? setting.span,
        file: setting.span?.file ?? grafana.doc?.file ?? null,
        hint: `remove ${settingName(skip)} so Grafana applies ${key}, or remove ${key}`,
      });
    }
  },
});

import { parseGoBool } from '../../grafana/ini-values.js';
import { defineRule } from '../types.js';
import { jwtEnabled, settingName, settingPlace } from './place.js';

/** Anonymous roles that can change dashboards, data sources or users. */
const WRITING_ROLES = new Set(['Editor', 'Admin']);

export default defineRule({
  meta: {
    id: 'grafana/anonymous-auth',
    description: 'Anonymous access is on beside JWT sign-in',
    severity: 'warning',
    requires: ['grafana'],
    messages: {
      masksJwt:
        'anonymous access is on beside JWT sign-in: a request whose X-Pomerium-Jwt-Assertion header is missing (or, in Grafana\'s authn pipeline, fails to verify) is let in as an anonymous user instead of being refused, which hides every JWT mistake',
      writingRole: 'anonymous users get the {{role}} role: anyone who reaches Grafana, past Pomerium or around it, can change it without signing in',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    if (parseGoBool(grafana.effective('auth.anonymous', 'enabled')) !== true) return;
    const enabled = grafana.get('auth.anonymous', 'enabled')!;
    if (jwtEnabled(grafana)) {
      report({
        messageId: 'masksJwt',
        ...settingPlace(grafana, 'auth.anonymous', 'enabled'),
        hint: `set ${settingName(enabled)} = false: behind Pomerium every user has a JWT`,
      });
    }
    const role = grafana.effective('auth.anonymous', 'org_role');
    if (WRITING_ROLES.has(role)) {
      report({
        messageId: 'writingRole',
        data: { role },
        severity: 'error',
        ...settingPlace(grafana, 'auth.anonymous', 'org_role'),
        hint: 'turn anonymous access off, or set [auth.anonymous] org_role = Viewer',
      });
    }
  },
});

import { grafanaKey, isReadIn } from '../../grafana/defaults.js';
import { parseGoBool } from '../../grafana/ini-values.js';
import { iniValueFix } from '../cross/helpers.js';
import { defineRule } from '../types.js';
import { settingName, settingPlace } from './place.js';

const URL_LOGIN = grafanaKey('auth.jwt', 'url_login')!;

export default defineRule({
  meta: {
    id: 'grafana/url-login',
    description: 'JWT sign-in from the URL (`url_login`) is on',
    severity: 'warning',
    requires: ['grafana'],
    messages: {
      tokenInUrl:
        '{{name}} is on: Grafana also accepts the JWT from an `?auth_token=` URL parameter, and tokens in URLs leak into access logs, browser history and Referer headers; Pomerium always sends the token in a header, so this is never needed',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    const setting = grafana.get('auth.jwt', 'url_login');
    // Versions that do not read the key are grafana/version-gate's business.
    if (!setting || !isReadIn(URL_LOGIN, grafana.version) || parseGoBool(setting.value) !== true) return;
    // With header_name empty the JWT client never runs, url_login included: grafana/jwt-header-name says so.
    if (grafana.str('auth.jwt', 'header_name') === '') return;
    const place = settingPlace(grafana, 'auth.jwt', 'url_login');
    const name = settingName(setting);
    const fix = iniValueFix(ctx, setting, 'false', 'turn url_login off');
    report({ messageId: 'tokenInUrl', data: { name }, ...place, hint: `set ${name} = false`, ...(fix ? { fix } : {}) });
  },
});

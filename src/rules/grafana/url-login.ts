import { grafanaKey, isReadIn } from '../../grafana/defaults.js';
import { parseGoBool } from '../../grafana/ini-values.js';
import { iniValueFix } from '../cross/helpers.js';
import { defineRule } from '../types.js';
import { loadedGrafana, settingName, settingPlace } from './place.js';

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
      withoutHeader: '{{name}} does nothing while [auth.jwt] header_name is empty: Grafana runs JWT sign-in only when header_name is set (grafana#91515)',
    },
  },
  check(ctx, report) {
    const grafana = loadedGrafana(ctx);
    const setting = grafana?.get('auth.jwt', 'url_login');
    // Versions that do not read the key are grafana/version-gate's business.
    if (!grafana || !setting || !isReadIn(URL_LOGIN, grafana.version) || parseGoBool(setting.value) !== true) return;
    const place = settingPlace(grafana, 'auth.jwt', 'url_login');
    const name = settingName(setting);
    if (grafana.str('auth.jwt', 'header_name') === '') {
      report({ messageId: 'withoutHeader', data: { name }, ...place, hint: 'set [auth.jwt] header_name = X-Pomerium-Jwt-Assertion and remove url_login' });
      return;
    }
    const fix = iniValueFix(ctx, setting, 'false', 'turn url_login off');
    report({ messageId: 'tokenInUrl', data: { name }, ...place, hint: `set ${name} = false`, ...(fix ? { fix } : {}) });
  },
});

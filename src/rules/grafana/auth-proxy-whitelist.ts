import { parseGoBool } from '../../grafana/ini-values.js';
import { atLeast } from '../../grafana/version.js';
import { parseWhitelist } from '../../signin/proxy.js';
import { defineRule } from '../types.js';
import { jwtEnabled, sectionPlace, settingPlace } from './place.js';

/** Before this release the legacy pipeline is reported to try the auth proxy before the JWT (reference 4, UNCONFIRMED). */
const JWT_FIRST_FROM = '9.2.0';

export default defineRule({
  meta: {
    id: 'grafana/auth-proxy-whitelist',
    description: 'Auth proxy sign-in trusts a header from any address, or runs beside JWT sign-in',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      noWhitelist:
        '[auth.proxy] is enabled with no whitelist: Grafana signs in whoever the {{header}} header names, so anyone who can reach Grafana directly can send `{{header}}: admin` and be that user',
      unparsable:
        '[auth.proxy] whitelist = {{value}} is not a list of IP addresses or CIDR networks ({{error}}): Grafana logs "Failed to configure auth proxy" and leaves the auth proxy off, so nobody is signed in through it',
      beside: 'both [auth.proxy] and [auth.jwt] are enabled: a request without a JWT is still signed in from the {{header}} header, which Pomerium does not vouch for{{order}}',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    if (parseGoBool(grafana.effective('auth.proxy', 'enabled')) !== true) return;
    const header = grafana.effective('auth.proxy', 'header_name') || 'X-WEBAUTH-USER';
    const enabledAt = settingPlace(grafana, 'auth.proxy', 'enabled');
    const whitelist = parseWhitelist(grafana.str('auth.proxy', 'whitelist'));
    if ('error' in whitelist) {
      report({
        messageId: 'unparsable',
        data: { value: grafana.str('auth.proxy', 'whitelist'), error: whitelist.error },
        ...settingPlace(grafana, 'auth.proxy', 'whitelist'),
        hint: 'write IP addresses or CIDR networks separated by commas, e.g. `whitelist = 10.0.0.5, 172.16.0.0/12` (host names are not resolved; no trailing comma)',
      });
    } else if (whitelist.networks.length === 0) {
      const section = sectionPlace(grafana.doc, 'auth.proxy');
      report({
        messageId: 'noWhitelist',
        data: { header },
        ...(section.span ? section : enabledAt),
        hint: 'set [auth.proxy] enabled = false and sign in with [auth.jwt]; if you need the proxy, add `whitelist = <Pomerium\'s address>` and have Pomerium set the header itself (set_request_headers) so clients cannot send their own',
      });
    }
    if (jwtEnabled(grafana)) {
      const order = atLeast(grafana.version, JWT_FIRST_FROM) ? '' : `; Grafana ${grafana.version} is reported to try the auth proxy before the JWT at all (not confirmed in source)`;
      report({
        messageId: 'beside',
        data: { header, order },
        severity: 'warning',
        ...enabledAt,
        hint: 'set [auth.proxy] enabled = false: Pomerium\'s signed JWT is the only identity Grafana needs',
      });
    }
  },
});

// Grafana's auth proxy as the sign-in path behind Pomerium: the header it reads must be one Pomerium
// sends on the Grafana route (a jwt_claims_headers mapping, with pass_identity_headers), and never the
// JWT header itself. It trusts that header unsigned, where JWT sign-in checks Pomerium's signature.
import { canonicalHeaderKey, POMERIUM_JWT_HEADER } from '../../explain/token.js';
import { parseGoBool } from '../../grafana/ini-values.js';
import { effectivePassIdentityHeaders } from '../../pomerium/routes.js';
import { checkProxyHeader, proxyHeaderMap } from '../../signin/proxy.js';
import { defineRule } from '../types.js';
import { jwtEnabled, settingPlace } from './place.js';

export default defineRule({
  meta: {
    id: 'grafana/auth-proxy-header',
    description: "Grafana's auth proxy reads a header Pomerium sends on the Grafana route, and JWT would be safer",
    severity: 'error',
    requires: ['grafana'],
    messages: {
      notSent:
        "{{detail}}: Grafana's auth proxy finds the header empty on every request and skips it, so nobody is signed in and users get the login page",
      extraNotSent: '{{detail}}: Grafana never gets the {{field}} it is told to read there',
      jwtHeader:
        '[auth.proxy] {{key}} = {{header}} names the header that carries Pomerium\'s signed JWT: Grafana would take the whole token as the {{what}}, a different one every few minutes, and never check its signature',
      unsigned:
        "Grafana signs users in through its auth proxy, which trusts the {{header}} header as it arrives, unsigned; [auth.jwt] verifies Pomerium's signature on X-Pomerium-Jwt-Assertion instead",
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    if (parseGoBool(grafana.effective('auth.proxy', 'enabled')) !== true) return;
    const header = grafana.effective('auth.proxy', 'header_name');
    const headerAt = settingPlace(grafana, 'auth.proxy', 'header_name');
    const headersAt = settingPlace(grafana, 'auth.proxy', 'headers');
    const extras = proxyHeaderMap(grafana.str('auth.proxy', 'headers'));
    const jwtHint = 'sign in with [auth.jwt] (enabled = true, header_name = X-Pomerium-Jwt-Assertion) instead, or point the proxy at a claim header such as X-Pomerium-Claim-Email';

    if (canonicalHeaderKey(header) === POMERIUM_JWT_HEADER) {
      report({ messageId: 'jwtHeader', data: { key: 'header_name', header, what: 'user name' }, ...headerAt, hint: jwtHint });
    }
    for (const [field, name] of Object.entries(extras)) {
      if (canonicalHeaderKey(name) === POMERIUM_JWT_HEADER) report({ messageId: 'jwtHeader', data: { key: 'headers', header: name, what: field.toLowerCase() }, ...headersAt, hint: jwtHint });
    }

    const { pomerium, route } = ctx;
    // Without pass_identity_headers, cross/pass-identity-headers reports the stripped headers.
    if (pomerium && route && effectivePassIdentityHeaders(pomerium, route).value) {
      const main = checkProxyHeader(pomerium, route, header, '[auth.proxy] header_name');
      if (!main.ok && canonicalHeaderKey(header) !== POMERIUM_JWT_HEADER) {
        report({ messageId: 'notSent', data: { detail: main.detail }, ...headerAt, hint: `map a claim to it in Pomerium: \`jwt_claims_headers: {${canonicalHeaderKey(header)}: email}\`, or set header_name to a header Pomerium sends` });
      }
      for (const [field, name] of Object.entries(extras)) {
        const extra = checkProxyHeader(pomerium, route, name, `[auth.proxy] headers ${field}`);
        if (!extra.ok && canonicalHeaderKey(name) !== POMERIUM_JWT_HEADER) {
          report({ messageId: 'extraNotSent', data: { detail: extra.detail, field: field.toLowerCase() }, ...headersAt, hint: `map a claim to ${canonicalHeaderKey(name)} in jwt_claims_headers, or drop ${field} from headers` });
        }
      }
    }

    if (!jwtEnabled(grafana)) {
      report({
        messageId: 'unsigned',
        severity: 'warning',
        data: { header: canonicalHeaderKey(header) },
        ...settingPlace(grafana, 'auth.proxy', 'enabled'),
        hint: 'prefer [auth.jwt] (enabled = true, header_name = X-Pomerium-Jwt-Assertion, jwk_set_url = https://<grafana host>/.well-known/pomerium/jwks.json); keep the proxy only with a whitelist of Pomerium\'s address',
      });
    }
  },
});

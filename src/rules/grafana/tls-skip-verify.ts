import { grafanaKey, isReadIn } from '../../grafana/defaults.js';
import { parseGoBool } from '../../grafana/ini-values.js';
import { defineRule } from '../types.js';
import { settingName, settingPlace } from './place.js';

const TLS_CLIENT_CA = grafanaKey('auth.jwt', 'tls_client_ca')!;

export default defineRule({
  meta: {
    id: 'grafana/tls-skip-verify',
    description: 'Grafana fetches the JWKS without checking the server certificate',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      skipVerify:
        '{{name}} is on: Grafana fetches the JWKS at jwk_set_url trusting any certificate, so anyone on the network path can serve their own keys and sign themselves in as any user',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    const setting = grafana.get('auth.jwt', 'tls_skip_verify_insecure');
    // Versions that do not read the key are grafana/version-gate's business.
    if (!setting || !isReadIn(grafanaKey('auth.jwt', 'tls_skip_verify_insecure')!, grafana.version)) return;
    // Without jwk_set_url nothing is fetched, so there is nothing to trust.
    if (parseGoBool(setting.value) !== true || grafana.str('auth.jwt', 'jwk_set_url') === '') return;
    report({
      messageId: 'skipVerify',
      data: { name: settingName(setting) },
      ...settingPlace(grafana, 'auth.jwt', 'tls_skip_verify_insecure'),
      hint: isReadIn(TLS_CLIENT_CA, grafana.version)
        ? 'remove it and set [auth.jwt] tls_client_ca to the CA that signed Pomerium\'s certificate'
        : 'remove it and give Grafana the JWKS as a file: `grafana-pomerium fetch-jwks`, then [auth.jwt] jwk_set_file (or upgrade to 12.2+ for tls_client_ca)',
    });
  },
});

import { parseUrl } from '../../core/url.js';
import { atLeast } from '../../grafana/version.js';
import { isHostedAuthenticate } from '../../pomerium/jwt.js';
import { hostMatches, routeHost } from '../../pomerium/routes.js';
import { defineRule } from '../types.js';
import { setValue } from './helpers.js';

/** Pomerium's own local-development domain: its certificates are self-signed or made by mkcert, never from a public CA. */
const LOCAL_DOMAIN = /(^|\.)localhost\.pomerium\.io$/;
/** Top-level options that give Pomerium a certificate (config/options.go); without them it serves its generated catch-all. */
const CERTIFICATE_OPTIONS = ['certificate', 'certificate_file', 'certificates', 'autocert', 'insecure_server'];

/**
 * Grafana fetches jwk_set_url with Go's TLS client (pkg/services/auth/jwt/key_sets.go: RootCAs from
 * tls_client_ca, else the system pool, which SSL_CERT_FILE/SSL_CERT_DIR replace). A host whose certificate
 * no CA in that pool signed fails every sign-in with Go's x509 error.
 */
export default defineRule({
  meta: {
    id: 'cross/jwk-set-url-trust',
    description: "Grafana trusts the certificate of the jwk_set_url host (Pomerium's generated or a local/private CA needs tls_client_ca)",
    // warning: it works once the CA is trusted in the container, which doctor cannot see (the severity rule)
    severity: 'warning',
    requires: ['grafana'],
    messages: {
      untrusted:
        'Grafana fetches {{url}} but nothing makes it trust the certificate {{host}} serves ({{why}}): sign-in then fails with "failed to verify JWT: Get \\"{{url}}\\": tls: failed to verify certificate: x509: certificate signed by unknown authority"',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    const setting = setValue(ctx, 'auth.jwt', 'jwk_set_url');
    const url = setting && parseUrl(setting.value);
    if (!setting || !url || url.protocol !== 'https:') return;
    // What makes Grafana trust it: its own CA file, skipping verification (another rule warns), or Go's SSL_CERT_FILE/DIR.
    // tls_client_ca is read from Grafana 12.2.0 (reference grafana.md 1.x table); older releases ignore it.
    if ((grafana.str('auth.jwt', 'tls_client_ca') !== '' && atLeast(ctx.grafanaVersion, '12.2.0')) || grafana.str('auth.jwt', 'tls_skip_verify_insecure').toLowerCase() === 'true') return;
    if (ctx.grafanaEnv?.SSL_CERT_FILE || ctx.grafanaEnv?.SSL_CERT_DIR) return;
    // Go's system pool on Linux also reads every file in /etc/ssl/certs and /etc/pki/tls/certs
    // (crypto/x509 root_linux.go certDirectories): a CA mounted there is trusted.
    const mounted = [...(ctx.compose?.grafana?.binds ?? []).map((b) => b.target), ...(ctx.kubernetes?.grafanaWorkload?.files.keys() ?? [])];
    if (mounted.some((target) => /^\/etc\/(ssl\/certs|pki\/tls\/certs)(\/|$)/.test(target))) return;
    const host = url.hostname.toLowerCase();
    let why: string | null = null;
    if (LOCAL_DOMAIN.test(host)) {
      why = '*.localhost.pomerium.io is served with a self-signed or mkcert certificate, whose CA the Grafana container does not have';
    } else if (ctx.pomerium && !ctx.kubernetes && !ctx.pomeriumChart && ctx.pomerium.file) {
      const model = ctx.pomerium;
      const served = model.routes.some((r) => r.origin === 'file' && hostMatches(routeHost(r) ?? '', host)) || (!isHostedAuthenticate(setting.value) && parseUrl(model.authenticateServiceUrl?.value ?? '')?.hostname.toLowerCase() === host);
      // The same options as Pomerium's environment variables (compose service, --env-file).
      const envNames = [...(ctx.compose?.pomerium?.env.keys() ?? []), ...Object.keys(ctx.grafanaEnv ?? {})].map((n) => n.toLowerCase());
      const hasCertificate = [...model.topLevelKeys.map((k) => k.name.toLowerCase()), ...envNames].some((name) => CERTIFICATE_OPTIONS.includes(name));
      // config.GenerateCatchAllCertificate (config/config.go): a certificate from a CA derived from the shared secret.
      if (served && !hasCertificate) why = `the Pomerium config gives no certificate (no autocert, certificate or certificates), so Pomerium serves the catch-all certificate it generates from its own CA`;
    }
    if (!why) return;
    report({
      messageId: 'untrusted',
      data: { url: setting.value, host, why },
      span: setting.span,
      hint: 'give Grafana the CA that signed it: tls_client_ca = /etc/grafana/ca.pem under [auth.jwt] (Grafana 12.2+) or SSL_CERT_FILE=/etc/grafana/ca.pem in its environment; or save the set with `grafana-pomerium fetch-jwks --ca-file ca.pem` and use jwk_set_file',
    });
  },
});

import { parseUrl } from '../../core/url.js';
import { atLeast } from '../../grafana/version.js';
import { isHostedAuthenticate } from '../../pomerium/jwt.js';
import { hostMatches, routeHost } from '../../pomerium/routes.js';
import { parse } from 'yaml';
import { defineRule, type RuleContext } from '../types.js';
import { setValue } from './helpers.js';

/** Pomerium's own local-development domain: its certificates are self-signed or made by mkcert, never from a public CA. */
const LOCAL_DOMAIN = /(^|\.)localhost\.pomerium\.io$/;

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
      notClientCa:
        'Grafana fetches {{url}} trusting only the CAs in tls_client_ca {{ca}} (they replace the system roots), and none of them signed the certificate {{host}} serves ({{why}}): sign-in then fails with "failed to verify JWT: Get \\"{{url}}\\": tls: failed to verify certificate: x509: certificate signed by unknown authority"',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    const setting = setValue(ctx, 'auth.jwt', 'jwk_set_url');
    const url = setting && parseUrl(setting.value);
    if (!setting || !url || url.protocol !== 'https:') return;
    // What makes Grafana trust it: its own CA file, skipping verification (another rule warns), or Go's SSL_CERT_FILE/DIR.
    if (grafana.str('auth.jwt', 'tls_skip_verify_insecure').toLowerCase() === 'true') return;
    const host = url.hostname.toLowerCase();
    // tls_client_ca is read from Grafana 12.2.0 (reference grafana.md 1.x table); older releases ignore it. Then
    // key_sets.go sets RootCAs to a new pool of that file's CAs alone: the system pool no longer counts, so the
    // certificate must chain to them. An error when both files can be read here; else nothing can be said.
    const clientCa = atLeast(ctx.grafanaVersion, '12.2.0') ? grafana.str('auth.jwt', 'tls_client_ca') : '';
    if (clientCa !== '') {
      const found = ctx.readFile(clientCa);
      const roots = found.status === 'ok' ? pemCertificates(found.text) : [];
      const why = roots.length > 0 ? untrustedCertificate(ctx, host, { roots, outside: `tls_client_ca ${clientCa}` }) : null;
      if (why) {
        report({
          messageId: 'notClientCa',
          severity: 'error',
          data: { url: setting.value, host, ca: clientCa, why },
          span: setting.span,
          hint: `point tls_client_ca at the CA that signed the certificate of ${host} (a bundle of several CAs works too), or remove it if a public CA signed it`,
        });
      }
      return;
    }
    if (ctx.grafanaEnv?.SSL_CERT_FILE || ctx.grafanaEnv?.SSL_CERT_DIR) return;
    // Go's system pool on Linux also reads every file in /etc/ssl/certs and /etc/pki/tls/certs
    // (crypto/x509 root_linux.go certDirectories): a CA mounted there is trusted. UNCONFIRMED: from
    // memory of Go's source, not checked against a mirror here.
    const mounted = [...(ctx.compose?.grafana?.binds ?? []).map((b) => b.target), ...(ctx.kubernetes?.grafanaWorkload?.files.keys() ?? [])];
    if (mounted.some((target) => /^\/etc\/(ssl\/certs|pki\/tls\/certs)(\/|$)/.test(target))) return;
    let why: string | null = null;
    // INFERRED from pomerium#4450 and the guides' setups (mkcert or Pomerium's own generated certificate).
    if (LOCAL_DOMAIN.test(host)) {
      why = '*.localhost.pomerium.io is served with a self-signed or mkcert certificate, whose CA the Grafana container does not have';
    } else {
      why = untrustedCertificate(ctx, host, { roots: builtins().rootCertificates, outside: 'the public roots' });
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

/** Node's built-ins, loaded only when a certificate is to be checked (doctor starts without them). */
function builtins(): { X509Certificate: typeof import('node:crypto').X509Certificate; rootCertificates: readonly string[] } {
  const { X509Certificate } = process.getBuiltinModule('node:crypto') as typeof import('node:crypto');
  const { rootCertificates } = process.getBuiltinModule('node:tls') as typeof import('node:tls');
  return { X509Certificate, rootCertificates };
}

/** The certificates of a PEM text. */
function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * The certificate Pomerium serves for `host`, when the config names one doctor can read (`certificate_file`,
 * through the mounts, or base64 `certificate`): why Grafana would not trust it with `trust.roots` as its
 * pool (self-signed, or its chain ends at a CA outside them: the public roots, which Node's bundled Mozilla
 * roots stand in for, or tls_client_ca's), or null.
 */
function untrustedCertificate(ctx: RuleContext, host: string, trust: { roots: readonly string[]; outside: string }): string | null {
  const model = ctx.pomerium;
  if (!model?.file) return null;
  const served =
    model.routes.some((r) => r.origin === 'file' && hostMatches(routeHost(r) ?? '', host)) ||
    (!isHostedAuthenticate(model.authenticateServiceUrl?.value ?? '') && parseUrl(model.authenticateServiceUrl?.value ?? '')?.hostname.toLowerCase() === host);
  const source = served ? ctx.textOf(model.file) : undefined;
  if (!source) return null;
  let config: Record<string, unknown>;
  try {
    config = (parse(source, { logLevel: 'error' }) ?? {}) as Record<string, unknown>;
  } catch {
    return null;
  }
  const file = typeof config.certificate_file === 'string' ? config.certificate_file : null;
  const found = file ? ctx.readFile(file) : null;
  const pem = found?.status === 'ok' ? found.text : typeof config.certificate === 'string' ? Buffer.from(config.certificate, 'base64').toString('utf8') : null;
  const blocks = pem ? pemCertificates(pem) : [];
  if (blocks.length === 0) return null;
  const { X509Certificate } = builtins();
  let chain: InstanceType<typeof X509Certificate>[];
  try {
    chain = blocks.map((b) => new X509Certificate(b));
  } catch {
    return null;
  }
  const where = file ?? 'certificate';
  let current = chain[0]!;
  let roots: InstanceType<typeof X509Certificate>[];
  try {
    roots = trust.roots.map((r) => new X509Certificate(r));
  } catch {
    return null;
  }
  for (let depth = 0; depth < 8; depth++) {
    if (roots.some((root) => current.checkIssued(root) && current.verify(root.publicKey))) return null;
    if (current.checkIssued(current)) return `the certificate in ${where} is self-signed`;
    const next = chain.find((c) => c !== current && current.checkIssued(c));
    if (!next) break;
    current = next;
  }
  return `the certificate in ${where} is issued by ${current.issuer.replace(/\n/g, ', ')}, a CA that is not among ${trust.outside}`;
}

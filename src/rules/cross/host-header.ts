import type { Span } from '../../core/span.js';
import { parseUrl } from '../../core/url.js';
import { grafanaEnvName } from '../../grafana/env-overrides.js';
import type { GrafanaModel } from '../../grafana/model-types.js';
import { atLeast } from '../../grafana/version.js';
import type { PomeriumRoute } from '../../pomerium/model-types.js';
import { routeHost } from '../../pomerium/routes.js';
import { defineRule } from '../types.js';

/** Grafana's CSRF check (pkg/middleware/csrf) came with 8.3.5. */
const CSRF_SINCE = '8.3.5';

/**
 * From v0.33.0 Pomerium sets Envoy's append_x_forwarded_host whenever it rewrites Host (config/envoyconfig/routes.go
 * setHostRewriteOptions, commit 3115468d), unless remove_request_headers names x-forwarded-host.
 */
const X_FORWARDED_HOST_SINCE = '0.33.0';

/**
 * What Host Envoy sends Grafana, in Pomerium's order (config/envoyconfig/routes.go setHostRewriteOptions, v0.33.1):
 * host_rewrite, then host_rewrite_header, then host_path_regex_rewrite_pattern, and only then preserve_host_header.
 */
type HostSent =
  | { kind: 'literal'; host: string; span: Span | null }
  | { kind: 'header' }
  | { kind: 'pathRegex' }
  | { kind: 'preserved' }
  | { kind: 'upstream'; hosts: string[] };

function hostSent(route: PomeriumRoute): HostSent {
  if (route.hostRewrite && route.hostRewrite.value !== '') {
    return { kind: 'literal', host: route.hostRewrite.value.trim().toLowerCase().replace(/:\d+$/, ''), span: route.hostRewrite.span };
  }
  // Any value counts (Pomerium tests `!= ""`), even the misused `true` that pomerium/host-rewrite-header reports.
  if (route.hostRewriteHeader && route.hostRewriteHeader.value !== '' && route.hostRewriteHeader.value !== false) return { kind: 'header' };
  if (route.hostPathRegexRewritePattern) return { kind: 'pathRegex' };
  if (route.preserveHostHeader?.value) return { kind: 'preserved' };
  const hosts = (route.to?.value ?? []).map((u) => parseUrl(u.url)?.hostname.toLowerCase()).filter((h): h is string => !!h);
  return { kind: 'upstream', hosts };
}

/**
 * A `[security]` list as the CSRF filter reads it: `cfg.SectionWithEnvOverrides("security").Key(k).Strings(" ")`
 * (pkg/middleware/csrf/csrf.go ProvideCSRFFilter), so a non-empty GF_SECURITY_<KEY> wins whether or not the key is
 * in a file.
 */
function securityList(grafana: GrafanaModel, key: string): string[] {
  const name = grafanaEnvName('security', key);
  const fromEnv = grafana.envOverrides.find((o) => o.name === name && o.value !== '');
  const text = fromEnv ? fromEnv.value : grafana.str('security', key);
  return text.split(' ').map((s) => s.trim()).filter(Boolean);
}

export default defineRule({
  meta: {
    id: 'cross/host-header',
    description: "Grafana's origin check passes for the browser's requests: Pomerium passes the browser's Host, or Grafana trusts it",
    severity: 'warning',
    requires: ['grafana', 'pomerium'],
    messages: {
      rewritten:
        'Pomerium rewrites the Host header to the upstream {{upstream}}: Grafana {{version}} answers a browser request that carries a Grafana session cookie and an Origin header (POST, PUT, PATCH, DELETE: saving a dashboard) with 403 "origin not allowed"',
      rewrittenElsewhere:
        'host_rewrite sends Host {{rewrite}}, not the browser\'s {{host}}{{precedence}}: Grafana {{version}} answers a browser request that carries a Grafana session cookie and an Origin header (POST, PUT, PATCH, DELETE) with 403 "origin not allowed"',
      pathRegex:
        'host_path_regex_rewrite_pattern makes Host out of the request path{{precedence}}: doctor cannot tell whether it is the browser\'s {{host}}, which Grafana\'s origin check needs for requests with a session cookie',
    },
  },
  check(ctx, report) {
    const route = ctx.route;
    const grafana = ctx.grafana!;
    const host = route && routeHost(route);
    if (!route || !host || !atLeast(ctx.grafanaVersion, CSRF_SINCE)) return;
    // csrf.go check(): an Origin host listed in csrf_trusted_origins passes; the list entry is compared exactly with
    // the Origin's host name, which browsers send in lower case.
    const trusted = new Set(securityList(grafana, 'csrf_trusted_origins'));
    if (host.includes('*') || trusted.has(host)) return;
    const sent = hostSent(route);
    if (sent.kind === 'preserved' || sent.kind === 'header') return;
    // csrf.go check(): a header named in csrf_additional_headers whose host equals the Origin host passes too;
    // Envoy puts the browser's Host in X-Forwarded-Host when it rewrites Host (Pomerium >= v0.33.0).
    const additional = securityList(grafana, 'csrf_additional_headers').map((h) => h.toLowerCase());
    const removed = (route.removeRequestHeaders?.value ?? []).some((h) => h.toLowerCase() === 'x-forwarded-host');
    const forwardedHost = atLeast(ctx.pomeriumVersion, X_FORWARDED_HOST_SINCE) && !removed;
    if (forwardedHost && additional.includes('x-forwarded-host')) return;

    const preserveSet = route.preserveHostHeader?.value === true;
    const precedence = preserveSet ? ' (it takes precedence over preserve_host_header: true, which therefore does nothing)' : '';
    const alternatives = forwardedHost
      ? ', or add `csrf_additional_headers = X-Forwarded-Host` under [security] (Pomerium >= v0.33 sends the browser\'s host there)'
      : `, or add \`csrf_trusted_origins = ${host}\` under [security]`;
    const version = ctx.grafanaVersion;
    if (sent.kind === 'literal') {
      // Only the Origin host is looked up in csrf_trusted_origins, never the Host Grafana gets.
      if (sent.host === host) return;
      const fix = preserveSet ? 'remove host_rewrite (preserve_host_header: true then applies)' : 'remove host_rewrite and set `preserve_host_header: true` on the Grafana route';
      report({ messageId: 'rewrittenElsewhere', data: { rewrite: sent.host, host, precedence, version }, span: sent.span, hint: `${fix}${alternatives}` });
      return;
    }
    if (sent.kind === 'pathRegex') {
      const fix = preserveSet ? 'remove host_path_regex_rewrite_pattern (preserve_host_header: true then applies)' : 'remove host_path_regex_rewrite_pattern and set `preserve_host_header: true`';
      report({ messageId: 'pathRegex', severity: 'info', data: { host, precedence }, span: route.hostPathRegexRewritePattern!.span, hint: `${fix}${alternatives}` });
      return;
    }
    if (sent.hosts.length === 0 || sent.hosts.every((h) => h === host)) return;
    report({
      messageId: 'rewritten',
      data: { upstream: sent.hosts.join(', '), version },
      span: route.to?.span ?? route.from?.span ?? null,
      hint: `set \`preserve_host_header: true\` on the Grafana route${alternatives}`,
    });
  },
});

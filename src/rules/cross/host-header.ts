import { parseUrl } from '../../core/url.js';
import { atLeast } from '../../grafana/version.js';
import { routeHost } from '../../pomerium/routes.js';
import { defineRule } from '../types.js';

/** Grafana's CSRF check (pkg/middleware/csrf) came with 8.3.5. */
const CSRF_SINCE = '8.3.5';

export default defineRule({
  meta: {
    id: 'cross/host-header',
    description: "Pomerium passes the browser's Host to Grafana, so Grafana's origin check passes",
    severity: 'warning',
    requires: ['grafana', 'pomerium'],
    messages: {
      rewritten: 'Pomerium rewrites the Host header to the upstream {{upstream}}: Grafana {{version}} answers writes from the browser (saving a dashboard) with 403 "origin not allowed" whenever a Grafana session cookie is present',
      rewrittenElsewhere: 'host_rewrite sends Host {{rewrite}}, not the browser\'s {{host}}: Grafana {{version}} answers writes from the browser with 403 "origin not allowed" whenever a Grafana session cookie is present',
    },
  },
  check(ctx, report) {
    const route = ctx.route;
    const grafana = ctx.grafana!;
    const host = route && routeHost(route);
    if (!route || !host || !atLeast(ctx.grafanaVersion, CSRF_SINCE)) return;
    // With host_rewrite_header (even the misused `true`, which pomerium/host-rewrite-header reports)
    // Envoy takes Host from a request header instead of the upstream.
    if (route.preserveHostHeader?.value || route.hostRewriteHeader) return;
    // The origin check compares host names; [security] csrf_trusted_origins lists extra ones.
    const trusted = new Set(grafana.str('security', 'csrf_trusted_origins').split(/\s+/).filter(Boolean));
    if (host.includes('*') || trusted.has(host)) return;
    const hint = 'set `preserve_host_header: true` on the Grafana route';
    if (route.hostRewrite) {
      const rewrite = route.hostRewrite.value.trim().toLowerCase().replace(/:\d+$/, '');
      if (rewrite !== host && !trusted.has(rewrite)) {
        report({ messageId: 'rewrittenElsewhere', data: { rewrite, host, version: ctx.grafanaVersion }, span: route.hostRewrite.span, hint });
      }
      return;
    }
    const upstreams = (route.to?.value ?? []).map((u) => parseUrl(u.url)?.hostname.toLowerCase()).filter((h): h is string => !!h);
    if (upstreams.length === 0 || upstreams.every((h) => h === host)) return;
    report({ messageId: 'rewritten', data: { upstream: upstreams.join(', '), version: ctx.grafanaVersion }, span: route.to?.span ?? route.from?.span ?? null, hint });
  },
});

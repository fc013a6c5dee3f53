import { parseUrl } from '../../core/url.js';
import { defineRule } from '../types.js';

/** The `to` scheme(s) that reach Grafana for its [server] protocol (h2 is HTTP/2 over TLS). */
const SCHEMES: Record<string, readonly string[]> = {
  http: ['http:', 'h2c:'],
  https: ['https:'],
  h2: ['https:'],
  socket: ['http+unix:', 'https+unix:'],
};

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'h2c:': '80' };

/** An upstream that is Grafana itself (its container, Service or this host), not another proxy in front of it. */
function looksLikeGrafana(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return host.includes('grafana') || host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

export default defineRule({
  meta: {
    id: 'cross/upstream-port',
    description: "The Grafana route's `to` uses the scheme and port Grafana listens on",
    severity: 'warning',
    requires: ['grafana', 'pomerium'],
    messages: {
      scheme: 'the route sends {{to}} with {{scheme}}, but Grafana serves {{protocol}} ([server] protocol): requests fail with 502/503 upstream errors',
      port: 'the route sends to port {{port}}, but Grafana listens on {{httpPort}} ([server] http_port): requests fail with 503 "upstream connect error", unless something in between (a Kubernetes Service) maps the port',
    },
  },
  check(ctx, report) {
    const route = ctx.route;
    const grafana = ctx.grafana!;
    if (!route?.to) return;
    const protocol = grafana.effective('server', 'protocol');
    const httpPort = grafana.effective('server', 'http_port');
    for (const target of route.to.value) {
      const url = parseUrl(target.url);
      if (!url || !looksLikeGrafana(url)) continue;
      const schemes = SCHEMES[protocol];
      if (schemes && !schemes.includes(url.protocol)) {
        report({ messageId: 'scheme', severity: 'error', data: { to: target.url, scheme: url.protocol.replace(/:$/, ''), protocol }, span: route.to.span, hint: `use ${schemes[0]!.replace(/:$/, '')}:// in the route's to` });
        continue;
      }
      if (protocol === 'socket') continue;
      // An Ingress names a Service port; the controller sends to the endpoints behind it, on the targetPort.
      if (route.origin === 'ingress') continue;
      const port = url.port || DEFAULT_PORTS[url.protocol];
      if (port !== undefined && port !== httpPort.trim()) {
        report({ messageId: 'port', data: { port, httpPort }, span: route.to.span, hint: `use ${url.protocol}//${url.hostname}:${httpPort} in the route's to, or check the Service's port mapping` });
      }
    }
  },
});

// The Pomerium side of init: a new Grafana route (--add-route), and pass_identity_headers on the
// chosen route when it is not effectively on. Edits keep every other byte of the file (comments too).
import { UserError } from '../core/errors.js';
import { appendRoute, setRouteOption } from '../pomerium/edit.js';
import type { PomeriumModel, PomeriumRoute } from '../pomerium/model-types.js';
import { effectivePassIdentityHeaders, routeHost } from '../pomerium/routes.js';
import type { Fix } from '../core/finding.js';
import { parseUrl } from '../core/url.js';
import { diffEdit } from '../rules/cross/helpers.js';

export interface NewRoute {
  from: string;
  to: string;
  allowDomain?: string;
  allowEmail?: string;
}

function httpUrl(text: string, flag: string, schemes: string[]): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`${flag} ${JSON.stringify(text)} is not a URL`);
  }
  if (!schemes.includes(url.protocol) || url.hostname === '') throw new UserError(`${flag} ${text} must be a ${schemes.join(' or ')}// URL with a host`);
  return url;
}

/**
 * The route --add-route writes: identity headers on (Grafana needs the JWT), the original Host kept
 * (Grafana's origin check refuses a rewritten one), and a PPL policy for the domain or the address given.
 */
function grafanaRouteItem(route: NewRoute): Record<string, unknown> {
  const from = httpUrl(route.from, '--from', ['https:']);
  if (from.pathname !== '/' || from.search || from.hash) throw new UserError(`--from ${route.from} has a path: Pomerium takes only scheme and host there`);
  httpUrl(route.to, '--to', ['http:', 'https:']);
  if ((route.allowDomain === undefined) === (route.allowEmail === undefined)) {
    throw new UserError('--add-route needs one of --allow-domain or --allow-email: a route without a policy lets nobody in');
  }
  const criterion = route.allowDomain !== undefined ? { domain: { is: route.allowDomain } } : { email: { is: route.allowEmail } };
  return {
    from: from.origin,
    to: route.to,
    pass_identity_headers: true,
    preserve_host_header: true,
    policy: [{ allow: { or: [criterion] } }],
  };
}

/** Whether Pomerium strips the JWT header before it reaches Grafana on this route. */
export function lacksIdentityHeaders(model: PomeriumModel, route: PomeriumRoute): boolean {
  return !effectivePassIdentityHeaders(model, route).value;
}

/** The config text with `pass_identity_headers: true` on a route of the file (on the route, it wins over the global value). */
export function withIdentityHeaders(text: string, file: string, route: PomeriumRoute): string {
  return setRouteOption(text, file, route.index, 'pass_identity_headers', true);
}

export function withNewRoute(text: string, file: string, route: NewRoute): string {
  return appendRoute(text, file, grafanaRouteItem(route));
}

/**
 * Whether Pomerium sends Grafana a Host other than the browser's on this route: no preserve_host_header,
 * no host_rewrite / host_rewrite_header (those win over preserve_host_header, config/envoyconfig/routes.go),
 * and an upstream whose host differs from the route's. Grafana's origin check then refuses browser writes
 * that carry a session cookie (cross/host-header).
 */
export function lacksPreservedHost(route: PomeriumRoute): boolean {
  if (route.origin !== 'file' || route.preserveHostHeader?.value || route.hostRewrite || route.hostRewriteHeader) return false;
  const host = routeHost(route);
  if (!host || host.includes('*')) return false;
  const upstreams = (route.to?.value ?? []).map((u) => parseUrl(u.url)?.hostname.toLowerCase()).filter((h): h is string => !!h);
  return upstreams.some((h) => h !== host);
}

/** The config text with `preserve_host_header: true` on the route. */
export function withPreservedHost(text: string, file: string, route: PomeriumRoute): string {
  return setRouteOption(text, file, route.index, 'preserve_host_header', true);
}

/** The same edit as a doctor fix (one splice), or undefined when the route cannot be edited in place. */
export function preservedHostFix(text: string, file: string, route: PomeriumRoute): Fix | undefined {
  if (!lacksPreservedHost(route) || route.span?.file !== file) return undefined;
  try {
    return { file, description: 'set preserve_host_header: true on the Grafana route', edits: [diffEdit(text, withPreservedHost(text, file, route))] };
  } catch {
    return undefined; // a route written through an alias
  }
}

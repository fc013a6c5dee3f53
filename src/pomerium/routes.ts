// Questions about routes: which settings take effect, and which route is Grafana's.
import { formatSpan, type Span } from '../core/span.js';
import { parseUrl } from '../core/url.js';
import { atLeast } from '../grafana/version.js';
import type { IssuerFormat, PomeriumModel, PomeriumRoute } from './model-types.js';

export interface Effective<T> {
  value: T;
  from: 'route' | 'global' | 'default';
  span: Span | null;
}

/** Policy.GetPassIdentityHeaders: the route's value, else the global one, else false. */
export function effectivePassIdentityHeaders(model: PomeriumModel, route: PomeriumRoute): Effective<boolean> {
  if (route.passIdentityHeaders) return { ...route.passIdentityHeaders, from: 'route' };
  if (model.passIdentityHeaders) return { ...model.passIdentityHeaders, from: 'global' };
  return { value: false, from: 'default', span: null };
}

/**
 * The route's value, else the global one, else hostOnly. With a version, settings that release
 * ignores are skipped: the route option came in v0.28.0, the global one in v0.29.0 (ed8c5d69; v0.29.0
 * config/options.go has `jwt_issuer_format` and authorize.go passes it as the default issuer format).
 */
export function effectiveIssuerFormat(model: PomeriumModel, route: PomeriumRoute, pomeriumVersion?: string): Effective<IssuerFormat> {
  const knows = (min: string) => pomeriumVersion === undefined || atLeast(pomeriumVersion, min);
  if (route.jwtIssuerFormat && knows('0.28.0')) return { ...route.jwtIssuerFormat, from: 'route' };
  if (model.jwtIssuerFormat && knows('0.29.0')) return { ...model.jwtIssuerFormat, from: 'global' };
  return { value: 'hostOnly', from: 'default', span: null };
}

/** The host of the route's `from`, lowercase, without port (`*.example.com` for wildcard routes). */
export function routeHost(route: PomeriumRoute): string | null {
  const url = route.from && parseUrl(route.from.value);
  return url && url.hostname !== '' ? url.hostname.toLowerCase() : null;
}

/** `https://host[:port]` as users type it: case-insensitive host, default port dropped, no trailing slash. */
export function normaliseFrom(text: string): string {
  const url = parseUrl(text);
  if (!url) return text.trim().replace(/\/+$/, '').toLowerCase();
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** Whether `host` is served by a route host that may be a wildcard (`*.example.com`, which Envoy lets span several labels). */
export function hostMatches(routeHostName: string, host: string): boolean {
  if (!routeHostName.includes('*')) return routeHostName === host;
  const pattern = routeHostName.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.+');
  return new RegExp(`^${pattern}$`).test(host);
}

function upstreamHosts(route: PomeriumRoute): URL[] {
  return (route.to?.value ?? []).map((u) => parseUrl(u.url)).filter((u): u is URL => u !== null);
}

/** Why a route looks like Grafana's (its upstream or public host names Grafana, its upstream listens on 3000), or null. */
function grafanaLook(route: PomeriumRoute): string | null {
  const upstream = upstreamHosts(route);
  if (upstream.some((u) => u.hostname.toLowerCase().includes('grafana'))) return 'its upstream is a grafana service';
  if (upstream.some((u) => u.port === '3000')) return "its upstream listens on Grafana's port 3000";
  if ((routeHost(route) ?? '').includes('grafana')) return 'its host names grafana';
  return null;
}

export type RouteChoice =
  | {
      route: PomeriumRoute;
      /** Why this route: `--route`, the host of root_url, its looks, the only route. */
      why?: string;
      /** The choice rests on looks or on being the only route: say so. */
      guess?: boolean;
      /** Routes with the same `from` that differ by path/prefix/regex and all go to Grafana: checked each. */
      group?: PomeriumRoute[];
    }
  | { error: 'none' | 'ambiguous' | 'not-found'; candidates: PomeriumRoute[]; message: string };

function describe(route: PomeriumRoute): string {
  const where = route.origin === 'env' ? `${route.list.toUpperCase()} environment variable` : formatSpan(route.span);
  const part = route.path ? ` path ${route.path.value}` : route.prefix ? ` prefix ${route.prefix.value}` : '';
  return `  ${route.from?.value ?? '(no from)'}${part}  (${where})`;
}

function choose(error: 'ambiguous' | 'not-found', candidates: PomeriumRoute[], why: string): RouteChoice {
  const listing = candidates.map(describe).join('\n');
  return {
    error,
    candidates,
    message: `${why}:\n${listing}\nchoose one with --route <from-url>, e.g. --route ${candidates[0]?.from?.value ?? 'https://grafana.example.com'}`,
  };
}

/** Whether a request path may reach the route: `path` exactly, `prefix` as a prefix; otherwise (no path option, or a `regex`, not evaluated here) it may. */
function servesPath(route: PomeriumRoute, path: string): boolean {
  if (route.path) return route.path.value === path;
  if (route.prefix) return path.startsWith(route.prefix.value);
  return true;
}

/** Same `from`, told apart by path/prefix/regex, all sending to the same upstreams: one Grafana behind several routes. */
function sameGrafana(routes: PomeriumRoute[]): boolean {
  const from = new Set(routes.map((r) => (r.from ? normaliseFrom(r.from.value) : '')));
  const to = new Set(routes.map((r) => JSON.stringify((r.to?.value ?? []).map((u) => u.url).sort())));
  return from.size === 1 && to.size === 1;
}

/**
 * Finds Grafana's route: by `--route` (its `from`, with a path to pick among routes told apart by
 * path/prefix); else by Grafana's public host (root_url or domain); else the one route that looks like
 * Grafana; else the only route. Several routes of one Grafana (same from and upstream) are one choice.
 */
export function findGrafanaRoute(model: PomeriumModel, opts: { from?: string; grafanaRootUrl?: string }): RouteChoice {
  const routes = model.routes;
  if (routes.length === 0) {
    return { error: 'none', candidates: [], message: 'the Pomerium config has no routes (neither `routes` nor `policy`)' };
  }
  if (opts.from !== undefined) {
    const wanted = normaliseFrom(opts.from);
    const found = routes.filter((r) => r.from && normaliseFrom(r.from.value) === wanted);
    if (found.length === 1) return { route: found[0]!, why: 'named by --route' };
    if (found.length > 1 && sameGrafana(found)) return { route: found[0]!, why: 'named by --route', group: found };
    if (found.length > 1) return choose('ambiguous', found, `several routes have from ${opts.from} (tell them apart by path: --route ${opts.from.replace(/\/+$/, '')}/PATH)`);
    // `--route https://host/admin`: the route of that host that serves the path.
    const url = parseUrl(opts.from);
    if (url && url.pathname !== '/' && url.pathname !== '') {
      const origin = normaliseFrom(`${url.protocol}//${url.host}`);
      const byPath = routes.filter((r) => r.from && normaliseFrom(r.from.value) === origin && servesPath(r, url.pathname));
      const exact = byPath.filter((r) => r.path || r.prefix);
      const pick = exact.length > 0 ? exact.sort((a, b) => (b.path?.value ?? b.prefix?.value ?? '').length - (a.path?.value ?? a.prefix?.value ?? '').length) : byPath;
      if (pick.length > 0) return { route: pick[0]!, why: `serves ${url.pathname} on ${url.host} (--route)` };
    }
    return choose('not-found', routes, `no route has from ${opts.from}; the routes are`);
  }
  const grafanaHost = opts.grafanaRootUrl && (parseUrl(opts.grafanaRootUrl)?.hostname ?? opts.grafanaRootUrl).toLowerCase();
  if (grafanaHost) {
    const byHost = routes.filter((r) => hostMatches(routeHost(r) ?? '', grafanaHost));
    const why = `its host matches Grafana's root_url (${grafanaHost})`;
    if (byHost.length === 1) return { route: byHost[0]!, why };
    if (byHost.length > 1 && sameGrafana(byHost)) return { route: byHost[0]!, why, group: byHost };
    if (byHost.length > 1) return choose('ambiguous', byHost, `several routes serve Grafana's host ${grafanaHost}`);
  }
  const grafanaLike = routes.filter((r) => grafanaLook(r) !== null);
  const rootNote = grafanaHost ? ` (no route has Grafana's root_url host ${grafanaHost})` : '';
  // Looks alone are a guess when Grafana's root_url names another host.
  const guess = Boolean(grafanaHost);
  if (grafanaLike.length === 1) return { route: grafanaLike[0]!, why: `${grafanaLook(grafanaLike[0]!)}${rootNote}`, guess };
  if (grafanaLike.length > 1 && sameGrafana(grafanaLike)) return { route: grafanaLike[0]!, why: `${grafanaLook(grafanaLike[0]!)}${rootNote}`, guess, group: grafanaLike };
  if (grafanaLike.length > 1) return choose('ambiguous', grafanaLike, 'several routes look like Grafana');
  if (routes.length === 1) return { route: routes[0]!, why: `it is the only route, though nothing in it names Grafana${rootNote}`, guess: true };
  return choose('not-found', routes, 'no route looks like Grafana (no "grafana" in its hosts, no upstream on port 3000)');
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPomeriumConfig } from '../../src/pomerium/read.js';
import {
  effectiveIssuerFormat,
  effectivePassIdentityHeaders,
  findGrafanaRoute,
  normaliseFrom,
  routeHost,
} from '../../src/pomerium/routes.js';

const read = (name: string) => readPomeriumConfig(readFileSync(new URL(`../fixtures/pomerium/${name}`, import.meta.url), 'utf8'), name);
const inline = (yaml: string) => readPomeriumConfig(yaml, 'pomerium.yaml');

describe('effective settings', () => {
  it('pass_identity_headers: the route wins, else the global value, else false', () => {
    const m = read('policy-and-routes.yaml');
    expect(effectivePassIdentityHeaders(m, m.routes[1]!)).toMatchObject({ value: true, from: 'global', span: { line: 1 } });
    expect(effectivePassIdentityHeaders(m, m.routes[2]!)).toMatchObject({ value: false, from: 'route', span: { line: 7 } });
    const none = inline('routes: [{from: "https://a.example.com", to: "http://a:1"}]');
    expect(effectivePassIdentityHeaders(none, none.routes[0]!)).toEqual({ value: false, from: 'default', span: null });
  });

  it('jwt_issuer_format: route over global over hostOnly, ignoring what an old release does not know', () => {
    const m = read('issuer.yaml');
    const [a, b] = m.routes;
    expect(effectiveIssuerFormat(m, a!)).toMatchObject({ value: 'uri', from: 'global' });
    expect(effectiveIssuerFormat(m, b!)).toMatchObject({ value: 'hostOnly', from: 'route' });
    // Global jwt_issuer_format from v0.29.0 (ed8c5d69, v0.29.0 config/options.go); route option from v0.28.0 (v0.28.0 config/policy.go).
    expect(effectiveIssuerFormat(m, a!, '0.29.0')).toMatchObject({ value: 'uri', from: 'global' });
    expect(effectiveIssuerFormat(m, a!, '0.28.0')).toEqual({ value: 'hostOnly', from: 'default', span: null });
    expect(effectiveIssuerFormat(m, b!, '0.27.5')).toMatchObject({ from: 'default' });
  });
});

describe('routeHost and normaliseFrom', () => {
  it('gives lowercase hosts without port, wildcards kept', () => {
    const m = read('wildcard.yaml');
    expect(m.routes.map(routeHost)).toEqual(['*.apps.example.com', 'metrics.example.com']);
  });

  it('normalises case, default ports and trailing slashes', () => {
    expect(normaliseFrom('HTTPS://Grafana.Example.com:443/')).toBe('https://grafana.example.com');
    expect(normaliseFrom('https://grafana.example.com:8443')).toBe('https://grafana.example.com:8443');
  });
});

describe('findGrafanaRoute', () => {
  const three = inline(`routes:
  - from: https://app.example.com
    to: http://app:8080
  - from: https://dash.example.com
    to: http://grafana.monitoring.svc:80
  - from: https://Metrics.example.com
    to: http://prometheus:9090
`);

  it('picks by --route, comparing normalised URLs', () => {
    const found = findGrafanaRoute(three, { from: 'https://metrics.EXAMPLE.com:443/' });
    expect('route' in found && found.route.index).toBe(2);
  });

  it('says which routes exist when --route matches none', () => {
    const found = findGrafanaRoute(three, { from: 'https://nope.example.com' });
    expect(found).toMatchObject({ error: 'not-found', candidates: three.routes });
    expect('message' in found && found.message).toContain('https://app.example.com  (pomerium.yaml:2:5)');
    expect('message' in found && found.message).toContain('--route');
  });

  it("prefers the route serving Grafana's root_url host, wildcards included", () => {
    const byRoot = findGrafanaRoute(three, { grafanaRootUrl: 'https://app.example.com/' });
    expect('route' in byRoot && byRoot.route.index).toBe(0);
    const wild = read('wildcard.yaml');
    const byWildcard = findGrafanaRoute(wild, { grafanaRootUrl: 'https://grafana.team.apps.example.com/' });
    expect('route' in byWildcard && byWildcard.route.index).toBe(0);
  });

  it('falls back to the one route that looks like Grafana (by name or port 3000)', () => {
    const byName = findGrafanaRoute(three, { grafanaRootUrl: 'http://localhost:3000/' });
    expect('route' in byName && byName.route.from?.value).toBe('https://dash.example.com');
    const byPort = inline('routes: [{from: "https://a.example.com", to: "http://a:1"}, {from: "https://b.example.com", to: "http://b:3000"}]');
    const found = findGrafanaRoute(byPort, {});
    expect('route' in found && found.route.index).toBe(1);
  });

  it('takes the only route, and reports none or several', () => {
    const one = read('wildcard.yaml');
    expect(findGrafanaRoute({ ...one, routes: [one.routes[1]!] }, {})).toMatchObject({ route: { index: 1 } });
    expect(findGrafanaRoute({ ...one, routes: [] }, {})).toMatchObject({ error: 'none', candidates: [] });
    const two = inline('routes: [{from: "https://grafana.a.com", to: "http://x:1"}, {from: "https://b.com", to: "http://grafana:3000"}]');
    const found = findGrafanaRoute(two, {});
    expect(found).toMatchObject({ error: 'ambiguous' });
    expect('message' in found && found.message).toMatch(/several routes look like Grafana:\n {2}https:\/\/grafana\.a\.com {2}\(pomerium\.yaml:1:11\)/);
    expect(findGrafanaRoute(read('wildcard.yaml'), {})).toMatchObject({ error: 'not-found' });
  });

  it('names env routes by their variable', () => {
    const found = findGrafanaRoute({ ...three, routes: three.routes.map((r) => ({ ...r, origin: 'env' as const, span: null })) }, { from: 'https://x.example.com' });
    expect('message' in found && found.message).toContain('(ROUTES environment variable)');
  });
});

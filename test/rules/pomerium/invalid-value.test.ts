import { describe, expect, it } from 'vitest';
import { parseGoUrl, urlProblem } from '../../../src/rules/pomerium/invalid-value.js';
import { BASE, edit, findings } from './base.js';

const ID = 'pomerium/invalid-value';
const route = (lines: string) => `${BASE}  - from: https://status.example.com\n${lines}`;

describe(ID, () => {
  it('is silent on a valid config', () => {
    expect(findings(ID, { pomerium: BASE })).toEqual([]);
  });

  it('reports values the loose decoding refuses, at the value', () => {
    const pomerium = edit(['    pass_identity_headers: true', '    pass_identity_headers: on'], ['authenticate_service_url:', 'jwt_issuer_format: url\nauthenticate_service_url:']);
    expect(findings(ID, { pomerium })).toEqual(['value @yaml:2:20', 'value @yaml:15:28']);
  });

  it('reports a from with a path, and lets "/" through', () => {
    expect(findings(ID, { pomerium: edit(['from: https://grafana.example.com', 'from: https://grafana.example.com/grafana']) })).toEqual(['fromPath @yaml:12:11']);
    expect(findings(ID, { pomerium: edit(['from: https://grafana.example.com', 'from: https://grafana.example.com/']) })).toEqual([]);
  });

  it('reports a from that is not a URL', () => {
    expect(findings(ID, { pomerium: edit(['from: https://grafana.example.com', 'from: grafana.example.com']) })).toEqual(['badFrom @yaml:12:11']);
    expect(findings(ID, { pomerium: edit(['  - from: https://grafana.example.com\n    to:', '  - to:']) })).toEqual(['badFrom @yaml:12:5']);
  });

  it('warns about an http:// from (Pomerium only logs it)', () => {
    const result = findings(ID, { pomerium: edit(['from: https://grafana.example.com', 'from: http://grafana.example.com']) });
    expect(result).toEqual(['fromHttp @yaml:12:11']);
  });

  it('reports a route with no to, redirect or response, at its from', () => {
    expect(findings(ID, { pomerium: route('    prefix: /\n') })).toEqual(['noDestination @yaml:21:11']);
    expect(findings(ID, { pomerium: route('    redirect: {https_redirect: true}\n') })).toEqual([]);
    expect(findings(ID, { pomerium: route('    response: {status: 200, body: ok}\n') })).toEqual([]);
  });

  it('reports to URLs without scheme or host, and bad weights', () => {
    expect(findings(ID, { pomerium: route('    to: grafana:3000\n') })).toEqual(['badTo @yaml:22:9']);
    expect(findings(ID, { pomerium: route('    to: 10.0.0.1:3000\n') })).toEqual(['badTo @yaml:22:9']);
    expect(findings(ID, { pomerium: route('    to: ["http://a:3000,10", "http://b:3000"]\n') })).toEqual(['value @yaml:22:9']);
    expect(findings(ID, { pomerium: route('    to: ["http://a:3000,0"]\n') })).toEqual(['value @yaml:22:10']);
  });

  it('reports a public route that also lists who may enter', () => {
    const pub = '    to: http://status:8080\n    allow_public_unauthenticated_access: true\n';
    expect(findings(ID, { pomerium: route(`${pub}    allowed_users: [ops@example.com]\n`) })).toEqual(['publicWithAllowList @yaml:23:42']);
    expect(findings(ID, { pomerium: route(`${pub}    allow_any_authenticated_user: true\n`) })).toEqual(['publicWithAllowList @yaml:23:42']);
    expect(findings(ID, { pomerium: route(pub) })).toEqual([]);
  });

  it('reports any-authenticated-user with allow lists', () => {
    const any = '    to: http://status:8080\n    allow_any_authenticated_user: true\n    allowed_domains: [example.com]\n';
    expect(findings(ID, { pomerium: route(any) })).toEqual(['anyUserWithAllowList @yaml:23:35']);
  });

  it('stays quiet about routes while the file does not parse', () => {
    expect(findings(ID, { pomerium: `${route('    prefix: /\n')}  bad: [\n` })).toEqual([]);
  });
});

describe('Go URL parsing', () => {
  it('splits like net/url', () => {
    expect(parseGoUrl('https://user@grafana.example.com:8443/x?y#z')).toEqual({ scheme: 'https', host: 'grafana.example.com:8443', hostname: 'grafana.example.com', path: '/x' });
    expect(parseGoUrl('grafana:3000')).toEqual({ scheme: 'grafana', host: '', hostname: '', path: '' });
    expect(parseGoUrl('http://[::1]:3000')).toMatchObject({ host: '[::1]:3000', hostname: '::1' });
  });

  it("gives Pomerium's messages", () => {
    expect(urlProblem('')).toBe('url cannot be empty');
    expect(urlProblem('grafana')).toBe('grafana url does not contain a valid scheme');
    expect(urlProblem('grafana:3000')).toBe('grafana:3000 url does not contain a valid hostname');
    expect(urlProblem('10.0.0.1:3000')).toMatch(/first path segment in URL cannot contain colon/);
    expect(urlProblem('http://grafana:3000')).toBeNull();
  });
});

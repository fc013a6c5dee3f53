import { describe, expect, it } from 'vitest';
import { lintCase } from '../../helpers/lint.js';
import { edit, GRAFANA, POMERIUM } from './base.js';

const RULE = 'cross/host-header';
const ROUTE_TO = 'to: http://grafana:3000';
/** The base pair without its preserve_host_header line, plus route options. */
const NO_PRESERVE = edit(POMERIUM, '    preserve_host_header: true\n', '');
const route = (extra: string) => edit(NO_PRESERVE, ROUTE_TO, `${ROUTE_TO}\n    ${extra.split('\n').join('\n    ')}`);
const run = (pomerium: string, o: { grafana?: string; env?: Record<string, string>; pomeriumVersion?: string } = {}) =>
  lintCase({ grafana: o.grafana ?? GRAFANA, pomerium, ...(o.env ? { env: o.env } : {}), ...(o.pomeriumVersion ? { pomeriumVersion: o.pomeriumVersion } : {}) }).findings.filter((f) => f.ruleId === RULE);

describe(RULE, () => {
  it('is quiet with preserve_host_header alone (Envoy auto_host_rewrite false: the browser Host reaches Grafana)', () => {
    // pomerium config/envoyconfig/routes.go setHostRewriteOptions (v0.33.1), case policy.PreserveHostHeader.
    expect(run(route('preserve_host_header: true'))).toEqual([]);
  });

  it('does not go quiet when host_rewrite is set beside preserve_host_header, and never suggests preserve_host_header then', () => {
    // routes.go setHostRewriteOptions (v0.33.1): `case policy.HostRewrite != ""` comes before `case policy.PreserveHostHeader`.
    const [finding] = run(route('preserve_host_header: true\nhost_rewrite: grafana:3000'));
    expect(finding).toMatchObject({ messageId: 'rewrittenElsewhere', severity: 'warning' });
    expect(finding!.message).toContain('takes precedence over preserve_host_header');
    expect(finding!.hint).toMatch(/^remove host_rewrite \(preserve_host_header: true then applies\)/);
    expect(finding!.hint).not.toContain('set `preserve_host_header: true`');
  });

  it('without preserve_host_header suggests removing host_rewrite and setting it', () => {
    const [finding] = run(route('host_rewrite: grafana:3000'));
    expect(finding!.hint).toMatch(/^remove host_rewrite and set `preserve_host_header: true`/);
  });

  it('reports a path-regex Host rewrite beside preserve_host_header as could-not-check (info)', () => {
    // routes.go setHostRewriteOptions: `case policy.HostPathRegexRewritePattern != ""` before PreserveHostHeader.
    const [finding] = run(route('preserve_host_header: true\nhost_path_regex_rewrite_pattern: "^/(.+)$"\nhost_path_regex_rewrite_substitution: "\\\\1"'));
    expect(finding).toMatchObject({ messageId: 'pathRegex', severity: 'info' });
  });

  it('honours [security] csrf_trusted_origins from grafana.ini and from GF_SECURITY_CSRF_TRUSTED_ORIGINS', () => {
    // pkg/middleware/csrf/csrf.go ProvideCSRFFilter: SectionWithEnvOverrides("security").Key("csrf_trusted_origins").Strings(" ").
    expect(run(NO_PRESERVE)).toHaveLength(1);
    const trusted = `${GRAFANA}\n[security]\ncsrf_trusted_origins = grafana.example.com\n`;
    expect(run(NO_PRESERVE, { grafana: trusted })).toEqual([]);
    expect(run(NO_PRESERVE, { env: { GF_SECURITY_CSRF_TRUSTED_ORIGINS: 'x.example.com grafana.example.com' } })).toEqual([]);
  });

  it('honours csrf_additional_headers = X-Forwarded-Host from Pomerium v0.33.0, unless the route removes that header', () => {
    // csrf.go check(): a csrf_additional_headers header whose host equals the Origin host passes. Pomerium v0.33.0
    // (commit 3115468d, routes.go shouldAppendXForwardedHost) appends X-Forwarded-Host on every Host rewrite.
    const grafana = `${GRAFANA}\n[security]\ncsrf_additional_headers = X-Forwarded-Host\n`;
    expect(run(NO_PRESERVE, { grafana, pomeriumVersion: '0.33.0' })).toEqual([]);
    expect(run(NO_PRESERVE, { grafana: GRAFANA, env: { GF_SECURITY_CSRF_ADDITIONAL_HEADERS: 'X-Forwarded-Host' }, pomeriumVersion: '0.33.1' })).toEqual([]);
    expect(run(NO_PRESERVE, { grafana, pomeriumVersion: '0.32.9' }).map((f) => f.messageId)).toEqual(['rewritten']);
    const removed = edit(NO_PRESERVE, ROUTE_TO, `${ROUTE_TO}\n    remove_request_headers: [x-forwarded-host]`);
    expect(run(removed, { grafana, pomeriumVersion: '0.33.1' }).map((f) => f.messageId)).toEqual(['rewritten']);
  });

  it('names every method but HEAD/OPTIONS/TRACE, not only "writes"', () => {
    // csrf.go check(): safeMethods = HEAD, OPTIONS, TRACE (GET is checked too; browsers send Origin on non-GET requests).
    const [finding] = run(NO_PRESERVE);
    expect(finding!.message).toContain('POST, PUT, PATCH, DELETE');
  });
});

describe(`${RULE}: csrf_trusted_origins as csrf.go compares it`, () => {
  it('matches the Origin host exactly (browsers send it in lower case), and never the rewritten Host', () => {
    // csrf.go check(): `for o := range c.trustedOrigins { if o == origin ...}` with origin = Origin's url.Hostname().
    const upper = `${GRAFANA}\n[security]\ncsrf_trusted_origins = Grafana.Example.com\n`;
    expect(run(NO_PRESERVE, { grafana: upper }).map((f) => f.messageId)).toEqual(['rewritten']);
    const rewriteTrusted = `${GRAFANA}\n[security]\ncsrf_trusted_origins = grafana\n`;
    expect(run(NO_PRESERVE, { grafana: rewriteTrusted }).map((f) => f.messageId)).toEqual(['rewritten']);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INGRESS_CONTROLLER_DATA } from '../../src/pomerium/generated/ingress-controller.js';
import { POMERIUM_OPTION_DATA } from '../../src/pomerium/generated/pomerium-options.js';
import {
  COVERED_RELEASES,
  optionTableFor,
  removedAndIgnored,
  removedFatal,
  renamedKey,
  ROUTE_KEYS,
  TOP_LEVEL_KEYS,
} from '../../src/pomerium/known-keys.js';
import { readPomeriumConfig } from '../../src/pomerium/read.js';

const fixtures = ['guide-v1.yaml', 'guide-v5.yaml', 'weighted.yaml', 'policy-and-routes.yaml', 'issuer.yaml', 'config.json', 'wildcard.yaml'];

describe('the generated option tables', () => {
  it('cover each minor from v0.27 to v0.33 at its newest patch, with the commit each tag points at', () => {
    // pomerium/pomerium tags (git rev-parse TAG^{commit}); v0.33.1 is 01af7466fa3b (reference pomerium.md, Corrections).
    expect(COVERED_RELEASES).toEqual(['v0.27.2', 'v0.28.0', 'v0.29.6', 'v0.30.8', 'v0.31.3', 'v0.32.9', 'v0.33.1']);
    expect(POMERIUM_OPTION_DATA.releases.at(-1)!.commit).toMatch(/^01af7466fa3b[0-9a-f]{28}$/);
    // pomerium/ingress-controller v0.33.1 is 4982fa7b95ff (reference pomerium.md, Corrections).
    expect(INGRESS_CONTROLLER_DATA.releases.at(-1)).toMatchObject({ release: 'v0.33.1' });
    expect(INGRESS_CONTROLLER_DATA.releases.at(-1)!.commit).toMatch(/^4982fa7b95ff[0-9a-f]{28}$/);
  });

  it('hold the v0.33.1 options the hand-written table missed (issue 9)', () => {
    const t = optionTableFor('0.33.1');
    // config/otelconfig/otelconfig.go, config/options_dns.go, config/config.gen.go (GlobalOptions), config/options.go,
    // config/options_databroker.go at v0.33.1: mapstructure tags.
    for (const key of ['otel_traces_exporter', 'otel_exporter_otlp_endpoint', 'dns_resolvers', 'headers_with_underscores_action', 'normalize_path', 'merge_slashes', 'blob_storage', 'circuit_breaker_thresholds', 'databroker_cluster_node_id', 'health_check_addr', 'mcp_allowed_client_id_domains', 'mcp_allowed_as_metadata_domains', 'ssh_rls_enabled', 'session_recording_concurrency', 'path_with_escaped_slashes_action', 'envoy_dynamic_extensions', 'auto_apply_changesets']) {
      expect(t.topLevel.has(key), key).toBe(true);
    }
    // config/policy.go / config.gen.go RouteOptions at v0.33.1.
    expect(t.route.has('session_recording')).toBe(true);
    expect(t.route.has('load_balancing_policy')).toBe(true);
    expect(t.envoyRouteFields.size).toBe(0);
  });

  it('date the removed options as options_check.go does, release by release', () => {
    // removedConfigFields in config/options_check.go: tracing_provider/tracing_sample_rate first listed in v0.29.0 (5e94b2f8f).
    expect(removedFatal('tracing_provider', '0.29.0')).toMatchObject({ since: 'v0.29.0' });
    expect(removedFatal('tracing_sample_rate', '0.28.9')).toBeUndefined();
    expect(optionTableFor('0.28.0').topLevel.has('tracing_provider')).toBe(true); // a real option in v0.28.0's Options
    // routes.allowed_groups since v0.20.0 (74a7daed4); only the routes.* path, not policy.*.
    expect(removedFatal('routes.allowed_groups', '0.20.0')).toMatchObject({ since: 'v0.20.0' });
    expect(removedFatal('policy.allowed_groups', '0.33.1')).toBeUndefined();
    // authenticate_callback_path left Options in v0.31.0 (not in removedConfigFields): logged as unknown.
    expect(removedAndIgnored('authenticate_callback_path', 'top', '0.31.0')).toEqual({ goneIn: 'v0.31.0', lastIn: 'v0.30.8' });
    expect(removedAndIgnored('authenticate_callback_path', 'top', '0.30.8')).toBeUndefined();
    // Routes were read as envoy Clusters until v0.32.0 (53780aa9a removed parseEnvoyClusterOpts).
    expect(removedAndIgnored('connect_timeout', 'route', '0.32.0')).toEqual({ goneIn: 'v0.32.0', lastIn: 'v0.31.3' });
    expect(optionTableFor('0.31.0').envoyRouteFields.has('connect_timeout')).toBe(true);
    expect(renamedKey('lb_policy', 'route', '0.32.0')).toEqual({ to: 'load_balancing_policy', since: 'v0.32.0' });
    expect(renamedKey('lb_policy', 'route', '0.31.3')).toBeUndefined();
  });

  it("hold the controller's mcp_server_* annotations (ingress-controller v0.33.1 pomerium/ingress_annotations.go)", () => {
    const names = Object.values(INGRESS_CONTROLLER_DATA.releases.at(-1)!.annotations).flat();
    for (const a of ['mcp_server_upstream_oauth2_auth_style', 'mcp_server_authorization_server_url', 'mcp_server_upstream_oauth2_authorization_url_params', 'mcp_server', 'upstream_tunnel']) {
      expect(names, a).toContain(a);
    }
    expect(INGRESS_CONTROLLER_DATA.releases.at(-1)!.unsupported.map((u) => u.name)).toEqual(['allowed_groups']);
    // apis/ingress/v1/pomerium_types.go PomeriumSpec json tags.
    expect(INGRESS_CONTROLLER_DATA.releases.at(-1)!.crdSpecFields).toEqual(expect.arrayContaining(['authenticate.url', 'identityProvider.provider', 'jwtClaimHeaders', 'passIdentityHeaders']));
  });

  it('pick the table of the same minor, else the newest older one', () => {
    expect(optionTableFor('0.32.0').release).toBe('v0.32.9');
    expect(optionTableFor('v0.30.1').release).toBe('v0.30.8');
    expect(optionTableFor('0.40.0').release).toBe('v0.33.1');
    expect(optionTableFor('0.20.0')).toMatchObject({ release: 'v0.27.2', approximate: true });
  });

  it('know every option the guides and fixtures use', () => {
    for (const name of fixtures) {
      const m = readPomeriumConfig(readFileSync(new URL(`../fixtures/pomerium/${name}`, import.meta.url), 'utf8'), name);
      expect(m.topLevelKeys.map((k) => k.name).filter((k) => !TOP_LEVEL_KEYS.has(k)), name).toEqual([]);
      const routeKeys = m.routes.flatMap((r) => r.keys.map((k) => k.name));
      expect(routeKeys.filter((k) => !ROUTE_KEYS.has(k) && k !== 'allowed_groups'), name).toEqual([]);
    }
  });
});

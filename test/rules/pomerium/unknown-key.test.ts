import { describe, expect, it } from 'vitest';
import { POMERIUM_OPTION_DATA } from '../../../src/pomerium/generated/pomerium-options.js';
import { BASE, edit, findings, run } from './base.js';

const ID = 'pomerium/unknown-key';
const second = (lines: string) => `${BASE}  - from: https://prometheus.example.com\n    to: http://prometheus:9090\n${lines}`;

describe(ID, () => {
  it('is silent on known keys, in any case, and on Envoy cluster fields under routes up to v0.31', () => {
    expect(findings(ID, { pomerium: second('    Allowed_Users: [ops@example.com]\n') })).toEqual([]);
    // v0.31.3 config/custom.go parsePolicy reads each route as an envoy Cluster; options_check.go ignores routes.<field>.
    expect(findings(ID, { pomerium: second('    connect_timeout: 5s\n    lb_policy: MAGLEV\n'), pomeriumVersion: '0.31.3' })).toEqual([]);
  });

  it('knows the options the hand-written table missed (v0.33.1 config/*.go mapstructure tags)', () => {
    const top = ['otel_traces_exporter: otlp', 'otel_exporter_otlp_endpoint: http://otel:4317', 'dns_resolvers: []', 'headers_with_underscores_action: REJECT_REQUEST', 'normalize_path: true', 'merge_slashes: true', 'health_check_addr: 127.0.0.1:28080'];
    expect(findings(ID, { pomerium: `${top.join('\n')}\n${second('    session_recording: {}\n')}` })).toEqual([]);
  });

  it('warns that Envoy cluster fields under a route are ignored from v0.32.0, and names lb_policy\'s new name', () => {
    // pomerium/pomerium 53780aa9a (first in v0.32.0) removed parseEnvoyClusterOpts; "lb_policy was renamed to load_balancing_policy".
    const result = run({ pomerium: second('    connect_timeout: 5s\n    lb_policy: MAGLEV\n'), pomeriumVersion: '0.32.0' }).filter((f) => f.ruleId === ID);
    expect(result.map((f) => [f.messageId, f.severity, f.line])).toEqual([['removedIgnored', 'warning', 23], ['renamed', 'warning', 24]]);
    expect(result[0]!.message).toBe('`connect_timeout` was removed in v0.32.0: Pomerium only logs "unknown config option" and ignores it');
    expect(result[1]!.message).toContain('renamed `load_balancing_policy` in v0.32.0');
  });

  it('warns that authenticate_callback_path is ignored from v0.31.0 (gone from v0.31.0 config/options.go)', () => {
    const pomerium = `${BASE}authenticate_callback_path: /oauth2/callback\n`;
    expect(findings(ID, { pomerium, pomeriumVersion: '0.31.0' })).toEqual(['removedIgnored @yaml:21:1']);
    expect(findings(ID, { pomerium, pomeriumVersion: '0.30.8' })).toEqual([]);
  });

  it('errors on tracing_provider and tracing_sample_rate from v0.29.0 (removedConfigFields, v0.29.0 options_check.go)', () => {
    const pomerium = `${BASE}tracing_provider: jaeger\ntracing_sample_rate: 1\n`;
    const result = run({ pomerium, pomeriumVersion: '0.29.0' }).filter((f) => f.ruleId === ID);
    expect(result.map((f) => [f.messageId, f.severity, f.line, f.column])).toEqual([['removed', 'error', 21, 1], ['removed', 'error', 22, 1]]);
    expect(result[0]!.message).toMatch(/^Pomerium refuses to start: `tracing_provider` was removed in v0\.29\.0/);
    // v0.28.0 config/options.go: TracingProvider `mapstructure:"tracing_provider"`, a real option.
    expect(findings(ID, { pomerium, pomeriumVersion: '0.28.0' })).toEqual([]);
  });

  it('reports no unknown option on a config using every option of the current release\'s table', () => {
    const current = POMERIUM_OPTION_DATA.releases.at(-1)!;
    const fatal = new Set(current.removedFatal.map((r) => r.path));
    const refused = new Set(current.refusedByValidate.map((r) => r.key));
    const lists = new Set(['routes', 'policy']);
    const top = current.topLevel.filter((k) => !lists.has(k) && !fatal.has(k) && !refused.has(k)).map((k) => `${k}: ~`);
    const route = current.route.filter((k) => k !== 'from').map((k) => `    ${k}: ~`);
    const pomerium = `${top.join('\n')}\nroutes:\n  - from: https://a.example.com\n${route.join('\n')}\npolicy:\n  - from: https://b.example.com\n${route.join('\n')}\n`;
    expect(top.length).toBeGreaterThan(140);
    expect(run({ pomerium }).filter((f) => f.ruleId === ID).map((f) => `${f.line}: ${f.message}`)).toEqual([]);
  });

  it('errors on every removed-and-fatal option of the current release at its line; under policy: they are merely unknown', () => {
    const current = POMERIUM_OPTION_DATA.releases.at(-1)!;
    const top = current.removedFatal.filter((r) => !r.path.includes('.')).map((r) => r.path);
    const route = current.removedFatal.filter((r) => r.path.startsWith('routes.')).map((r) => r.path.slice('routes.'.length));
    const lines = [...top.map((k) => `${k}: x`), 'routes:', '  - from: https://a.example.com', '    to: http://a', ...route.map((k) => `    ${k}: x`)];
    const result = run({ pomerium: `${lines.join('\n')}\n` }).filter((f) => f.ruleId === ID);
    const expected = lines.map((l, i) => [l, i + 1] as const).filter(([l]) => /^ *\w+: x$/.test(l)).map(([, line]) => ['removed', 'error', line]);
    expect(expected.length).toBe(14); // removedConfigFields in v0.33.1 config/options_check.go has 14 entries
    expect(result.map((f) => [f.messageId, f.severity, f.line])).toEqual(expected);
    expect(result.every((f) => f.message.startsWith('Pomerium refuses to start: '))).toBe(true);
  });

  it('warns about an unknown top-level key with a suggestion', () => {
    const result = run({ pomerium: edit(['idp_provider: oidc', 'idp_provder: oidc']) }).filter((f) => f.ruleId === ID);
    expect(result.map((f) => [f.messageId, f.severity, f.line, f.column])).toEqual([['unknown', 'warning', 6, 1]]);
    expect(result[0]!.message).toContain('`idp_provider`');
  });

  it('warns about a route option written at the top level', () => {
    expect(findings(ID, { pomerium: `preserve_host_header: true\n${BASE}` })).toEqual(['routeOptionAtTop @yaml:1:1']);
  });

  it('errors on removed and refused keys', () => {
    expect(findings(ID, { pomerium: `${BASE}client_ca: abc\npolicy_file: policy.yaml\n` })).toEqual(['removed @yaml:21:1', 'refused @yaml:22:1']);
    const result = run({ pomerium: second('    allowed_groups: [admins]\n') }).filter((f) => f.ruleId === ID);
    expect(result.map((f) => [f.messageId, f.severity, f.line])).toEqual([['removed', 'error', 23]]);
  });

  it('says nothing of removed keys before v0.20.0, when they were still options', () => {
    expect(findings(ID, { pomerium: second('    allowed_groups: [admins]\n'), pomeriumVersion: '0.19.0' })).toEqual([]);
    expect(findings(ID, { pomerium: `${BASE}idp_service_account: abc\n`, pomeriumVersion: '0.19.0' })).toEqual([]);
    const legacy = `${BASE}policy:\n  - from: https://old.example.com\n    to: http://old:80\n    allowed_groups: [admins]\n`;
    expect(findings(ID, { pomerium: legacy, pomeriumVersion: '0.19.0' })).toEqual([]);
    // client_ca entered removedConfigFields in v0.26.0 (options_check.go at v0.25.2 does not list it).
    expect(findings(ID, { pomerium: `${BASE}client_ca: abc\n`, pomeriumVersion: '0.25.2' })).toEqual([]);
    expect(findings(ID, { pomerium: `${BASE}client_ca: abc\n`, pomeriumVersion: '0.26.0' })).toEqual(['removed @yaml:21:1']);
  });

  it('only says "could not check" for a version older than every table (v0.27.2 is the oldest)', () => {
    const pomerium = `${BASE}idp_provder: oidc\n`;
    const [old] = run({ pomerium, pomeriumVersion: '0.25.0' }).filter((f) => f.ruleId === ID);
    expect([old!.messageId, old!.severity]).toEqual(['unknownBeforeTables', 'info']);
    expect(old!.message).toContain('not an option of v0.27.2, the oldest release the option tables cover');
    const [known] = run({ pomerium, pomeriumVersion: '0.27.0' }).filter((f) => f.ruleId === ID);
    expect([known!.messageId, known!.severity]).toEqual(['unknown', 'warning']);
  });

  it('treats removed route keys in the legacy policy list as merely unknown', () => {
    // The removed path is routes.allowed_groups; policy[n].allowed_groups becomes policy.allowed_groups (options_check.go).
    const pomerium = `${BASE}policy:\n  - from: https://old.example.com\n    to: http://old:80\n    allowed_groups: [admins]\n    connect_timeout: 5s\n`;
    expect(findings(ID, { pomerium })).toEqual(['unknown @yaml:24:5', 'removedIgnored @yaml:25:5']);
    // Up to v0.31 the legacy list is read as envoy Clusters too (ViperPolicyHooks on UnmarshalKey("policy")).
    expect(findings(ID, { pomerium, pomeriumVersion: '0.31.0' })).toEqual(['unknown @yaml:24:5']);
  });

  it('explains signing_key_algorithm and jwt_groups_filter', () => {
    const pomerium = `${BASE}signing_key_algorithm: ES256\n`;
    expect(findings(ID, { pomerium })).toEqual(['signingKeyAlgorithm @yaml:21:1']);
    expect(findings(ID, { pomerium: second('    jwt_groups_filter: [admins]\n') })).toEqual(['groupsFilter @yaml:23:5']);
  });

  it("leaves a misspelled pass_identity_headers on Grafana's route to cross/pass-identity-headers", () => {
    const onGrafana = edit(['    pass_identity_headers: true', '    pass_identity_header: true']);
    expect(findings(ID, { pomerium: onGrafana })).toEqual([]);
    expect(findings(ID, { pomerium: second('    pass_identity_header: true\n') })).toEqual(['unknown @yaml:23:5']);
    // With a global true, cross/pass-identity-headers is satisfied and says nothing: the typo is ours.
    expect(findings(ID, { pomerium: `pass_identity_headers: true\n${onGrafana}` })).toEqual(['unknown @yaml:15:5']);
    const withoutKey = edit(['    pass_identity_headers: true\n', '']);
    expect(findings(ID, { pomerium: `pass_identity_header: true\n${withoutKey}` })).toEqual([]);
    expect(findings(ID, { pomerium: `pass_identity_header: true\n${BASE}` })).toEqual(['unknown @yaml:1:1']);
  });

  it('suggests the intended route key', () => {
    const result = run({ pomerium: edit(['    preserve_host_header: true', '    preserve_host_headers: true']) }).filter((f) => f.ruleId === ID);
    expect(result.map((f) => `${f.messageId} @${f.line}:${f.column}`)).toEqual(['unknown @15:5']);
    expect(result[0]!.message).toContain('did you mean `preserve_host_header`?');
  });
});

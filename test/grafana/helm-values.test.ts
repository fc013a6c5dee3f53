import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goPrint, readHelmValues } from '../../src/grafana/helm-values.js';
import { lintCase } from '../helpers/lint.js';

const VALUES = readFileSync(new URL('../../examples/kubernetes/values.yaml', import.meta.url), 'utf8');

describe('Grafana Helm values -> grafana.ini as the chart renders it', () => {
  it('renders one level: default-section entries first, sections and keys sorted, lists as JSON, null as empty', () => {
    const values = readHelmValues(
      `grafana.ini:
  users:
    auto_assign_org_role: Viewer
  instance_name: <demo & co>
  auth.jwt:
    header_name: X-Pomerium-Jwt-Assertion
    enabled: true
    cache_ttl:
    groups: [a, "<b>"]
    limit: 1000000
    ratio: 0.5
  auth:
    jwt:
      enabled: true
`,
      'values.yaml',
    );
    expect(values.rendered).toBe(
      [
        'instance_name = <demo & co>',
        '[auth]',
        'jwt = map[enabled:true]',
        '[auth.jwt]',
        'cache_ttl =',
        'enabled = true',
        'groups = ["a","\\u003cb\\u003e"]',
        'header_name = X-Pomerium-Jwt-Assertion',
        'limit = 1e+06',
        'ratio = 0.5',
        '[users]',
        'auto_assign_org_role = Viewer',
      ].join('\n'),
    );
    expect(values.nested).toEqual([{ section: 'auth', key: 'jwt', keySpan: { file: 'values.yaml', line: 13, column: 5, endLine: 13, endColumn: 8 } }]);
    const header = values.doc.entries.find((e) => e.key === 'header_name')!;
    expect(header.section).toBe('auth.jwt');
    expect(header.keySpan).toEqual({ file: 'values.yaml', line: 6, column: 5, endLine: 6, endColumn: 16 });
    expect(header.valueSpan).toEqual({ file: 'values.yaml', line: 6, column: 18, endLine: 6, endColumn: 42 });
    expect(values.doc.origin).toBe('helm-values');
  });

  it('formats numbers as Go %v of a float64', () => {
    expect([60, 100000, 1000000, 0.0001, 0.00001, 1.5e21].map(goPrint)).toEqual(['60', '100000', '1e+06', '0.0001', '1e-05', '1.5e+21']);
  });

  it('a value go-ini cuts at ; or # is reported at the exact column in values.yaml', () => {
    const text = `grafana.ini:
  auth.jwt:
    enabled: true
    role_attribute_path: "contains(groups[*], 'admin') && 'Admin' || 'Viewer' ;x"
    jwk_set_url: https://grafana.example.com/.well-known/pomerium/jwks.json#frag
`;
    const cut = readHelmValues(text, 'values.yaml').doc.entries.find((e) => e.key === 'jwk_set_url')!;
    expect(cut.value).toBe('https://grafana.example.com/.well-known/pomerium/jwks.json');
    expect(cut.cutComment?.span).toEqual({ file: 'values.yaml', line: 5, column: 76, endLine: 5, endColumn: 81 });
    const findings = lintCase({ grafanaValues: text }).findings.filter((f) => f.ruleId === 'grafana/inline-comment');
    expect(findings.map((f) => `${f.file}:${f.line}`)).toContain('values.yaml:5');
  });

  it('reads env: as GF_* variables with positions, and lists what comes from Secrets as unknown', () => {
    const values = readHelmValues(
      `env:
  GF_AUTH_JWT_ENABLED: true
  GF_AUTH_JWT_CACHE_TTL: 10m
envValueFrom:
  GF_AUTH_JWT_JWK_SET_URL:
    secretKeyRef:
      name: jwt
      key: url
envFromSecret: grafana-env
`,
      'values.yaml',
    );
    expect(values.env.map((e) => [e.name, e.value, e.valueSpan.line])).toEqual([
      ['GF_AUTH_JWT_ENABLED', 'true', 2],
      ['GF_AUTH_JWT_CACHE_TTL', '10m', 3],
    ]);
    expect(values.unknownEnv.map((u) => [u.name, u.from, u.source])).toEqual([
      ['GF_AUTH_JWT_JWK_SET_URL', 'envValueFrom', 'jwt'],
      [null, 'envFromSecret', 'grafana-env'],
    ]);
  });

  it('reads the values of Grafana as a subchart (kube-prometheus-stack: grafana.grafana.ini)', () => {
    const values = readHelmValues('grafana:\n  grafana.ini:\n    auth.jwt:\n      enabled: true\n', 'values.yaml');
    expect(values.rendered).toBe('[auth.jwt]\nenabled = true');
  });

  it('the example values pass doctor clean; broken variants point at the values lines', () => {
    const clean = lintCase({ grafanaValues: VALUES }).findings.filter((f) => f.severity !== 'info' && f.file === 'values.yaml');
    expect(clean).toEqual([]);
    const nested = VALUES.replace('  auth.jwt:\n', '  auth.x:\n    jwt:\n').replace(/^ {4}(enabled|header_name|email_claim|username_claim|jwk_set_url|cache_ttl|expect_claims|auto_sign_up):/gm, '      $1:');
    const found = lintCase({ grafanaValues: nested }).findings.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`);
    expect(found).toContain('helm/nested-section values.yaml:10:5');
    const env = `${VALUES}env:\n  GF_AUTH_JWT_EXPECT_CLAIMS: '{"aud": "x"}'\n  GF_AUTH_JWT_URL_LOGIN_TYPO: "true"\n`;
    const envFound = lintCase({ grafanaValues: env }).findings.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`);
    expect(envFound).toEqual(['helm/env-quoted-json values.yaml:24:30', 'grafana/env-ignored values.yaml:25:3']);
  });
});

describe('tpl in grafana.ini strings (charts/grafana/templates/_config.tpl, tag grafana-10.5.15: `{{ tpl $elemVal $ }}`)', () => {
  it('renders .Values references from the chart values, and keeps what it cannot evaluate', async () => {
    const { readHelmValues, renderTpl, hasTemplate } = await import('../../src/grafana/helm-values.js');
    const values = 'host: grafana.example.com\ngrafana.ini:\n  auth.jwt:\n    jwk_set_url: "https://{{ .Values.host }}/.well-known/pomerium/jwks.json"\n';
    const doc = readHelmValues(values, 'values.yaml').doc!;
    expect(doc.entries.find((e) => e.key === 'jwk_set_url')!.value).toBe('https://grafana.example.com/.well-known/pomerium/jwks.json');
    // text/template trim markers eat the spaces beside them; `$.Values` is the same root.
    expect(renderTpl('a {{- $.Values.x -}} b', { x: 1 })).toBe('a1b');
    const kept = renderTpl('https://{{ include "grafana.fullname" . }}/x', {});
    expect(kept).toBe('https://{{ include "grafana.fullname" . }}/x');
    expect(hasTemplate(kept)).toBe(true);
  });

  it('gives no broken-URL error for a rendered or unrenderable jwk_set_url', async () => {
    const { lintCase } = await import('../helpers/lint.js');
    const values = (url: string) => `host: grafana.example.com\ngrafana.ini:\n  auth.jwt:\n    enabled: true\n    header_name: X-Pomerium-Jwt-Assertion\n    jwk_set_url: "${url}"\n`;
    const rendered = lintCase({ grafanaValues: values('https://{{ .Values.host }}/.well-known/pomerium/jwks.json') }).findings.filter((f) => f.ruleId.includes('jwk-set-url'));
    expect(rendered).toEqual([]);
    const unknown = lintCase({ grafanaValues: values('{{ .Values.elsewhere.url }}') }).findings.filter((f) => f.ruleId.includes('jwk-set-url'));
    expect(unknown.map((f) => [f.ruleId, f.messageId, f.severity])).toEqual([['grafana/jwk-set-url-scheme', 'template', 'info']]);
  });
});

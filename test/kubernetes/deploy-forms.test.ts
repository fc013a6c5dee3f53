// The forms real deployments are made of (issue 12): Pomerium's Helm chart values, Grafana's chart Ingress,
// Grafana configured only through its environment, mounted files, versions from image tags, and files
// that are templates or fragments.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPomeriumChartValues, looksLikePomeriumChartValues } from '../../src/kubernetes/pomerium-chart.js';
import { deployedVersions, imageTag, versionOfTag } from '../../src/kubernetes/deployed-versions.js';
import { envHint, grafanaEnvName } from '../../src/doctor/env-form.js';
import { iniFromHeredoc, recogniseUnreadable } from '../../src/kubernetes/recognise.js';
import { lintCase } from '../helpers/lint.js';

const at = (f: { ruleId: string; file: string | null; line: number | null }) => `${f.ruleId} ${f.file}:${f.line}`;

// Values in the shape of pomerium/pomerium-helm charts/pomerium/values.yaml (25.0.0 .. 34.0.1).
const CHART = `config:
  rootDomain: apps.example.org
  routes:
    - from: https://grafana.{{ .Values.config.rootDomain }}
      to: http://grafana.monitoring.svc.cluster.local:3000
      pass_identity_headers: true
      preserve_host_header: true
      allow_any_authenticated_user: true
  extraOpts:
    jwt_claims_headers:
      X-Pomerium-Claim-Email: email
    unknown_option_here: 1
authenticate:
  idp:
    provider: oidc
image:
  tag: v0.22.2
`;

const GRAFANA_INI = `[server]
root_url = https://grafana.apps.example.org
[auth.jwt]
enabled = true
header_name = X-Pomerium-Jwt-Assertion
email_claim = email
username_claim = email
jwk_set_url = https://grafana.apps.example.org/.well-known/pomerium/jwks.json
`;

describe("Pomerium's Helm chart values", () => {
  it('are recognised by shape, and a Pomerium config is not', () => {
    expect(looksLikePomeriumChartValues(CHART)).toBe(true);
    expect(looksLikePomeriumChartValues('routes:\n  - from: https://a\n    to: http://b\n')).toBe(false);
    // umbrella chart: Pomerium as a subchart under `pomerium:`
    expect(looksLikePomeriumChartValues(`pomerium:\n${CHART.replace(/^/gm, '  ')}`)).toBe(true);
  });

  it('render into the model as _helpers.tpl does (pomerium-34.0.1), with positions at the values lines', () => {
    const chart = readPomeriumChartValues(CHART, 'values.yaml');
    const [grafana, authenticate] = chart.model.routes;
    // `tpl` resolves {{ .Values.config.rootDomain }} in config.routes (pomerium.config.dynamic)
    expect(grafana?.from).toEqual({ value: 'https://grafana.apps.example.org', span: expect.objectContaining({ file: 'values.yaml', line: 4 }) });
    expect(grafana?.passIdentityHeaders?.value).toBe(true);
    // authenticate.proxied defaults to true: the chart appends the authenticate service's public route
    expect(authenticate?.from?.value).toBe('https://authenticate.apps.example.org');
    expect(authenticate?.allowPublicUnauthenticatedAccess?.value).toBe(true);
    // authenticate_service_url: printf "https://%s" (authenticate.name | default "authenticate").rootDomain
    expect(chart.model.authenticateServiceUrl?.value).toBe('https://authenticate.apps.example.org');
    expect(chart.model.authenticateServiceUrl?.span?.line).toBe(2);
    // config.extraOpts is rendered with toYaml at the top level
    // (Viper lower-cases map keys, as it does for a config.yaml: config/options.go)
    expect(chart.model.jwtClaimsHeaders?.value).toEqual({ 'x-pomerium-claim-email': 'email' });
    expect(chart.model.topLevelKeys.map((k) => k.name)).toContain('unknown_option_here');
    // SIGNING_KEY comes from the chart's generated Secret (signing-key-secret.yaml)
    expect(chart.signingKeyInSecret).toBe(true);
    expect(chart.imageTag?.value).toBe('v0.22.2');
  });

  it('give findings at the values lines and no "unknown option config" or signing-key error', () => {
    const result = lintCase({ pomerium: CHART, grafana: GRAFANA_INI, pomeriumVersion: '0.22.2' });
    const ids = result.findings.map(at);
    expect(ids).toContain('pomerium/unknown-key pomerium.yaml:12');
    expect(ids.filter((i) => i.startsWith('pomerium/signing-key'))).toEqual([]);
    expect(result.findings.filter((f) => f.message.includes('`config`'))).toEqual([]);
    expect(result.ctx.route?.from?.value).toBe('https://grafana.apps.example.org');
  });

  it('read a string `routes` block where it sits in the file', () => {
    const text = 'config:\n  rootDomain: example.org\n  routes: |\n    - from: https://grafana.example.org\n      to: http://grafana:3000\n';
    const [route] = readPomeriumChartValues(text, 'v.yaml').model.routes;
    expect(route?.from?.span).toMatchObject({ line: 4, column: 13 });
    expect(route?.to?.value).toEqual([{ url: 'http://grafana:3000', weight: null }]);
  });

  it('read the older charts (5.0.0 .. 24.x) whose routes are config.policy', () => {
    const text = 'config:\n  rootDomain: example.org\n  policy:\n    - from: https://grafana.example.org\n      to: http://grafana:3000\ningress:\n  enabled: true\n';
    const model = readPomeriumChartValues(text, 'v.yaml').model;
    expect(model.routes.map((r) => `${r.list} ${r.from?.value}`)).toEqual(['policy https://grafana.example.org']);
  });

  it('say once that the config lives in config.existingSecret, without "no routes"', () => {
    const result = lintCase({ pomerium: 'config:\n  existingSecret: pomerium-config\n  rootDomain: example.org\n', grafana: GRAFANA_INI });
    expect(result.findings.filter((f) => f.ruleId === 'input/form').map(at)).toEqual(['input/form pomerium.yaml:2']);
    expect(result.findings.filter((f) => f.ruleId === 'cross/no-grafana-route')).toEqual([]);
  });

  it('say once that routes holding other templates are not read', () => {
    const text = 'config:\n  rootDomain: example.org\n  routes:\n    - from: https://{{ .Values.grafanaHost }}\n      to: http://grafana:3000\n';
    const result = lintCase({ pomerium: text, grafana: GRAFANA_INI });
    expect(result.findings.filter((f) => f.severity !== 'info').map(at)).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'input/form').map(at)).toEqual(['input/form pomerium.yaml:4']);
  });
});

describe("Grafana's chart Ingress as the route", () => {
  // charts/grafana/values.yaml `ingress:` (grafana-10.5.15) with the Pomerium Ingress Controller's class
  const VALUES = `ingress:
  enabled: true
  ingressClassName: pomerium
  annotations:
    ingress.pomerium.io/pass_identity_headers: "true"
    ingress.pomerium.io/allowed_domains: '["example.org"]'
  hosts:
    - grafana.example.org
grafana.ini:
  server:
    root_url: https://grafana.example.org
  auth.jwt:
    enabled: true
    header_name: X-Pomerium-Jwt-Assertion
    email_claim: email
    username_claim: email
    jwk_set_url: https://grafana.example.org/.well-known/pomerium/jwks.json
`;

  it('gives one route per host with the annotations as options, at the values lines', () => {
    const result = lintCase({ grafanaValues: VALUES });
    const route = result.ctx.route;
    expect(route?.from).toEqual({ value: 'https://grafana.example.org', span: expect.objectContaining({ file: 'values.yaml', line: 8 }) });
    // templates/ingress.yaml: path defaults to "/" with pathType Prefix (values.yaml)
    expect(route?.prefix?.value).toBe('/');
    expect(route?.passIdentityHeaders?.value).toBe(true);
    expect(route?.allowedDomains?.value).toEqual(['example.org']);
    // the key is in the controller's Secret: "could not check", never "no signing key"
    expect(result.findings.filter((f) => f.ruleId === 'pomerium/signing-key')).toEqual([]);
  });

  it('is not a route when the class is another controller', () => {
    const result = lintCase({ grafanaValues: VALUES.replace('ingressClassName: pomerium', 'ingressClassName: nginx') });
    expect(result.ctx.pomerium).toBeNull();
  });
});

describe('Grafana configured only through its environment', () => {
  const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: grafana
spec:
  template:
    spec:
      containers:
        - name: grafana
          image: grafana/grafana:11.3.0
          envFrom:
            - configMapRef:
                name: grafana-env
          env:
            - name: GF_AUTH_JWT_ENABLED
              value: "true"
            - name: GF_AUTH_JWT_HEADER_NAME
              value: X-Pomerium-Jwt-Assertion
          volumeMounts:
            - name: jwks
              mountPath: /etc/grafana/jwks.json
              subPath: jwks.json
      volumes:
        - name: jwks
          configMap:
            name: grafana-jwks
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: grafana-env
data:
  GF_SERVER_ROOT_URL: https://grafana.example.org
  GF_AUTH_JWT_EMAIL_CLAIM: email
  GF_AUTH_JWT_USERNAME_CLAIM: email
  GF_AUTH_JWT_JWK_SET_FILE: /etc/grafana/jwks.json
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: grafana-jwks
data:
  jwks.json: '{"keys":[]}'
`;

  it('reads a Deployment env list, envFrom of a ConfigMap, and a mounted ConfigMap file', () => {
    const result = lintCase({ kubernetes: { 'grafana.yaml': DEPLOYMENT } });
    const g = result.ctx.grafana!;
    expect(g.str('auth.jwt', 'header_name')).toBe('X-Pomerium-Jwt-Assertion');
    expect(g.str('server', 'root_url')).toBe('https://grafana.example.org');
    // the jwk_set_file is read through the volumeMount: an empty key set, at the ConfigMap's line
    expect(result.ctx.readFile('/etc/grafana/jwks.json')).toEqual({ status: 'ok', text: '{"keys":[]}', path: '/etc/grafana/jwks.json' });
    const jwks = result.findings.filter((f) => f.ruleId.includes('jwk-set-file'));
    expect(jwks.every((f) => f.file === 'grafana.yaml' && f.line !== null)).toBe(true);
  });

  it('words hints as the variables and places missing settings at them (an env file alone)', () => {
    const env = { GF_SERVER_ROOT_URL: 'https://grafana.example.org', GF_AUTH_JWT_ENABLED: 'true', GF_AUTH_JWT_HEADER_NAME: 'X-Pomerium-Jwt-Assertion', GF_AUTH_JWT_EMAIL_CLAIM: 'email' };
    const result = lintCase({ env, pomerium: 'routes:\n  - from: https://grafana.example.org\n    to: http://grafana:3000\n    pass_identity_headers: true\n' });
    expect(result.ctx.grafana).not.toBeNull();
    const signout = result.findings.find((f) => f.ruleId === 'cross/signout-redirect');
    // setting.go envKey: GF_ + section + key, upper case, "." as "_"
    expect(signout?.hint).toMatch(/GF_AUTH_SIGNOUT_REDIRECT_URL=https:\/\/grafana\.example\.org\/\.pomerium\/sign_out/);
  });

  it('renders hints written for grafana.ini as GF_ variables', () => {
    expect(grafanaEnvName('auth.jwt', 'header_name')).toBe('GF_AUTH_JWT_HEADER_NAME');
    expect(grafanaEnvName('auth.generic_oauth', 'role_attribute_path')).toBe('GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_PATH');
    expect(envHint('set signout_redirect_url = https://g/.pomerium/sign_out under [auth]')).toBe('set GF_AUTH_SIGNOUT_REDIRECT_URL=https://g/.pomerium/sign_out');
    expect(envHint('set [auth.proxy] enabled = false: behind Pomerium')).toBe('set GF_AUTH_PROXY_ENABLED=false: behind Pomerium');
    expect(envHint('set email_claim = email')).toBe('set GF_AUTH_JWT_EMAIL_CLAIM=email');
    expect(envHint('delete the line')).toBe('remove the variable');
    expect(envHint('set `header_name = X-Pomerium-Jwt-Assertion` in [auth.jwt]')).toBe('set `GF_AUTH_JWT_HEADER_NAME=X-Pomerium-Jwt-Assertion`');
  });
});

describe('compose bind mounts', () => {
  const COMPOSE = `services:
  grafana:
    image: grafana/grafana:10.4.2
    volumes:
      - ./grafana/jwks.json:/etc/grafana/jwks.json:ro
      - ./grafana/certs:/etc/grafana/certs
    environment:
      GF_AUTH_JWT_ENABLED: "true"
      GF_AUTH_JWT_JWK_SET_FILE: /etc/grafana/jwks.json
`;
  it('resolve container paths to the host files (a file and a folder)', () => {
    const result = lintCase({ compose: COMPOSE, files: { 'grafana/jwks.json': '{"keys":[]}', 'grafana/certs/ca.pem': 'PEM' } });
    expect(result.ctx.readFile('/etc/grafana/jwks.json')).toMatchObject({ status: 'ok', text: '{"keys":[]}' });
    expect(result.ctx.readFile('/etc/grafana/certs/ca.pem')).toMatchObject({ status: 'ok', text: 'PEM' });
  });
});

describe('versions from what is deployed', () => {
  it('reads image tags: release, v-prefixed, variant, partial, floating, digest', () => {
    expect(versionOfTag('Grafana', '10.4.2', null).version).toBe('10.4.2');
    expect(versionOfTag('Pomerium', 'v0.28.0', null).version).toBe('0.28.0');
    expect(versionOfTag('Grafana', '11.1.0-ubuntu', null).version).toBe('11.1.0');
    expect(versionOfTag('Grafana', '10.4', null)).toMatchObject({ version: '10.4.0', note: expect.stringContaining('floating') });
    expect(versionOfTag('Grafana', 'latest', null)).toMatchObject({ version: null, note: expect.stringContaining('floating') });
    expect(imageTag('grafana/grafana@sha256:abc')).toBe('@sha256:abc');
    expect(imageTag('registry.local:5000/grafana/grafana')).toBe('latest');
  });

  it('takes them from compose, manifests and both charts, with the line', () => {
    const compose = { file: 'docker-compose.yml', text: 'services:\n  grafana:\n    image: grafana/grafana-oss:10.4.2\n  pomerium:\n    image: pomerium/pomerium:v0.28.0\n', vars: {}, readFile: () => null };
    const found = deployedVersions({ compose });
    expect(found.Grafana).toMatchObject({ version: '10.4.2', span: { file: 'docker-compose.yml', line: 3 } });
    expect(found.Pomerium).toMatchObject({ version: '0.28.0', span: { line: 5 } });
    const chart = deployedVersions({ pomerium: { file: 'values.yaml', text: 'config:\n  rootDomain: example.org\n' } });
    // charts/pomerium/values.yaml image.tag at pomerium-34.0.1
    expect(chart.Pomerium).toMatchObject({ version: '0.22.1', note: expect.stringContaining('34.0.1') });
    const grafanaValues = deployedVersions({ grafanaValues: { file: 'values.yaml', text: 'image:\n  tag: 11.2.0\n' } });
    expect(grafanaValues.Grafana).toMatchObject({ version: '11.2.0', span: { line: 2 } });
  });
});

describe('files that are not the form their flag expects', () => {
  it('recognises Helm, Jinja and Terraform once, at the line', () => {
    expect(recogniseUnreadable('routes:\n{{- range .Values.routes }}\n  - from: {{ .from }}\n{{- end }}\n', 'p.yaml', 'pomerium')).toMatchObject({ span: { line: 2 }, whole: true });
    expect(recogniseUnreadable('[auth.jwt]\nenabled = {{ grafana_jwt_enabled }}\n{% if x %}\n', 'g.ini', 'grafana')?.message).toMatch(/Jinja/);
    expect(recogniseUnreadable('resource "pomerium_route" "grafana" {\n  from = "https://g"\n}\n', 'main.tf', 'pomerium')?.message).toMatch(/Terraform/);
    // a `{{ }}` that is only text inside a value that parses is read as usual
    expect(recogniseUnreadable('routes:\n  - from: https://g\n    set_request_headers:\n      X-Tpl: "{{ keep }}"\n', 'p.yaml', 'pomerium')).toBeNull();
  });

  it('reads an ini inside a heredoc with its line numbers', () => {
    const script = '#!/bin/sh\ncat > /etc/grafana/grafana.ini <<EOF\n[auth.jwt]\nenabled = true\nEOF\nexec grafana server\n';
    expect(iniFromHeredoc(script)).toMatchObject({ startLine: 3, marker: 'EOF' });
    const result = lintCase({ grafana: script });
    expect(result.ctx.grafana?.str('auth.jwt', 'enabled')).toBe('true');
    expect(result.findings.filter((f) => f.ruleId === 'grafana/ini-syntax')).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'input/form').map(at)).toEqual(['input/form grafana.ini:2']);
  });

  it('reads compose services written without `services:`, and says so', () => {
    const result = lintCase({ compose: 'grafana:\n  image: grafana/grafana:10.4.2\n  environment:\n    GF_AUTH_JWT_ENABLED: "true"\n' });
    expect(result.ctx.grafana?.str('auth.jwt', 'enabled')).toBe('true');
    expect(result.findings.filter((f) => f.ruleId === 'input/form').map(at)).toEqual(['input/form docker-compose.yml:1']);
  });
});

describe("which route is Grafana's", () => {
  const grafanaIni = '[server]\nroot_url = https://grafana.example.org\n[auth.jwt]\nenabled = true\nheader_name = X-Pomerium-Jwt-Assertion\nemail_claim = email\nusername_claim = email\njwk_set_url = https://grafana.example.org/.well-known/pomerium/jwks.json\n';
  const route = (extra: string) => `  - from: https://grafana.example.org\n    to: http://grafana:3000\n    preserve_host_header: true\n${extra}    allow_any_authenticated_user: true\n`;

  it('checks each of several routes of one Grafana (same from and upstream, told apart by prefix)', () => {
    const pomerium = `routes:\n${route('    prefix: /api\n    pass_identity_headers: true\n')}${route('    pass_identity_headers: false\n')}`;
    const result = lintCase({ pomerium, grafana: grafanaIni });
    expect(result.findings.filter((f) => f.ruleId === 'cross/no-grafana-route')).toEqual([]);
    // the second route strips the header (config/envoyconfig/routes.go): found although the first is fine
    expect(result.findings.filter((f) => f.ruleId === 'cross/pass-identity-headers').map((f) => f.line)).toEqual([11]);
  });

  it('picks a route by path with --route https://host/path', () => {
    const pomerium = `routes:\n${route('    prefix: /admin\n')}${route('    prefix: /\n')}`.replace('grafana:3000\n    preserve_host_header: true\n    prefix: /admin', 'admin:8080\n    preserve_host_header: true\n    prefix: /admin');
    const result = lintCase({ pomerium, grafana: grafanaIni, route: 'https://grafana.example.org/admin' });
    expect(result.ctx.route?.prefix?.value).toBe('/admin');
  });

  it('says when a lone route that does not look like Grafana is taken, as info', () => {
    const pomerium = 'routes:\n  - from: https://nginx.example.org\n    to: http://nginx:80\n    pass_identity_headers: true\n';
    const result = lintCase({ pomerium, grafana: grafanaIni.replace('grafana.example.org', 'grafana.example.org') });
    const guessed = result.findings.filter((f) => f.ruleId === 'cross/no-grafana-route');
    expect(guessed.map((f) => `${f.severity} ${f.line}`)).toEqual(['info 2']);
    expect(guessed[0]?.message).toMatch(/only route.*guess/);
  });

  it('"cannot tell" among routes is info, not an error', () => {
    const pomerium = 'routes:\n  - from: https://a.example.org\n    to: http://grafana-a:3000\n  - from: https://b.example.org\n    to: http://grafana-b:3000\n';
    const result = lintCase({ pomerium, grafana: '[auth.jwt]\nenabled = true\n' });
    expect(result.findings.filter((f) => f.ruleId === 'cross/no-grafana-route').map((f) => f.severity)).toEqual(['info']);
  });
});

describe('trust of the jwk_set_url certificate', () => {
  const compose = (mount: string) => `services:
  grafana:
    image: grafana/grafana:12.2.0
    volumes:
${mount}    environment:
      GF_AUTH_JWT_ENABLED: "true"
      GF_AUTH_JWT_JWK_SET_URL: https://grafana.localhost.pomerium.io/.well-known/pomerium/jwks.json
`;
  const trust = (text: string, extra: Parameters<typeof lintCase>[0] = {}) => lintCase({ compose: text, ...extra }).findings.filter((f) => f.ruleId === 'cross/jwk-set-url-trust').map(at);

  it('warns at the variable for *.localhost.pomerium.io (pomerium#4450)', () => {
    expect(trust(compose(''))).toEqual(['cross/jwk-set-url-trust docker-compose.yml:7']);
  });
  it('is quiet when a CA is mounted into /etc/ssl/certs (Go reads that folder: crypto/x509 root_linux.go)', () => {
    expect(trust(compose('      - ./certs/ca.pem:/etc/ssl/certs/pomerium-ca.pem:ro\n'))).toEqual([]);
  });
  it('is quiet with tls_client_ca on Grafana 12.2+, not before (key_sets.go; 12.2.0 added it)', () => {
    const ini = '[auth.jwt]\nenabled = true\njwk_set_url = https://grafana.localhost.pomerium.io/.well-known/pomerium/jwks.json\ntls_client_ca = /etc/grafana/ca.pem\n';
    const findings = (grafanaVersion: string) => lintCase({ grafana: ini, grafanaVersion }).findings.filter((f) => f.ruleId === 'cross/jwk-set-url-trust');
    expect(findings('12.2.0')).toEqual([]);
    expect(findings('12.1.0')).toHaveLength(1);
    // tls_client_ca is not in defaults.ini, so GF_AUTH_JWT_TLS_CLIENT_CA is ignored (GF_* only override keys that exist)
    const viaEnv = compose('').replace('    environment:\n', '    environment:\n      GF_AUTH_JWT_TLS_CLIENT_CA: /etc/grafana/ca.pem\n');
    expect(trust(viaEnv, { grafanaVersion: '12.2.0' })).toHaveLength(1);
  });
});

describe('Terraform for Pomerium', () => {
  // attribute names of pomerium_route: pomerium/terraform-provider-pomerium internal/provider/route.go (from, to, policies)
  const TF = `resource "pomerium_policy" "staff" {
  name = "staff"
}

resource "pomerium_route" "grafana" {
  name                  = "grafana"
  namespace_id          = pomerium_namespace.main.id
  from                  = "https://grafana.example.org"
  to                    = ["http://grafana:3000"]
  pass_identity_headers = true
  policies              = [pomerium_policy.staff.id]
}
`;
  it('reads simple HCL routes at their lines, and says what it left out', () => {
    const result = lintCase({ pomerium: TF });
    const route = result.ctx.pomerium?.routes[0];
    expect(route?.from).toMatchObject({ value: 'https://grafana.example.org', span: { line: 8 } });
    expect(route?.to?.value).toEqual([{ url: 'http://grafana:3000', weight: null }]);
    expect(route?.passIdentityHeaders?.value).toBe(true);
    expect(result.findings.filter((f) => f.ruleId === 'input/form').map((f) => `${f.messageId} ${f.line}`)).toEqual(['readAs 5']);
  });
  it('says so, and reads nothing, when from/to are not literals', () => {
    const result = lintCase({ pomerium: TF.replace('"https://grafana.example.org"', '"https://${var.host}"') });
    expect(result.ctx.pomerium).toBeNull();
    expect(result.findings.filter((f) => f.ruleId === 'input/form').map((f) => f.messageId)).toEqual(['notRead']);
  });
});

describe('trust of the certificate Pomerium serves', () => {
  it('warns when the certificate_file Pomerium serves is self-signed, and not for the hosted authenticate', () => {
    // a real self-signed certificate, made at test time
    const dir = mkdtempSync(join(tmpdir(), 'gp-cert-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=grafana.example.org', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const pomerium = 'certificate_file: /pomerium/cert.pem\nroutes:\n  - from: https://grafana.example.org\n    to: http://grafana:3000\n    pass_identity_headers: true\n';
    const grafana = '[auth.jwt]\nenabled = true\nheader_name = X-Pomerium-Jwt-Assertion\njwk_set_url = https://grafana.example.org/.well-known/pomerium/jwks.json\n';
    const trust = (extra: Parameters<typeof lintCase>[0]) => lintCase({ pomerium, grafana, ...extra }).findings.filter((f) => f.ruleId === 'cross/jwk-set-url-trust');
    const found = trust({ files: { '/pomerium/cert.pem': cert } });
    expect(found.map((f) => `${f.file}:${f.line}`)).toEqual(['grafana.ini:4']);
    expect(found[0]?.message).toMatch(/self-signed.*x509: certificate signed by unknown authority/);
    // the file not readable here: could not check, so nothing is said
    expect(trust({})).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('standard input for every input flag', () => {
  const io = (stdin: string) => ({ out: () => {}, err: () => {}, env: {}, cwd: process.cwd(), stdoutIsTTY: false, readStdin: async () => stdin, now: () => new Date(0) });
  it('reads Pomerium chart values, Grafana values, a compose file or an env file from "-"', async () => {
    const { readConfigInputs } = await import('../../src/commands/load.js');
    expect((await readConfigInputs({ pomerium: '-' }, io(CHART))).pomerium?.file).toBe('<stdin>');
    expect((await readConfigInputs({ grafanaValues: '-' }, io('grafana.ini: {}\n'))).grafanaValues?.file).toBe('<stdin>');
    expect((await readConfigInputs({ compose: '-' }, io('services: {}\n'))).compose?.file).toBe('<stdin>');
    expect((await readConfigInputs({ envFile: '-' }, io('GF_AUTH_JWT_ENABLED=true\n'))).env).toEqual({ GF_AUTH_JWT_ENABLED: 'true' });
  });
  it('refuses two inputs from "-" with one message (exit 2)', async () => {
    const { readConfigInputs } = await import('../../src/commands/load.js');
    await expect(readConfigInputs({ pomerium: '-', grafana: '-' }, io(''))).rejects.toMatchObject({ message: expect.stringMatching(/only one input/), exitCode: 2 });
  });
});

describe('one finding per problem, each with a place', () => {
  it('a nested `auth: jwt:` in Grafana values is one finding, not three (helm/nested-section is the cause)', () => {
    const result = lintCase({ grafanaValues: 'grafana.ini:\n  auth:\n    jwt:\n      enabled: true\n      header_name: X-Pomerium-Jwt-Assertion\n' });
    const errors = result.findings.filter((f) => f.severity === 'error').map(at);
    expect(errors).toEqual(['helm/nested-section values.yaml:3']);
  });
  it('JWT not enabled and header_name empty are one finding', () => {
    const result = lintCase({ grafana: '[auth.jwt]\njwk_set_url = https://g.example.org/.well-known/pomerium/jwks.json\n' });
    const ids = result.findings.map((f) => f.ruleId);
    expect(ids).toContain('grafana/jwt-not-enabled');
    expect(ids).not.toContain('grafana/jwt-header-name');
  });
  it('a setting missing from Grafana values is placed at the `grafana.ini:` key', () => {
    const result = lintCase({ grafanaValues: 'replicas: 1\ngrafana.ini:\n  server:\n    root_url: https://g.example.org\n' });
    const missing = result.findings.filter((f) => f.ruleId === 'grafana/jwt-not-enabled');
    expect(missing.map(at)).toEqual(['grafana/jwt-not-enabled values.yaml:2']);
  });
});

describe('commands that need the signing key, on chart values', () => {
  it('say the key is in the chart Secret instead of "no key" (signing-key-secret.yaml)', async () => {
    const { loadPomerium, signingKeysOf } = await import('../../src/commands/load.js');
    const io = { out: () => {}, err: () => {}, env: {}, cwd: process.cwd(), stdoutIsTTY: false, readStdin: async () => CHART, now: () => new Date(0) };
    const loaded = await loadPomerium({ pomerium: '-' }, io);
    expect(() => signingKeysOf(loaded!.model, io, '0.22.2')).toThrow(/Helm chart gives the pods SIGNING_KEY from a Secret/);
  });
});

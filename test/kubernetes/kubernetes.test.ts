import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readKubernetes } from '../../src/kubernetes/model.js';
import { looksLikeManifest } from '../../src/kubernetes/manifests.js';
import { lintCase } from '../helpers/lint.js';

const example = (name: string) => readFileSync(new URL(`../../examples/kubernetes/${name}`, import.meta.url), 'utf8');
const INGRESS = example('ingress.yaml');
const CRD = example('pomerium.yaml');

/** `ruleId file:line:column` of the findings at warning or above. */
function problems(kubernetes: Record<string, string>, extra: Parameters<typeof lintCase>[0] = {}): string[] {
  return lintCase({ kubernetes, grafanaValues: example('values.yaml'), ...extra })
    .findings.filter((f) => f.severity !== 'info')
    .map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`);
}

describe('Kubernetes manifests -> PomeriumModel', () => {
  it('turns the example Ingress and Pomerium resource into a route and global options, with manifest positions', () => {
    const k = readKubernetes('examples/kubernetes', [{ file: 'ingress.yaml', text: INGRESS }, { file: 'pomerium.yaml', text: CRD }]);
    expect(k.ingresses).toHaveLength(1);
    const [route] = k.model.routes;
    expect(route?.origin).toBe('ingress');
    expect(route?.from).toEqual({ value: 'https://grafana.example.com', span: { file: 'ingress.yaml', line: 22, column: 13, endLine: 22, endColumn: 32 } });
    expect(route?.to?.value).toEqual([{ url: 'http://grafana.monitoring.svc.cluster.local:3000', weight: null }]);
    expect(route?.prefix?.value).toBe('/');
    expect(route?.passIdentityHeaders).toEqual({ value: true, span: { file: 'ingress.yaml', line: 8, column: 48, endLine: 8, endColumn: 54 } });
    expect(route?.preserveHostHeader?.value).toBe(true);
    expect(route?.policy?.value).toEqual([{ allow: { or: [{ domain: { is: 'example.com' } }] } }]);
    expect(k.model.authenticateServiceUrl?.value).toBe('https://authenticate.example.com');
    expect(k.model.authenticateServiceUrl?.span?.file).toBe('pomerium.yaml');
    expect(k.resource?.secrets?.value).toBe('pomerium/bootstrap');
  });

  it('reads multi-document files and List kinds, Exact paths, secure_upstream and named ports from a Service', () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: a
      annotations:
        kubernetes.io/ingress.class: pomerium
        ingress.pomerium.io/secure_upstream: "true"
    spec:
      rules:
        - host: a.example.com
          http:
            paths:
              - path: /api
                pathType: Exact
                backend:
                  service:
                    name: grafana
                    port:
                      name: web
---
apiVersion: v1
kind: Service
metadata:
  name: grafana
spec:
  ports:
    - name: web
      port: 8443
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: not-ours
spec:
  ingressClassName: nginx
  rules:
    - host: b.example.com
`;
    const k = readKubernetes('list.yaml', [{ file: 'list.yaml', text }]);
    expect(k.model.routes.map((r) => [r.from?.value, r.path?.value, r.prefix, r.to?.value[0]?.url])).toEqual([
      ['https://a.example.com', '/api', null, 'https://grafana.default.svc.cluster.local:8443'],
    ]);
    expect(looksLikeManifest(text)).toBe(true);
    expect(looksLikeManifest('routes:\n  - from: https://a\n')).toBe(false);
  });

  it('an Ingress names a Service port, which the Service maps to Grafana\'s: the port is not compared with http_port', () => {
    // The Grafana chart's default Service: port 80 (named `service`) to the pod's 3000; the controller sends to the endpoints.
    const port80 = INGRESS.replace('number: 3000', 'number: 80');
    expect(problems({ 'ingress.yaml': port80, 'pomerium.yaml': CRD })).toEqual([]);
    // The Service is looked up by namespace and name in any file, as the controller does.
    const named = INGRESS.replace('number: 3000', 'name: service');
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: grafana\n  namespace: monitoring\nspec:\n  ports:\n    - name: service\n      port: 80\n      targetPort: 3000\n';
    const k = readKubernetes('k', [{ file: 'ingress.yaml', text: named }, { file: 'service.yaml', text: service }]);
    expect(k.model.routes[0]?.to?.value[0]?.url).toBe('http://grafana.monitoring.svc.cluster.local:80');
    // The scheme is still checked; secure_upstream is the controller's own annotation, not a route key.
    const secure = INGRESS.replace('  annotations:\n', '  annotations:\n    ingress.pomerium.io/secure_upstream: "true"\n');
    expect(problems({ 'ingress.yaml': secure, 'pomerium.yaml': CRD })).toEqual(['cross/upstream-port ingress.yaml:31:23']);
  });

  it('the example passes doctor clean', () => {
    expect(problems({ 'ingress.yaml': INGRESS, 'pomerium.yaml': CRD })).toEqual([]);
  });

  it('broken variants point at the manifest lines', () => {
    const unquoted = INGRESS.replace('pass_identity_headers: "true"', 'pass_identity_headers: true');
    expect(problems({ 'ingress.yaml': unquoted, 'pomerium.yaml': CRD })).toEqual(['ingress/annotation-not-string ingress.yaml:8:48']);

    const typo = INGRESS.replace('pass_identity_headers', 'pass_identity_header');
    expect(problems({ 'ingress.yaml': typo, 'pomerium.yaml': CRD })).toEqual(['ingress/unknown-annotation ingress.yaml:8:5', 'cross/pass-identity-headers ingress.yaml:22:13']);

    // An empty value is YAML null, JSON null to protojson: the option is unset, not refused.
    const empty = INGRESS.replace('pass_identity_headers: "true"', 'pass_identity_headers: ""');
    expect(problems({ 'ingress.yaml': empty, 'pomerium.yaml': CRD })).toEqual(['cross/pass-identity-headers ingress.yaml:22:13']);

    const yes = INGRESS.replace('pass_identity_headers: "true"', 'pass_identity_headers: "yes"');
    expect(problems({ 'ingress.yaml': yes, 'pomerium.yaml': CRD })).toEqual(['ingress/invalid-value ingress.yaml:8:48', 'cross/pass-identity-headers ingress.yaml:22:13']);
  });

  it('passIdentityHeaders on the Pomerium resource is the default for every Ingress', () => {
    const without = INGRESS.replace(/^ {4}ingress\.pomerium\.io\/pass_identity_headers.*\n/m, '');
    expect(problems({ 'ingress.yaml': without, 'pomerium.yaml': CRD })).toEqual(['cross/pass-identity-headers ingress.yaml:21:13']);
    const crd = CRD.replace('  secrets:', '  passIdentityHeaders: true\n  secrets:');
    expect(problems({ 'ingress.yaml': without, 'pomerium.yaml': crd })).toEqual([]);
  });

  it('fixes computed for a manifest are never offered (its text is not a Pomerium config)', () => {
    const without = INGRESS.replace(/^ {4}ingress\.pomerium\.io\/pass_identity_headers.*\n/m, '');
    const result = lintCase({ kubernetes: { 'ingress.yaml': without, 'pomerium.yaml': CRD } });
    expect(result.findings.filter((f) => f.fix)).toEqual([]);
    expect(result.findings.find((f) => f.ruleId === 'cross/pass-identity-headers')?.hint).toBe(
      'annotate the Grafana Ingress with `ingress.pomerium.io/pass_identity_headers: "true"`',
    );
    expect([...result.derivedFiles].sort()).toEqual(['ingress.yaml', 'pomerium.yaml']);
  });
});

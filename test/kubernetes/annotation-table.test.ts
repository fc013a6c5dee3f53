// ingress/unknown-annotation judges by the annotation list generated from the controller release's source.
import { describe, expect, it } from 'vitest';
import { INGRESS_CONTROLLER_DATA } from '../../src/pomerium/generated/ingress-controller.js';
import { annotationTableFor } from '../../src/pomerium/known-keys.js';
import { lintCase } from '../helpers/lint.js';

const ingress = (annotations: string[]) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
  annotations:
${annotations.map((a) => `    ingress.pomerium.io/${a}`).join('\n')}
spec:
  ingressClassName: pomerium
  rules:
    - host: app.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: app
                port:
                  number: 80
`;

const unknownAnnotations = (annotations: string[], pomeriumVersion?: string) =>
  lintCase({ kubernetes: { 'ingress.yaml': ingress(annotations) }, ...(pomeriumVersion ? { pomeriumVersion } : {}) })
    .findings.filter((f) => f.ruleId === 'ingress/unknown-annotation')
    .map((f) => `${f.line}: ${f.message}`);

describe('ingress/unknown-annotation by the generated controller tables', () => {
  it('raises nothing for any annotation of the current controller release', () => {
    const current = INGRESS_CONTROLLER_DATA.releases.at(-1)!;
    const names = [...new Set(Object.values(current.annotations).flat())];
    expect(names.length).toBeGreaterThan(60); // v0.33.1 pomerium/ingress_annotations.go: 66 names over 8 boolMap lists
    expect(unknownAnnotations(names.map((n) => `${n}: ""`))).toEqual([]);
  });

  it('knows the mcp_server_* annotations of v0.33.1 and not before they came', () => {
    const mcp = ['mcp_server_upstream_oauth2_auth_style: in_params', 'mcp_server_authorization_server_url: https://auth.example.com', 'mcp_server_upstream_oauth2_authorization_url_params: "{}"'];
    expect(unknownAnnotations(mcp)).toEqual([]);
    // ingress-controller v0.31.3 mcpServerAnnotations holds 6 names, none of these three.
    expect(unknownAnnotations(mcp, '0.31.3')).toHaveLength(3);
    expect(annotationTableFor('0.31.0').release).toBe('v0.31.3');
  });

  it('refuses allowed_groups by name and an unknown name with a suggestion', () => {
    const found = unknownAnnotations(['allowed_groups: "[]"', 'pass_identity_header: "true"']);
    expect(found).toEqual([
      '6: `ingress.pomerium.io/allowed_groups` is no longer supported: the Pomerium Ingress Controller refuses the whole Ingress ("ingress.pomerium.io/allowed_groups no longer supported")',
      '7: `ingress.pomerium.io/pass_identity_header` is not an annotation the Pomerium Ingress Controller knows: it refuses the whole Ingress ("unknown ingress.pomerium.io/pass_identity_header"), so the route does not exist',
    ]);
  });
});

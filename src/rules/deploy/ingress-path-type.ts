import { isSeq, type Node } from 'yaml';
import { field, path, text } from '../../kubernetes/manifests.js';
import { defineRule } from '../types.js';

/**
 * networking.k8s.io/v1 made `pathType` required (k8s.io/kubernetes pkg/apis/networking/validation:
 * validateHTTPIngressPath, "pathType must be specified"; the wording is UNCONFIRMED: no Kubernetes source
 * is mirrored here); v1beta1 defaulted it. Every Ingress is checked,
 * not only Pomerium's: kubectl apply of the file fails either way.
 */
export default defineRule({
  meta: {
    id: 'ingress/path-type',
    description: 'Every path of a networking.k8s.io/v1 Ingress has a pathType (the API server refuses one without)',
    severity: 'error',
    requires: [],
    messages: {
      missing: 'spec.rules[{{rule}}].http.paths[{{path}}].pathType: Required value: pathType must be specified: the API server refuses this Ingress, so no route is made',
      invalid: 'spec.rules[{{rule}}].http.paths[{{path}}].pathType: Unsupported value: "{{value}}": supported values: "Exact", "ImplementationSpecific", "Prefix"',
    },
  },
  check(ctx, report) {
    for (const object of ctx.kubernetes?.manifests.objects ?? []) {
      if (object.kind !== 'Ingress' || object.apiVersion !== 'networking.k8s.io/v1') continue;
      const rules = path(object.node, 'spec', 'rules');
      (isSeq(rules) ? (rules.items as Node[]) : []).forEach((rule, r) => {
        const paths = path(rule, 'http', 'paths');
        (isSeq(paths) ? (paths.items as Node[]) : []).forEach((item, p) => {
          const pathType = text(field(item, 'pathType'));
          const at = { rule: r, path: p };
          if (pathType === null) report({ messageId: 'missing', data: at, span: object.spanOf(field(item, 'path') ?? item), hint: 'add `pathType: Prefix` (or Exact) beside `path:`' });
          else if (!['Exact', 'Prefix', 'ImplementationSpecific'].includes(pathType)) report({ messageId: 'invalid', data: { ...at, value: pathType }, span: object.spanOf(field(item, 'pathType')), hint: 'write Prefix, Exact or ImplementationSpecific (case matters)' });
        });
      });
    }
  },
});

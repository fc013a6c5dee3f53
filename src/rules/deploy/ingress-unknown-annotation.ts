import { didYouMean } from '../../core/did-you-mean.js';
import { ANNOTATION_PREFIX } from '../../kubernetes/ingress.js';
import { annotationTableFor } from '../../pomerium/known-keys.js';
import { defineRule } from '../types.js';

export default defineRule({
  meta: {
    id: 'ingress/unknown-annotation',
    description: 'An ingress.pomerium.io/* annotation the Pomerium Ingress Controller does not know (it refuses the Ingress)',
    severity: 'error',
    requires: [],
    messages: {
      unknown: '`{{prefix}}{{name}}` is not an annotation the Pomerium Ingress Controller knows: it refuses the whole Ingress ("unknown {{prefix}}{{name}}"), so the route does not exist',
      unsupported: '`{{prefix}}{{name}}` is no longer supported: the Pomerium Ingress Controller refuses the whole Ingress ("{{prefix}}{{name}} no longer supported")',
    },
  },
  check(ctx, report) {
    // The annotation list of the controller release (pomerium/ingress_annotations.go), generated per release.
    const table = annotationTableFor(ctx.pomeriumVersion);
    for (const ingress of ctx.kubernetes?.ingresses ?? []) {
      for (const a of ingress.annotations) {
        const data = { prefix: ANNOTATION_PREFIX, name: a.option };
        const help = table.unsupported.get(a.option);
        if (help) {
          report({ messageId: 'unsupported', data, span: a.keySpan, hint: `remove it; see ${help}` });
        } else if (!table.known.includes(a.option)) {
          const guess = didYouMean(a.option, table.known);
          report({ messageId: 'unknown', data, span: a.keySpan, hint: guess ? `did you mean \`${ANNOTATION_PREFIX}${guess}\`?` : 'remove it, or check the spelling against the Ingress Controller docs' });
        }
      }
    }
  },
});

import { ANNOTATION_PREFIX } from '../../kubernetes/ingress.js';
import { defineRule } from '../types.js';

export default defineRule({
  meta: {
    id: 'ingress/annotation-not-string',
    description: 'An ingress.pomerium.io/* annotation written as a YAML boolean, number or null instead of a string',
    severity: 'error',
    requires: [],
    messages: {
      notString:
        'the value of `{{prefix}}{{name}}` is {{writtenAs}}: annotations are strings (map[string]string), so the API server refuses the Ingress',
    },
  },
  check(ctx, report) {
    for (const ingress of ctx.kubernetes?.ingresses ?? []) {
      for (const a of ingress.annotations) {
        if (a.isString) continue;
        report({ messageId: 'notString', data: { prefix: ANNOTATION_PREFIX, name: a.option, writtenAs: a.writtenAs }, span: a.valueSpan, hint: `quote it: ${ANNOTATION_PREFIX}${a.option}: "${a.value}"` });
      }
    }
  },
});

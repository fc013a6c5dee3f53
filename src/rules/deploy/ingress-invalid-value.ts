import { defineRule } from '../types.js';

export default defineRule({
  meta: {
    id: 'ingress/invalid-value',
    description: 'An annotation value the Ingress Controller cannot decode, or a Pomerium resource field its schema refuses',
    severity: 'error',
    requires: [],
    messages: {
      annotation: '{{message}}',
      resource: '{{message}}: the API server refuses the Pomerium resource',
    },
  },
  check(ctx, report) {
    for (const ingress of ctx.kubernetes?.ingresses ?? []) {
      for (const p of ingress.problems) report({ messageId: 'annotation', data: { message: p.message }, span: p.span, hint: 'booleans are written "true" or "false" (quoted, lower case); lists as JSON, e.g. \'["example.com"]\'' });
    }
    for (const p of ctx.kubernetes?.resource?.problems ?? []) report({ messageId: 'resource', data: { message: p.message }, span: p.span });
  },
});

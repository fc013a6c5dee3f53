import { defineRule } from '../types.js';

export default defineRule({
  meta: {
    id: 'compose/interpolation',
    description: 'A ${VAR} in the compose file that has no value (compose uses "") or a ${VAR:?} that stops compose',
    severity: 'warning',
    requires: [],
    messages: {
      problem: '{{message}}',
    },
  },
  check(ctx, report) {
    for (const p of ctx.compose?.problems ?? []) {
      report({ messageId: 'problem', data: { message: p.message }, severity: p.severity, span: p.span, hint: 'set it in the .env file beside the compose file, or give a default: ${VAR:-value}' });
    }
  },
});

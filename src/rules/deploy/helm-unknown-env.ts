import { defineRule } from '../types.js';

export default defineRule({
  meta: {
    id: 'helm/unknown-env',
    description: 'GF_* variables the pod takes from a Secret or ConfigMap: doctor cannot see their values',
    severity: 'info',
    requires: [],
    messages: {
      variable: '{{name}} comes from {{from}}{{source}}: doctor cannot see its value, so the checks that depend on it assume it is not set',
      source: 'every variable of {{from}}{{source}} reaches the pod: doctor cannot see them, so the checks assume none of them is set',
    },
  },
  check(ctx, report) {
    for (const u of ctx.helmValues?.unknownEnv ?? []) {
      const data = { from: u.from, source: u.source ? ` (${u.source})` : '' };
      if (u.name === null) report({ messageId: 'source', data, span: u.span });
      else if (u.name.startsWith('GF_')) report({ messageId: 'variable', data: { ...data, name: u.name }, span: u.span });
    }
  },
});

import { defineRule } from '../types.js';

/** grafana-community/helm-charts 12.4.8 (PR #606) quotes env values; grafana/helm-charts never did. */
const FIXED_IN = '12.4.8';

export default defineRule({
  meta: {
    id: 'helm/env-quoted-json',
    description: 'An env: value holding `"` or `\\`, which charts before 12.4.8 write unescaped into the pod manifest',
    severity: 'warning',
    requires: [],
    messages: {
      quoted:
        '{{name}} holds `{{char}}`: Grafana charts before {{fixed}} (every grafana/helm-charts release) write env values as "…" without escaping, so the rendered manifest breaks',
    },
  },
  check(ctx, report) {
    for (const e of ctx.helmValues?.env ?? []) {
      if (e.from !== 'env') continue;
      const char = ['"', '\\'].find((c) => e.value.includes(c));
      if (!char) continue;
      report({
        messageId: 'quoted',
        data: { name: e.name, char, fixed: FIXED_IN },
        span: e.valueSpan,
        hint: `use grafana-community/grafana ${FIXED_IN} or later, or set it in grafana.ini: instead of env:`,
      });
    }
  },
});

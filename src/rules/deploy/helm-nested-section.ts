import { defineRule } from '../types.js';

export default defineRule({
  meta: {
    id: 'helm/nested-section',
    description: 'A section nested below another in the chart values (`auth: {jwt: ...}`) instead of a dotted key (`auth.jwt:`)',
    severity: 'error',
    requires: [],
    messages: {
      nested:
        '`{{section}}: {{key}}:` is nested: the chart renders only one level, so it writes `{{key}} = map[...]` under [{{section}}] and Grafana never sees a [{{section}}.{{key}}] section',
    },
  },
  check(ctx, report) {
    for (const n of ctx.helmValues?.nested ?? []) {
      report({ messageId: 'nested', data: { section: n.section, key: n.key }, span: n.keySpan, hint: `write the section as one key: \`${n.section}.${n.key}:\` directly under \`grafana.ini:\`` });
    }
  },
});

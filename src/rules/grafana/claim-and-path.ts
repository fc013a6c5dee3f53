import { grafanaKey, isReadIn } from '../../grafana/defaults.js';
import { defineRule } from '../types.js';
import { settingName } from './place.js';

/** Each top-level claim key and the JMESPath Grafana falls back to only when the claim key is empty. */
const PAIRS = [
  ['email_claim', 'email_attribute_path'],
  ['username_claim', 'username_attribute_path'],
] as const;

export default defineRule({
  meta: {
    id: 'grafana/claim-and-path',
    description: 'Both a *_claim and its *_attribute_path are set, so the path is ignored',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      pathIgnored: '{{path}} is ignored: Grafana reads it only when {{claim}} is empty, and {{claimName}} = {{claimValue}} is set',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    for (const [claimKey, pathKey] of PAIRS) {
      if (!isReadIn(grafanaKey('auth.jwt', pathKey)!, grafana.version)) continue;
      const claim = grafana.get('auth.jwt', claimKey);
      const path = grafana.get('auth.jwt', pathKey);
      if (!claim?.value || !path?.value) continue;
      report({
        messageId: 'pathIgnored',
        data: { path: settingName(path), claim: claimKey, claimName: settingName(claim), claimValue: claim.value },
        span: path.span,
        file: path.span?.file ?? grafana.doc?.file ?? null,
        hint: `keep one: ${claimKey} for a top-level claim, or remove it so ${pathKey} is used`,
      });
    }
  },
});

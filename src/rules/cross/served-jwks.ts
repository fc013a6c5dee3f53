import { defineRule } from '../types.js';
import { servedKeySet } from './helpers.js';

export default defineRule({
  meta: {
    id: 'cross/served-jwks',
    description: 'The JWKS Pomerium serves (--jwks or --live) is valid and holds the key it signs with',
    severity: 'error',
    requires: ['pomerium'],
    messages: {
      couldNotCheck: 'could not check the served JWKS ({{source}}): {{reason}}',
      empty: 'the served JWKS ({{source}}) holds no keys: Grafana refuses every token with "no keys found"',
      invalid: 'the served JWKS ({{source}}) is not usable: {{problems}}',
      kidMissing: 'the served JWKS ({{source}}) does not hold the key this config signs with (kid {{kid}}, from {{from}}): Grafana refuses every token with "no keys found"',
    },
  },
  check(ctx, report) {
    const served = servedKeySet(ctx);
    if (!served) return;
    const source = ctx.servedJwks!.source;
    const at = { span: null, file: ctx.pomerium?.file ?? null };
    if ('unreachable' in served) {
      report({ messageId: 'couldNotCheck', severity: 'info', data: { source, reason: served.unreachable }, ...at, hint: 'run doctor where Pomerium is reachable, or pass the served set with --jwks FILE' });
      return;
    }
    if ('invalid' in served) {
      const hint = 'check signing_key in the Pomerium config; `grafana-pomerium fetch-jwks --from-signing-key` shows the set it should serve';
      report({ messageId: served.empty ? 'empty' : 'invalid', data: { source, problems: served.invalid }, ...at, hint });
      return;
    }
    const signing = ctx.signing;
    if (!signing || !('signer' in signing) || !signing.signer) return;
    const kid = signing.signer.kid;
    if (!served.keys.some((k) => k.kid === kid)) {
      report({
        messageId: 'kidMissing',
        data: { source, kid, from: signing.source },
        ...at,
        hint: 'the Pomerium that answered runs with another key: deploy this config (and restart), or point doctor at the right Pomerium',
      });
    }
  },
});

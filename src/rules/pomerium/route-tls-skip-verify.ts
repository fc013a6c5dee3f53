import { defineRule } from '../types.js';

export default defineRule({
  meta: {
    id: 'pomerium/route-tls-skip-verify',
    description: "Pomerium verifies the certificate of Grafana's upstream",
    severity: 'warning',
    requires: ['pomerium'],
    messages: {
      skipVerify:
        "tls_skip_verify: true on Grafana's route: Pomerium accepts any certificate from the upstream, so whoever can intercept that connection receives every user's JWT and session traffic",
    },
  },
  check(ctx, report) {
    const skip = ctx.route?.tlsSkipVerify;
    if (skip?.value !== true) return;
    report({
      messageId: 'skipVerify',
      span: skip.span,
      file: ctx.pomerium!.file,
      hint: "trust Grafana's CA with tls_custom_ca_file (and tls_server_name if the name differs), or reach Grafana over http:// on a private network",
    });
  },
});

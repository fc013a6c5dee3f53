import { validateJwksText } from '../../jwks/validate.js';
import { jwtConfigFailure, jwtEnabled } from '../grafana/place.js';
import { defineRule } from '../types.js';
import { setValue, signerKid } from './helpers.js';

export default defineRule({
  meta: {
    id: 'cross/jwk-set-file',
    description: 'jwk_set_file is a readable public JWKS that holds the key Pomerium signs with',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      couldNotCheck: 'could not check jwk_set_file {{path}}: {{reason}}',
      missing: 'jwk_set_file {{path}} does not exist: Grafana cannot load its key set, so {{effect}}',
      empty: 'jwk_set_file {{path}} holds no keys: every token fails with "no keys found"',
      invalid: 'jwk_set_file {{path}} is not a usable public JWKS: {{problems}}',
      kidMissing: 'jwk_set_file {{path}} does not hold the key Pomerium signs with (kid {{kid}}, from {{from}}): every token fails with "no keys found"',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    // Grafana loads the key set only when JWT auth is on (`ProvideService` returns early otherwise).
    const setting = jwtEnabled(grafana) ? setValue(ctx, 'auth.jwt', 'jwk_set_file') : undefined;
    if (!setting) return;
    const path = setting.value.trim();
    const found = ctx.readFile(path);
    const span = setting.span;
    const refresh = 'write it with `grafana-pomerium fetch-jwks`, then restart Grafana (it reads the file once, at start)';
    if (found.status === 'unknown') {
      report({ messageId: 'couldNotCheck', severity: 'info', data: { path, reason: found.reason }, span, hint: 'give --root DIR to say where the container\'s files are' });
      return;
    }
    if (found.status === 'missing') return report({ messageId: 'missing', data: { path, effect: jwtConfigFailure(grafana.version) }, span, hint: refresh });
    const checked = validateJwksText(found.text);
    if (!checked.ok) {
      const empty = checked.problems.some((p) => p.code === 'no-keys');
      if (empty) return report({ messageId: 'empty', data: { path }, span, hint: `set signing_key in the Pomerium config, then ${refresh}` });
      return report({ messageId: 'invalid', data: { path, problems: checked.problems.map((p) => p.message).join('; ') }, span, hint: refresh });
    }
    const signer = signerKid(ctx);
    if (signer && !checked.jwks.keys.some((k) => k.kid === signer.kid)) {
      report({ messageId: 'kidMissing', data: { path, kid: signer.kid, from: signer.from }, span, hint: refresh });
    }
  },
});

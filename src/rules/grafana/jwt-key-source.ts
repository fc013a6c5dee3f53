import { grafanaKey, isReadIn } from '../../grafana/defaults.js';
import { defineRule } from '../types.js';
import { jwtConfigFailure, jwtEnabled, sectionPlace, settingName } from './place.js';

/** The key sources `checkKeySetConfiguration` counts, in Grafana's order; key_value/jwk_set_value only where read. */
const KEY_SOURCES = ['key_file', 'key_value', 'jwk_set_file', 'jwk_set_value', 'jwk_set_url'] as const;

export default defineRule({
  meta: {
    id: 'grafana/jwt-key-source',
    description: 'JWT auth has no key source, or more than one (Grafana refuses both)',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      none: '[auth.jwt] has no key to verify the JWT with (`key set for jwt verification is not configured`): {{effect}}',
      ambiguous: '[auth.jwt] sets {{count}} key sources ({{names}}), and Grafana wants exactly one (`{{literal}}`): {{effect}}',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    // Grafana builds the key set only when JWT auth is on.
    if (!jwtEnabled(grafana)) return;
    const readable = KEY_SOURCES.filter((key) => isReadIn(grafanaKey('auth.jwt', key)!, grafana.version));
    const configured = readable.flatMap((key) => {
      const setting = grafana.get('auth.jwt', key);
      return setting && (setting.value !== '' || !setting.known) ? [setting] : [];
    });
    const effect = jwtConfigFailure(grafana.version);

    if (configured.length === 0) {
      report({
        messageId: 'none',
        data: { effect },
        ...sectionPlace(grafana.doc, 'auth.jwt'),
        hint: "set `jwk_set_url = https://<grafana route host>/.well-known/pomerium/jwks.json` (Pomerium's key set), or jwk_set_file with a copy from `grafana-pomerium fetch-jwks`",
      });
      return;
    }
    if (configured.length === 1) return;
    const literal =
      readable.length > 3
        ? 'key set configuration is ambiguous: you should set only one of key_file, key_value, jwk_set_file, jwk_set_value or jwk_set_url'
        : 'key set configuration is ambiguous: you should set either key_file, jwk_set_file or jwk_set_url';
    // Point at a source written in a file when there is one (a process variable has no place).
    const shown = configured.find((s) => s.span) ?? configured[0]!;
    report({
      messageId: 'ambiguous',
      data: { count: configured.length, names: configured.map(settingName).join(', '), literal, effect },
      span: shown.span ?? shown.keySpan,
      file: shown.span?.file ?? grafana.doc?.file ?? null,
      hint: "keep one: jwk_set_url pointing at Pomerium's /.well-known/pomerium/jwks.json is the usual choice; remove the others",
    });
  },
});

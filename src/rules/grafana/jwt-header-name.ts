import { didYouMean } from '../../core/did-you-mean.js';
import { defineRule } from '../types.js';
import { replaceSpan, settingName, settingPlace } from './place.js';

/** The header Pomerium puts its assertion JWT in (pomerium `internal/httputil/headers.go`). */
export const POMERIUM_JWT_HEADER = 'X-Pomerium-Jwt-Assertion';

export default defineRule({
  meta: {
    id: 'grafana/jwt-header-name',
    description: "[auth.jwt] header_name is empty or not Pomerium's X-Pomerium-Jwt-Assertion",
    severity: 'error',
    requires: ['grafana'],
    messages: {
      missing: "[auth.jwt] header_name is empty: Grafana's JWT client never runs (not even with url_login = true), so nobody is signed in from Pomerium's JWT",
      underscores:
        '{{name}} = {{value}} uses underscores: Go reads it as a different header from X-Pomerium-Jwt-Assertion (and proxies drop underscore headers), so Grafana finds no token and shows its login page',
      wrong: "{{name}} = {{value}} is not the header Pomerium sends the JWT in (X-Pomerium-Jwt-Assertion): Grafana finds no token and shows its login page",
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    const setting = grafana.get('auth.jwt', 'header_name');
    const hint = `set \`header_name = ${POMERIUM_JWT_HEADER}\` in [auth.jwt]`;
    if (!setting || setting.value === '') {
      report({ messageId: 'missing', ...settingPlace(grafana, 'auth.jwt', 'header_name'), hint });
      return;
    }
    // Go canonicalises header names, so only the case may differ.
    if (!setting.known || setting.value.toLowerCase() === POMERIUM_JWT_HEADER.toLowerCase()) return;

    const doc = grafana.doc;
    const fix = doc && setting.source === 'file' && setting.span ? replaceSpan(doc, setting.span, POMERIUM_JWT_HEADER, `set header_name = ${POMERIUM_JWT_HEADER}`) : undefined;
    const underscores = setting.value.replaceAll('_', '-').toLowerCase() === POMERIUM_JWT_HEADER.toLowerCase();
    const meant = didYouMean(setting.value, [POMERIUM_JWT_HEADER]);
    report({
      messageId: underscores ? 'underscores' : 'wrong',
      data: { name: settingName(setting), value: setting.value },
      span: setting.span,
      file: setting.span?.file ?? null,
      hint: meant && !underscores ? `did you mean ${meant}? ${hint}` : hint,
      ...(fix ? { fix } : {}),
    });
  },
});

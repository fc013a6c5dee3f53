import type { Fix } from '../../core/finding.js';
import { parseUrl } from '../../core/url.js';
import { inWindows, SIGNOUT_IGNORED_FOR_JWT } from '../../grafana/defaults.js';
import { routeHost } from '../../pomerium/routes.js';
import { defineRule, type RuleContext } from '../types.js';
import { iniValueFix, sectionHeader } from './helpers.js';

const SIGN_OUT_PATH = '/.pomerium/sign_out';

/** Adds the key under `[auth]`, or an `[auth]` section at the end of the file. */
function addFix(ctx: RuleContext, url: string): Fix | undefined {
  const doc = ctx.grafana?.doc;
  if (!doc) return undefined;
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  const line = `signout_redirect_url = ${url}`;
  const header = sectionHeader(ctx, 'auth');
  const edit = header
    ? { start: header.end, end: header.end, text: `${eol}${line}` }
    : { start: doc.text.length, end: doc.text.length, text: `${doc.text === '' || doc.text.endsWith('\n') ? '' : eol}${eol}[auth]${eol}${line}${eol}` };
  return { file: doc.file, description: `set [auth] signout_redirect_url = ${url}`, edits: [edit] };
}

export default defineRule({
  meta: {
    id: 'cross/signout-redirect',
    description: "[auth] signout_redirect_url is Pomerium's sign-out on the Grafana route host",
    severity: 'warning',
    requires: ['grafana', 'pomerium'],
    messages: {
      missing: '[auth] signout_redirect_url is not set: "Sign out" in Grafana ends no session, and the next request signs the user straight back in with Pomerium\'s header',
      ignoredForJwt:
        'Grafana {{version}} ignores [auth] signout_redirect_url for users signed in by JWT (it uses it only for OAuth and SAML sign-outs, grafana#79635): "Sign out" ends no Pomerium session, and the next request signs the user straight back in',
      wrong: 'signout_redirect_url is {{actual}}, not Pomerium\'s sign-out on the Grafana route ({{expected}}): the Pomerium session survives "Sign out" and the user is signed straight back in',
    },
  },
  check(ctx, report) {
    const host = ctx.route && routeHost(ctx.route);
    if (!ctx.grafana || !ctx.route?.from || !host || host.includes('*')) return;
    const expected = `https://${parseUrl(ctx.route.from.value)?.host ?? host}${SIGN_OUT_PATH}`;
    const setting = ctx.grafana.get('auth', 'signout_redirect_url');
    const version = ctx.grafana.version;
    if (inWindows(version, SIGNOUT_IGNORED_FOR_JWT)) {
      // Nothing in the file helps these releases (an [auth.jwt] line is never read either): only an upgrade does.
      const fixed = 'upgrade Grafana to 11.1, or to the 10.4.x / 11.0.x patch with grafana#87631 (10.4.5 / 11.0.1 assumed)';
      if (setting && setting.value.trim() !== '') report({ messageId: 'ignoredForJwt', severity: 'error', data: { version }, span: setting.span, file: setting.span?.file ?? ctx.grafana.doc?.file ?? null, hint: fixed });
      else report({ messageId: 'missing', span: (sectionHeader(ctx, 'auth') ?? sectionHeader(ctx, 'auth.jwt'))?.span ?? null, file: ctx.grafana.doc?.file ?? null, hint: `${fixed}, then set signout_redirect_url = ${expected} under [auth]` });
      return;
    }
    if (!setting || setting.value.trim() === '') {
      const fix = addFix(ctx, expected);
      // Where it goes: the [auth] section; without one, beside the sign-in settings in [auth.jwt].
      const span = setting?.span ?? (sectionHeader(ctx, 'auth') ?? sectionHeader(ctx, 'auth.jwt'))?.span ?? null;
      report({ messageId: 'missing', span, file: ctx.grafana.doc?.file ?? null, hint: `set signout_redirect_url = ${expected} under [auth]`, ...(fix ? { fix } : {}) });
      return;
    }
    if (!setting.known) return;
    const url = parseUrl(setting.value);
    if (url && url.protocol === 'https:' && url.hostname.toLowerCase() === host && url.pathname === SIGN_OUT_PATH) return;
    const fix = iniValueFix(ctx, setting, expected, `set signout_redirect_url = ${expected}`);
    report({ messageId: 'wrong', data: { actual: setting.value.trim(), expected }, span: setting.span, hint: `set signout_redirect_url = ${expected}`, ...(fix ? { fix } : {}) });
  },
});

import { atLeast } from '../../grafana/version.js';
import { hasTemplate } from '../../grafana/helm-values.js';
import { defineRule } from '../types.js';
import { jwtConfigFailure, jwtEnabled, settingName } from './place.js';

/**
 * `app_mode = development` lets Grafana fetch a JWKS over plain http (`s.Cfg.Env != setting.Dev` in
 * `key_sets.go`). The oldest copy read with that exception is 12.2-era (f31913d); 9.x (0453e86) has none.
 * The release between is UNCONFIRMED, so older versions are judged strictly.
 */
const DEV_HTTP_ALLOWED_FROM = '12.2.0';

/**
 * The scheme Go's `url.Parse` finds (lower-cased), or the error it returns. Covers the errors a hand-written
 * URL meets: control characters, a leading `:`, bad `%` escapes, and a host or port Go refuses.
 */
export function goUrlScheme(raw: string): { scheme: string } | { error: string } {
  if (/[\x00-\x1f\x7f]/.test(raw)) return { error: 'net/url: invalid control character in URL' };
  const badEscape = /%(?![0-9a-fA-F]{2})..?/.exec(raw.split('#')[0]!);
  if (badEscape) return { error: `invalid URL escape "${badEscape[0].slice(0, 3)}"` };
  const m = /^([A-Za-z][A-Za-z0-9+.-]*)?:/.exec(raw);
  if (raw.startsWith(':')) return { error: 'missing protocol scheme' };
  const scheme = m?.[1]?.toLowerCase() ?? '';
  const rest = m ? raw.slice(m[0].length) : raw;
  if (!rest.startsWith('//') || !m) return { scheme };
  const authority = rest.slice(2).split(/[/?#]/)[0]!;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close === -1) return { error: "missing ']' in host" };
    const port = host.slice(close + 1);
    if (port !== '' && !/^:\d*$/.test(port)) return { error: `invalid port "${port}" after host` };
    return { scheme };
  }
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && !/^\d*$/.test(host.slice(colon + 1))) return { error: `invalid port "${host.slice(colon)}" after host` };
  const bad = /[^A-Za-z0-9\-._~!$&'()*+,;=:%\u0080-\uffff]/.exec(host);
  if (bad) return { error: `invalid character ${JSON.stringify(bad[0])} in host name` };
  return { scheme };
}

export default defineRule({
  meta: {
    id: 'grafana/jwk-set-url-scheme',
    description: 'jwk_set_url is not an https URL, which Grafana refuses',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      notHttps: '{{name}} uses {{scheme}}, and Grafana fetches a JWKS only over https (`jwt_set_url must have https scheme`): {{effect}}',
      unparsable: '{{name}} is not a URL Go can parse ({{error}}): {{effect}}',
      template: 'could not check {{name}}: the Helm chart renders it with `tpl`, and doctor cannot evaluate {{action}} (only `.Values` references)',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    // Grafana builds the key set only when JWT auth is on.
    if (!jwtEnabled(grafana)) return;
    const setting = grafana.get('auth.jwt', 'jwk_set_url');
    if (!setting || setting.value === '' || !setting.known) return;
    const place = { span: setting.span, file: setting.span?.file ?? null };
    const name = settingName(setting);
    const effect = jwtConfigFailure(grafana.version);
    const action = /\{\{[^{}]*\}\}/.exec(setting.value)?.[0];
    if (action && hasTemplate(setting.value)) {
      report({ messageId: 'template', severity: 'info', data: { name, action }, ...place, hint: 'pass the values files the chart gets, or write the URL itself' });
      return;
    }
    const parsed = goUrlScheme(setting.value);
    if ('error' in parsed) {
      report({ messageId: 'unparsable', data: { name, error: parsed.error, effect }, ...place, hint: "write the full URL of Pomerium's key set, e.g. https://grafana.example.com/.well-known/pomerium/jwks.json" });
      return;
    }
    if (parsed.scheme === 'https') return;
    const development = grafana.effective('DEFAULT', 'app_mode') === 'development';
    if (development && atLeast(grafana.version, DEV_HTTP_ALLOWED_FROM)) return;
    report({
      messageId: 'notHttps',
      data: { name, scheme: parsed.scheme === '' ? 'no scheme' : parsed.scheme, effect },
      ...place,
      hint: "use Pomerium's https URL (https://<grafana route host>/.well-known/pomerium/jwks.json), or copy the set into a file with `grafana-pomerium fetch-jwks` and use jwk_set_file",
    });
  },
});

import type { Located } from '../../core/span.js';
import { sharedSecretProblem } from '../../jwks/derive.js';
import type { PomeriumRoute, WeightedUrl } from '../../pomerium/model-types.js';
import { defineRule, type RuleContext, type RuleReport } from '../types.js';

/** The parts of a URL as Go's net/url splits them, enough for Pomerium's checks (`urlutil.ValidateURL`, `Policy.Validate`). */
interface GoUrl {
  scheme: string;
  host: string;
  hostname: string;
  path: string;
}

/** Go's url.Parse, reduced to scheme, host and path; a string when Go would fail to parse it. */
export function parseGoUrl(text: string): GoUrl | string {
  const withScheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text);
  const scheme = withScheme ? withScheme[1]!.toLowerCase() : '';
  const rest = text.slice(withScheme ? withScheme[0].length : 0).replace(/[?#][\s\S]*$/, '');
  if (!scheme && /^[^/]*:/.test(rest)) return 'first path segment in URL cannot contain colon, have you specified protocol (ex: https)';
  // `scheme:opaque` (as in `grafana:3000`) has neither host nor path.
  if (scheme && !rest.startsWith('/')) return { scheme, host: '', hostname: '', path: '' };
  if (!rest.startsWith('//')) return { scheme, host: '', hostname: '', path: rest };
  const slash = rest.indexOf('/', 2);
  const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const hostname = host.startsWith('[') ? host.slice(1, Math.max(1, host.indexOf(']'))) : host.replace(/:[^:]*$/, '');
  return { scheme, host, hostname, path: slash < 0 ? '' : rest.slice(slash) };
}

/** `urlutil.ParseAndValidateURL`: Pomerium's message for a URL it refuses, or null. */
export function urlProblem(text: string): string | null {
  if (text === '') return 'url cannot be empty';
  const url = parseGoUrl(text);
  if (typeof url === 'string') return url;
  if (url.scheme === '') return `${text} url does not contain a valid scheme`;
  if (url.host === '') return `${text} url does not contain a valid hostname`;
  return null;
}

/** `ParseWeightedURL`: the URL checks plus a hostname (a host that is only `:port` has none). */
function toProblem(to: WeightedUrl): string | null {
  const problem = urlProblem(to.url);
  if (problem) return problem;
  const url = parseGoUrl(to.url) as GoUrl;
  return url.hostname === '' ? 'endpoint hostname must be specified' : null;
}

type Report = (r: RuleReport & { messageId: MessageId }) => void;
type MessageId = 'sharedSecret' | 'value' | 'badFrom' | 'fromPath' | 'fromHttp' | 'noDestination' | 'badTo' | 'publicWithAllowList' | 'anyUserWithAllowList';

const hasKey = (route: PomeriumRoute, key: string) => route.keys.some((k) => k.name.toLowerCase() === key);
const isTrue = (v: Located<boolean> | null) => v?.value === true;

/** `Policy.Validate`, in its order: Pomerium stops at the first problem of a route, so this does too. */
function checkRoute(route: PomeriumRoute, file: string | null, report: Report): void {
  const at = (span: Located<unknown>['span'] | undefined) => ({ span: span ?? route.span, file });
  const from = route.from?.value ?? '';
  const fromProblem = urlProblem(from);
  if (fromProblem) return report({ messageId: 'badFrom', data: { problem: fromProblem }, ...at(route.from?.span), hint: 'write from as https://host[:port], e.g. from: https://grafana.example.com' });
  const source = parseGoUrl(from) as GoUrl;
  if ((source.scheme === 'http' || source.scheme === 'https') && source.path !== '' && source.path !== '/') {
    return report({
      messageId: 'fromPath',
      data: { from },
      ...at(route.from?.span),
      hint: `keep only the scheme and host in from, and match the path with prefix: ${source.path} (or path: / regex:)`,
    });
  }
  if (source.scheme === 'http') report({ messageId: 'fromHttp', severity: 'warning', data: { from }, ...at(route.from?.span), hint: 'use https:// in from; Pomerium redirects plain HTTP to HTTPS' });

  const to = route.to?.value ?? [];
  if (to.length === 0 && !hasKey(route, 'redirect') && !hasKey(route, 'response')) {
    return report({ messageId: 'noDestination', ...at(route.from?.span), hint: 'add to: with Grafana\'s address, e.g. to: http://grafana:3000' });
  }
  for (const url of to) {
    const problem = toProblem(url);
    if (problem) return report({ messageId: 'badTo', data: { problem }, ...at(route.to?.span), hint: 'write each to as scheme://host[:port], e.g. http://grafana:3000' });
  }

  const allowLists = route.allowedDomains !== null || route.allowedUsers !== null;
  if (isTrue(route.allowPublicUnauthenticatedAccess) && (isTrue(route.allowAnyAuthenticatedUser) || allowLists)) {
    return report({ messageId: 'publicWithAllowList', ...at(route.allowPublicUnauthenticatedAccess?.span), hint: 'remove allow_public_unauthenticated_access (Grafana needs a signed-in user)' });
  }
  if (isTrue(route.allowAnyAuthenticatedUser) && allowLists) {
    report({ messageId: 'anyUserWithAllowList', ...at(route.allowAnyAuthenticatedUser?.span), hint: 'keep either allow_any_authenticated_user or the allowed_users/allowed_domains lists' });
  }
}

/**
 * `Options.Validate` runs `GetSharedKey` on every start: `shared_secret_file`, read verbatim, wins over
 * `shared_secret`; whitespace at an end or bad base64 fails it, signing key or not. A file not readable here is
 * left to pomerium/signing-key's "could not check".
 */
function checkSharedSecret(ctx: RuleContext, report: Report): void {
  const model = ctx.pomerium!;
  const keySpan = (name: string, fallback: Located<unknown>['span']) => model.topLevelKeys.find((k) => k.name.toLowerCase() === name)?.span ?? fallback;
  let text: string | undefined;
  let source: 'shared_secret' | 'shared_secret_file';
  let span: Located<unknown>['span'];
  if (model.sharedSecretFile) {
    const found = ctx.readFile(model.sharedSecretFile.value);
    if (found.status !== 'ok') return;
    [text, source, span] = [found.text, 'shared_secret_file', keySpan('shared_secret_file', model.sharedSecretFile.span)];
  } else if (model.sharedSecret) {
    [text, source, span] = [model.sharedSecret.value, 'shared_secret', model.sharedSecret.span];
  } else return;
  if (text === '') return; // empty: a random secret in all-in-one mode; pomerium/signing-key speaks of it
  const problem = sharedSecretProblem(text);
  if (!problem) return;
  const hint =
    source === 'shared_secret_file'
      ? 'write the file without a trailing newline, e.g. `head -c32 /dev/urandom | base64 | tr -d "\\n" > FILE`'
      : 'set it to 32 random bytes in standard base64: `head -c32 /dev/urandom | base64`';
  report({ messageId: 'sharedSecret', data: { source, problem }, span, file: model.file, hint });
}

export default defineRule({
  meta: {
    id: 'pomerium/invalid-value',
    description: 'Values and routes Pomerium refuses when it loads its config',
    severity: 'error',
    requires: ['pomerium'],
    messages: {
      sharedSecret: 'Pomerium refuses to start ("config: invalid shared secret"): {{source}} {{problem}}',
      value: 'Pomerium refuses this value and does not start: {{problem}}',
      badFrom: 'the route\'s from is not a URL Pomerium accepts; it refuses to start: "config: policy bad source url {{problem}}"',
      fromPath:
        'from has a path; Pomerium refuses to start: "config: policy source url ({{from}}) contains a path, but it should be set using the path field instead"',
      fromHttp: 'from uses http://; Pomerium only logs "policy source url ({{from}}) uses HTTP but only HTTPS is supported" and serves the route over HTTPS',
      noDestination: 'the route has no to (nor redirect or response); Pomerium refuses to start: "policy should have either `to` or `redirect` or `response` defined"',
      badTo: 'a to URL is not one Pomerium accepts; it refuses to start: "{{problem}}"',
      publicWithAllowList:
        'the route is public and also lists who may enter; Pomerium refuses to start: "config: policy route marked as public but contains whitelists"',
      anyUserWithAllowList:
        'the route allows any authenticated user and also lists who may enter; Pomerium refuses to start: "config: policy route marked accessible for any authenticated user but contains whitelists"',
    },
  },
  check(ctx, report) {
    const model = ctx.pomerium!;
    for (const problem of model.valueProblems) {
      report({ messageId: 'value', data: { problem: problem.message }, span: problem.span, file: model.file, hint: 'write the value in the type Pomerium expects (true/false for switches, a URL for URLs)' });
    }
    for (const route of model.routes) checkRoute(route, model.file, report);
    checkSharedSecret(ctx, report);
  },
});

import { parseUrl } from '../../core/url.js';
import { atLeast } from '../../grafana/version.js';
import { isHostedAuthenticate, jwksUrlFor } from '../../pomerium/jwt.js';
import { hostMatches, routeHost } from '../../pomerium/routes.js';
import { hasTemplate } from '../../grafana/helm-values.js';
import { defineRule } from '../types.js';
import { iniValueFix, setValue, topLevelText } from './helpers.js';

const JWKS_PATH = '/.well-known/pomerium/jwks.json';

/** Hosts and paths of identity providers' own key sets (Google, Okta, Auth0, Azure AD, Keycloak, GitHub, GitLab). */
const IDP_HOSTS = /(^|\.)(googleapis\.com|accounts\.google\.com|login\.microsoftonline\.com|okta\.com|oktapreview\.com|auth0\.com|github\.com|githubusercontent\.com|gitlab\.com)$/;
const IDP_PATHS = /^\/(oauth2\/v\d\/certs|oauth2\/([^/]+\/)?v1\/keys|\.well-known\/jwks\.json|([^/]+\/)?discovery\/(v2\.0\/)?keys|realms\/[^/]+\/protocol\/openid-connect\/certs|oauth\/discovery\/keys|login\/oauth\/keys)$/;

export default defineRule({
  meta: {
    id: 'cross/jwk-set-url',
    description: "jwk_set_url is Pomerium's JWKS on a host that serves this deployment's key",
    severity: 'error',
    requires: ['grafana', 'pomerium'],
    messages: {
      hostedAuthenticate: 'jwk_set_url points at the hosted {{host}}, which publishes Pomerium\'s own keys, not the key your Pomerium signs with: every token fails with "no keys found"',
      identityProvider: 'jwk_set_url points at the identity provider\'s key set ({{host}}), but the X-Pomerium-Jwt-Assertion token is signed by Pomerium: every token fails with "no keys found"',
      wrongPath: 'jwk_set_url path {{path}} is not Pomerium\'s JWKS ({{expected}}): Grafana gets no key set and every token fails ("failed to verify JWT")',
      authenticateOnly: 'before v0.20 Pomerium published the JWKS only on the authenticate host {{authenticate}}; {{version}} does not serve it on {{host}}',
      unknownHost:
        '{{host}} is neither a route `from` host nor the authenticate_service_url of this Pomerium config: Grafana gets a key set only if that name reaches this Pomerium and Pomerium presents a certificate valid for it, which doctor cannot check (an internal name such as https://pomerium/ rarely has one: "x509: certificate is valid for …")',
    },
  },
  check(ctx, report) {
    const model = ctx.pomerium;
    const setting = setValue(ctx, 'auth.jwt', 'jwk_set_url');
    const url = setting && parseUrl(setting.value);
    // A Helm `tpl` action doctor could not render: grafana/jwk-set-url-scheme says it could not check.
    if (!model || !setting || !url || hasTemplate(setting.value)) return;
    const host = url.hostname.toLowerCase();
    const better = ctx.route ? jwksUrlFor(model, ctx.route, ctx.pomeriumVersion).url : undefined;
    const fix = better && !better.includes('ROUTE-HOST') ? iniValueFix(ctx, setting, better, `set jwk_set_url to ${better}`) : undefined;
    const withFix = { span: setting.span, hint: better ? `use ${better}` : `use https://<Grafana's route host>${JWKS_PATH}`, ...(fix ? { fix } : {}) };

    if (isHostedAuthenticate(url.href)) return report({ messageId: 'hostedAuthenticate', data: { host }, ...withFix });
    const configured = model.authenticateServiceUrl?.value;
    const authenticate = configured && !isHostedAuthenticate(configured) ? parseUrl(configured)?.hostname.toLowerCase() : undefined;
    const routeHosts = model.routes.map(routeHost).filter((h): h is string => h !== null);
    // A host of this Pomerium with an IdP-looking path (`/.well-known/jwks.json`) is a wrong path, not the IdP's set.
    const pomeriumHost = host === authenticate || routeHosts.some((h) => hostMatches(h, host));
    const idpHost = parseUrl(topLevelText(ctx, 'idp_provider_url') ?? '')?.hostname.toLowerCase();
    if (IDP_HOSTS.test(host) || host === idpHost || (!pomeriumHost && url.pathname !== JWKS_PATH && IDP_PATHS.test(url.pathname))) {
      return report({ messageId: 'identityProvider', data: { host }, ...withFix });
    }
    if (url.pathname !== JWKS_PATH) {
      const pathFix = iniValueFix(ctx, setting, `${url.origin}${JWKS_PATH}`, `set the jwk_set_url path to ${JWKS_PATH}`);
      return report({ messageId: 'wrongPath', data: { path: url.pathname, expected: JWKS_PATH }, span: setting.span, hint: `use ${url.origin}${JWKS_PATH}`, ...(pathFix ? { fix: pathFix } : {}) });
    }
    if (!atLeast(ctx.pomeriumVersion, '0.20.0')) {
      if (authenticate && host !== authenticate) {
        report({ messageId: 'authenticateOnly', data: { authenticate, version: ctx.pomeriumVersion, host }, ...withFix });
      }
      return;
    }
    if (routeHosts.length > 0 && !pomeriumHost) {
      report({ messageId: 'unknownHost', severity: 'warning', data: { host }, span: setting.span, hint: withFix.hint });
    }
  },
});

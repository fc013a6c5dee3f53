// Which line makes a step of Grafana's sign-in turn out as it does: the grafana.ini key (or GF_*
// variable) or the Pomerium option. A failure names it; reporters put the finding there.
import type { Span } from '../core/span.js';
import type { Step } from '../explain/steps.js';
import type { GrafanaModel } from '../grafana/model-types.js';
import type { PomeriumModel, PomeriumRoute } from '../pomerium/model-types.js';
import { effectivePassIdentityHeaders } from '../pomerium/routes.js';
import { parseClaimPath, topLevelFields } from '../rules/cross/claim-paths.js';

export interface Responsible {
  /** `[auth.jwt] username_claim`, `GF_AUTH_JWT_ENABLED`, `pass_identity_headers`, … */
  setting: string;
  span: Span | null;
  file: string | null;
}

export interface ResponsibleContext {
  grafana: GrafanaModel;
  pomerium: PomeriumModel;
  route: PomeriumRoute;
  /** Claims whose value only the IdP decides (and which the simulated user was not given). */
  idpClaims: Set<string>;
}

/** A grafana.ini setting's place: its value (file or env), else the last line writing it, else its section header. */
export function grafanaPlace(grafana: GrafanaModel, section: string, key: string): Responsible {
  const setting = grafana.get(section, key);
  const name = setting?.envName ?? `[${section}] ${key}`;
  if (setting?.span && setting.source !== 'default') return { setting: name, span: setting.span, file: setting.span.file };
  const written = grafana.doc?.entries.findLast((e) => e.section === section && e.key === key);
  if (written) return { setting: name, span: written.keySpan, file: written.keySpan.file };
  const header = grafana.doc?.headers.findLast((h) => h.name === section);
  return { setting: name, span: header?.span ?? null, file: grafana.doc?.file ?? null };
}

function isSet(grafana: GrafanaModel, section: string, key: string): boolean {
  const s = grafana.get(section, key);
  return s !== undefined && s.source !== 'default' && s.value.trim() !== '';
}

/** The claims a `*_claim` or JMESPath setting reads at the top level of the token. */
function claimsRead(grafana: GrafanaModel, key: string): string[] {
  const value = grafana.str('auth.jwt', key).trim();
  if (value === '') return [];
  if (key.endsWith('_claim')) return [value];
  const parsed = parseClaimPath(value);
  return 'ast' in parsed ? topLevelFields(parsed.ast) : [];
}

function pomeriumPlace(ctx: ResponsibleContext, setting: string, span: Span | null): Responsible {
  const at = span ?? ctx.route.from?.span ?? ctx.route.span;
  return { setting, span: at, file: at?.file ?? ctx.pomerium.file };
}

export function responsibleFor(step: Step, ctx: ResponsibleContext): { responsible: Responsible | null; idpClaims: string[] } {
  const { grafana } = ctx;
  const first = (keys: string[]) => keys.find((k) => isSet(grafana, 'auth.jwt', k));
  const idpClaims = (keys: string[]) => [...new Set(keys.flatMap((k) => claimsRead(grafana, k)).filter((c) => ctx.idpClaims.has(c)))];
  switch (step.step) {
    case 'header': {
      if (step.detail.startsWith('Pomerium strips')) {
        return { responsible: pomeriumPlace(ctx, 'pass_identity_headers', effectivePassIdentityHeaders(ctx.pomerium, ctx.route).span), idpClaims: [] };
      }
      const key = step.detail.includes('enabled') ? 'enabled' : 'header_name';
      return { responsible: grafanaPlace(grafana, 'auth.jwt', key), idpClaims: [] };
    }
    case 'key':
    case 'signature':
      return { responsible: grafanaPlace(grafana, 'auth.jwt', first(['jwk_set_url', 'jwk_set_file', 'key_file']) ?? 'jwk_set_url'), idpClaims: [] };
    case 'expect_claims':
      return { responsible: grafanaPlace(grafana, 'auth.jwt', 'expect_claims'), idpClaims: [] };
    case 'login/email': {
      const keys = ['username_claim', 'email_claim', 'username_attribute_path', 'email_attribute_path'];
      const key = first(keys);
      return { responsible: key ? grafanaPlace(grafana, 'auth.jwt', key) : grafanaPlace(grafana, 'auth.jwt', 'email_claim'), idpClaims: idpClaims(keys) };
    }
    case 'role': {
      const keys = ['role_attribute_path', 'org_attribute_path', 'org_mapping'];
      const key = first(['role_attribute_path', 'org_mapping', 'role_attribute_strict']);
      return { responsible: grafanaPlace(grafana, 'auth.jwt', key ?? 'role_attribute_strict'), idpClaims: idpClaims(keys) };
    }
    case 'name':
      return { responsible: null, idpClaims: ctx.idpClaims.has('name') ? ['name'] : [] };
    case 'sign-up':
      return { responsible: grafanaPlace(grafana, 'auth.jwt', 'auto_sign_up'), idpClaims: [] };
    default:
      return { responsible: pomeriumPlace(ctx, 'from', null), idpClaims: [] };
  }
}

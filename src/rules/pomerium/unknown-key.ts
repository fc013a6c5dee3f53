import { didYouMean } from '../../core/did-you-mean.js';
import { atLeast } from '../../grafana/version.js';
import {
  ENVOY_CLUSTER_ROUTE_KEYS,
  REFUSED_TOP_LEVEL_KEYS,
  REMOVED_ROUTE_KEYS,
  REMOVED_TOP_LEVEL_KEYS,
  ROUTE_KEYS,
  TOP_LEVEL_KEYS,
} from '../../pomerium/known-keys.js';
import type { KeyRef, PomeriumRoute } from '../../pomerium/model-types.js';
import { effectivePassIdentityHeaders } from '../../pomerium/routes.js';
import { defineRule, type RuleContext, type RuleReport } from '../types.js';

const PASS = 'pass_identity_headers';

/**
 * The removed-option check (`checkConfigKeysErrors`) came with v0.20.0 (74a7daed4), when directory sync and
 * `allowed_groups` left core: before it, those keys were real options, so they are judged only from then on.
 */
const REMOVED_CHECK_SINCE = '0.20.0';

type MessageId = 'unknown' | 'routeOptionAtTop' | 'removed' | 'refused' | 'signingKeyAlgorithm' | 'groupsFilter';
type Report = (r: RuleReport & { messageId: MessageId }) => void;
/** `; did you mean \`x\`?` for a lowercased key, or nothing when no known key is close. */
type Suggest = (lower: string) => string;

/** A Suggest against `known`, computed once per distinct name: thousands of routes repeat the same few unknown keys. */
function suggester(known: ReadonlySet<string>): Suggest {
  const said = new Map<string, string>();
  return (lower) => {
    let text = said.get(lower);
    if (text === undefined) {
      const near = didYouMean(lower, known);
      said.set(lower, (text = near ? `; did you mean \`${near}\`?` : ''));
    }
    return text;
  };
}

/** Keys every Pomerium config may hold by mistake, with what Pomerium does with them. */
function reportSpecial(key: KeyRef, lower: string, file: string | null, report: Report): boolean {
  const at = { span: key.span, file, data: { key: key.name } };
  if (lower === 'signing_key_algorithm') {
    report({ messageId: 'signingKeyAlgorithm', ...at, hint: 'delete it; the algorithm follows the key type (EC P-256 → ES256, RSA → RS256)' });
    return true;
  }
  if (lower === 'jwt_groups_filter') {
    report({ messageId: 'groupsFilter', ...at, hint: 'delete it, or set the groups filter in the Enterprise Console or Zero' });
    return true;
  }
  return false;
}

function checkTopLevel(key: KeyRef, file: string | null, removedChecked: boolean, suggest: Suggest, report: Report): void {
  const lower = key.name.toLowerCase();
  if (TOP_LEVEL_KEYS.has(lower) || reportSpecial(key, lower, file, report)) return;
  const at = { span: key.span, file };
  const refused = REFUSED_TOP_LEVEL_KEYS.get(lower);
  if (refused) return report({ messageId: 'refused', severity: 'error', ...at, data: { key: key.name, error: refused }, hint: 'move the routes into the routes: list of this file and delete it' });
  const docs = REMOVED_TOP_LEVEL_KEYS.get(lower);
  if (docs && !removedChecked) return;
  if (docs) return report({ messageId: 'removed', severity: 'error', ...at, data: { key: key.name }, hint: `delete it; see ${docs}` });
  if (ROUTE_KEYS.has(lower)) return report({ messageId: 'routeOptionAtTop', ...at, data: { key: key.name }, hint: 'move it into the route it is meant for' });
  report({ messageId: 'unknown', ...at, data: { key: key.name, didYouMean: suggest(lower) } });
}

/**
 * The misspelled `pass_identity_headers` that cross/pass-identity-headers reports (with what it means for
 * the JWT): on Grafana's route, or else at the top level, when neither sets the real key.
 */
function reportedByCross(ctx: RuleContext): KeyRef | undefined {
  const model = ctx.pomerium!;
  if (!ctx.route || effectivePassIdentityHeaders(model, ctx.route).from !== 'default') return undefined;
  const misspelt = (keys: readonly KeyRef[]) => keys.find((k) => k.name.toLowerCase() !== PASS && didYouMean(k.name, [PASS]) === PASS);
  return misspelt(ctx.route.keys) ?? misspelt(model.topLevelKeys);
}

function checkRouteKey(route: PomeriumRoute, key: KeyRef, file: string | null, removedChecked: boolean, suggest: Suggest, report: Report): void {
  const lower = key.name.toLowerCase();
  // Pomerium ignores Envoy Cluster fields under `routes` (not under the legacy `policy` list).
  if (ROUTE_KEYS.has(lower) || (route.list === 'routes' && ENVOY_CLUSTER_ROUTE_KEYS.has(lower))) return;
  if (reportSpecial(key, lower, file, report)) return;
  const at = { span: key.span, file };
  // Removed keys are fatal by their path `routes.<key>`; in `policy` they are merely unknown.
  const docs = route.list === 'routes' ? REMOVED_ROUTE_KEYS.get(lower) : undefined;
  if (docs && !removedChecked) return;
  if (docs) return report({ messageId: 'removed', severity: 'error', ...at, data: { key: key.name }, hint: `delete it; see ${docs}` });
  report({ messageId: 'unknown', ...at, data: { key: key.name, didYouMean: suggest(lower) } });
}

export default defineRule({
  meta: {
    id: 'pomerium/unknown-key',
    description: 'Options Pomerium does not know, or no longer accepts',
    severity: 'warning',
    requires: ['pomerium'],
    messages: {
      unknown: 'unknown option `{{key}}`{{didYouMean}}: Pomerium only logs "unknown config option" and ignores it',
      routeOptionAtTop: '`{{key}}` is a route option: at the top level Pomerium logs "unknown config option" and ignores it',
      removed: '`{{key}}` was removed from Pomerium: it logs "config option was removed" and refuses to start ("some configuration options are no longer supported, please check logs for details")',
      refused: '`{{key}}` is no longer supported: Pomerium refuses to start ("{{error}}")',
      signingKeyAlgorithm: '`{{key}}` was removed in Pomerium v0.15.6: it is ignored ("unknown config option") and the algorithm follows the signing key type',
      groupsFilter: '`{{key}}` is not read from a config file (only from the Enterprise Console, its API, or Zero): Pomerium ignores it here and the JWT groups are not filtered',
    },
  },
  check(ctx, report) {
    const model = ctx.pomerium!;
    const skip = reportedByCross(ctx);
    const removedChecked = atLeast(ctx.pomeriumVersion, REMOVED_CHECK_SINCE);
    const suggestTopLevel = suggester(TOP_LEVEL_KEYS);
    const suggestRouteKey = suggester(ROUTE_KEYS);
    for (const key of model.topLevelKeys) if (key !== skip) checkTopLevel(key, model.file, removedChecked, suggestTopLevel, report);
    for (const route of model.routes) {
      for (const key of route.keys) if (key !== skip) checkRouteKey(route, key, model.file, removedChecked, suggestRouteKey, report);
    }
  },
});

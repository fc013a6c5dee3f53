import { didYouMean } from '../../core/did-you-mean.js';
import {
  fatalOnlyLater,
  optionTableFor,
  refusedByValidate,
  removedAndIgnored,
  removedFatal,
  renamedKey,
  type OptionTable,
} from '../../pomerium/known-keys.js';
import type { KeyRef, PomeriumRoute } from '../../pomerium/model-types.js';
import { effectivePassIdentityHeaders } from '../../pomerium/routes.js';
import { defineRule, type RuleContext, type RuleReport } from '../types.js';

const PASS = 'pass_identity_headers';

type MessageId = 'unknown' | 'unknownBeforeTables' | 'routeOptionAtTop' | 'removed' | 'removedIgnored' | 'renamed' | 'refused' | 'signingKeyAlgorithm' | 'groupsFilter';
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

/** What one check needs: the version asked for, its table, and the reporter. */
interface Judge {
  version: string;
  table: OptionTable;
  file: string | null;
  report: Report;
  suggestTopLevel: Suggest;
  suggestRouteKey: Suggest;
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

/** A removed-and-fatal key (`removedConfigFields` at `path`): Pomerium logs it and refuses to start. */
function reportFatal(key: KeyRef, path: string, j: Judge): boolean {
  // Before it was made fatal it was a real option (the oldest covered table may not list it).
  if (fatalOnlyLater(path, j.version)) return true;
  const fatal = removedFatal(path, j.version);
  if (!fatal) return false;
  j.report({ messageId: 'removed', severity: 'error', span: key.span, file: j.file, data: { key: key.name, since: fatal.since }, hint: `delete it; see ${fatal.docs}` });
  return true;
}

/** A key Pomerium dropped or renamed without making it fatal: logged as "unknown config option" and ignored. */
function reportGone(key: KeyRef, lower: string, scope: 'top' | 'route', j: Judge): boolean {
  const at = { span: key.span, file: j.file };
  const renamed = renamedKey(lower, scope, j.version);
  if (renamed) {
    j.report({ messageId: 'renamed', ...at, data: { key: key.name, to: renamed.to, since: renamed.since }, hint: `rename it \`${renamed.to}\` (check the values it takes)` });
    return true;
  }
  const gone = removedAndIgnored(lower, scope, j.version);
  if (!gone) return false;
  j.report({ messageId: 'removedIgnored', ...at, data: { key: key.name, since: gone.goneIn }, hint: 'delete it' });
  return true;
}

function checkTopLevel(key: KeyRef, j: Judge): void {
  const lower = key.name.toLowerCase();
  const at = { span: key.span, file: j.file };
  const refused = refusedByValidate(lower, j.version);
  if (refused) return j.report({ messageId: 'refused', severity: 'error', ...at, data: { key: key.name, error: refused }, hint: 'move the routes into the routes: list of this file and delete it' });
  if (j.table.topLevel.has(lower) || j.table.notReportedPaths.has(lower)) return;
  if (reportSpecial(key, lower, j.file, j.report) || reportFatal(key, lower, j) || reportGone(key, lower, 'top', j)) return;
  if (j.table.route.has(lower)) return j.report({ messageId: 'routeOptionAtTop', ...at, data: { key: key.name }, hint: 'move it into the route it is meant for' });
  reportUnknown(key, j.suggestTopLevel(lower), j);
}

/** An unknown key; older than every table, only "could not check": that release may have read it. */
function reportUnknown(key: KeyRef, didYouMean: string, j: Judge): void {
  const at = { span: key.span, file: j.file };
  if (j.table.approximate) {
    return j.report({ messageId: 'unknownBeforeTables', severity: 'info', ...at, data: { key: key.name, didYouMean, version: j.version, oldest: j.table.release } });
  }
  j.report({ messageId: 'unknown', ...at, data: { key: key.name, didYouMean } });
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

function checkRouteKey(route: PomeriumRoute, key: KeyRef, j: Judge): void {
  const lower = key.name.toLowerCase();
  // Up to v0.31 both route lists are also read as Envoy Clusters, so those fields apply (parsePolicy, config/custom.go).
  if (j.table.route.has(lower) || j.table.envoyRouteFields.has(lower)) return;
  // Paths are matched with `[n]` dropped: `routes.x` entries cover the routes list, not the legacy policy list.
  if (route.list === 'routes' && j.table.notReportedPaths.has(`routes.${lower}`)) return;
  if (reportSpecial(key, lower, j.file, j.report)) return;
  // A route key made fatal later was a real option of both lists before then.
  if (fatalOnlyLater(`routes.${lower}`, j.version)) return;
  if (route.list === 'routes' && reportFatal(key, `routes.${lower}`, j)) return;
  if (reportGone(key, lower, 'route', j)) return;
  reportUnknown(key, j.suggestRouteKey(lower), j);
}

export default defineRule({
  meta: {
    id: 'pomerium/unknown-key',
    description: 'Options Pomerium does not know, or no longer accepts',
    severity: 'warning',
    requires: ['pomerium'],
    messages: {
      unknown: 'unknown option `{{key}}`{{didYouMean}}: Pomerium only logs "unknown config option" and ignores it',
      unknownBeforeTables:
        'could not check `{{key}}`{{didYouMean}}: it is not an option of {{oldest}}, the oldest release the option tables cover, and Pomerium {{version}} may still have read it',
      routeOptionAtTop: '`{{key}}` is a route option: at the top level Pomerium logs "unknown config option" and ignores it',
      removed: 'Pomerium refuses to start: `{{key}}` was removed in {{since}} (it logs "config option was removed", then "some configuration options are no longer supported, please check logs for details")',
      removedIgnored: '`{{key}}` was removed in {{since}}: Pomerium only logs "unknown config option" and ignores it',
      renamed: '`{{key}}` was renamed `{{to}}` in {{since}}: Pomerium only logs "unknown config option" for the old name and ignores it',
      refused: 'Pomerium refuses to start: `{{key}}` is no longer supported ("{{error}}")',
      signingKeyAlgorithm: '`{{key}}` was removed in Pomerium v0.15.6: it is ignored ("unknown config option") and the algorithm follows the signing key type',
      groupsFilter: '`{{key}}` is not read from a config file (only from the Enterprise Console, its API, or Zero): Pomerium ignores it here and the JWT groups are not filtered',
    },
  },
  check(ctx, report) {
    const model = ctx.pomerium!;
    const skip = reportedByCross(ctx);
    const table = optionTableFor(ctx.pomeriumVersion);
    const j: Judge = {
      version: ctx.pomeriumVersion,
      table,
      file: model.file,
      report,
      suggestTopLevel: suggester(table.topLevel),
      suggestRouteKey: suggester(table.route),
    };
    for (const key of model.topLevelKeys) if (key !== skip) checkTopLevel(key, j);
    for (const route of model.routes) {
      for (const key of route.keys) if (key !== skip) checkRouteKey(route, key, j);
    }
  },
});

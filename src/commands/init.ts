// `grafana-pomerium init`: the Grafana settings for the Pomerium config's Grafana route, printed as
// grafana.ini, GF_* lines or Helm values, or edited into a grafana.ini (--write); plus the route fix
// on the Pomerium side (printed, or applied with --write-pomerium). Everything is checked before
// anything is written: a refusal leaves every file as it was.
import { resolve } from 'node:path';
import { writeFilesAtomic } from '../core/atomic-write.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { sanitizeText } from '../core/sanitize.js';
import { unifiedDiff } from '../core/unified-diff.js';
import { editIni } from '../grafana/ini-edit.js';
import { parseIni } from '../grafana/ini-parse.js';
import { lookupKey } from '../grafana/ini-values.js';
import { readHelmValues } from '../grafana/helm-values.js';
import { grafanaEnvName } from '../grafana/env-overrides.js';
import { readCompose } from '../compose/project.js';
import { parseVersion } from '../grafana/version.js';
import { lacksIdentityHeaders, lacksPreservedHost, withIdentityHeaders, withNewRoute, withPreservedHost, type NewRoute } from '../init/pomerium-fix.js';
import { renderEnv } from '../init/render-env.js';
import { renderHelm } from '../init/render-helm.js';
import { renderCompose } from '../init/render-compose.js';
import { renderIngress } from '../init/render-ingress.js';
import { renderIni } from '../init/render-ini.js';
import { grafanaRoute, grafanaSettings, keepingChoices, keysToRemove, routeWhere, type GrafanaRoute, type GrafanaSetting } from '../init/settings.js';
import { editCompose, editHelmValues, editIngress } from '../init/edit-yaml.js';
import { headerLines } from '../init/templates.js';
import type { PomeriumRoute } from '../pomerium/model-types.js';
import { findGrafanaRoute, normaliseFrom } from '../pomerium/routes.js';
import { readInput } from './inputs.js';
import { loadPomerium, modelsOf, pomeriumOf, versionToUse } from './load.js';

interface Flags {
  pomerium?: string;
  compose?: string;
  envFile?: string;
  useEnv?: boolean;
  route?: string;
  host?: string;
  format?: string;
  write?: string;
  writePomerium?: boolean;
  jwksFile?: string;
  autoSignUp?: boolean;
  role?: string;
  usernameClaim?: string;
  yesIMeanAdmin?: boolean;
  cacheTtl?: string;
  grafanaVersion?: string;
  pomeriumVersion?: string;
  addRoute?: boolean;
  from?: string;
  to?: string;
  allowDomain?: string;
  allowEmail?: string;
}

const FORMATS = ['ini', 'env', 'helm', 'ingress', 'compose'] as const;

function checkFlags(flags: Flags): void {
  if (!FORMATS.includes(flags.format as (typeof FORMATS)[number])) throw new UserError(`--format ${flags.format} is not one of ${FORMATS.join(', ')}`);
  if (flags.write !== undefined && flags.format === 'env') throw new UserError('--write edits a grafana.ini, Helm values, an Ingress or a compose file (as --format says): it cannot be used with --format env');
  if (!flags.pomerium && !flags.compose && !flags.envFile && !flags.useEnv) throw new UserError(NEEDS_POMERIUM);
  if (flags.writePomerium && !flags.pomerium) throw new UserError('--write-pomerium edits the file given with --pomerium');
  const routeFlags = [flags.from, flags.to, flags.allowDomain, flags.allowEmail].some((f) => f !== undefined);
  if (flags.addRoute && (!flags.from || !flags.to)) throw new UserError('--add-route needs --from URL and --to URL');
  if (flags.addRoute && !flags.pomerium) throw new UserError('--add-route adds the route to the file given with --pomerium');
  if (!flags.addRoute && routeFlags) throw new UserError('--from, --to, --allow-domain and --allow-email describe a new route: add --add-route');
  for (const [flag, version] of [['--grafana-version', flags.grafanaVersion], ['--pomerium-version', flags.pomeriumVersion]] as const) {
    if (version !== undefined && !parseVersion(version)) throw new UserError(`${flag} ${JSON.stringify(version)} is not a version`, { hint: 'write it like 12.2.0 or v0.30.1' });
  }
}

const NEEDS_POMERIUM = 'init needs the Pomerium config: --pomerium FILE (and/or --env-file FILE or --use-env)';

/** A diff as printed: secret values in its lines masked as doctor masks them, control characters escaped. */
const shownDiff = (diff: string) => sanitizeText(diff);

/** A file edit to commit (the writer keeps mode, owner, links and BOM; it re-reads the bytes before replacing). */
const edit = (path: string, text: string) => ({ path, data: text, options: { keepBom: true, verify: (written: string) => (written.replace(/^\ufeff/, '') === text.replace(/^\ufeff/, '') ? null : 'the file read back is not the edited text') } });

export async function run(_args: string[], options: Record<string, unknown>, io: Io): Promise<number> {
  const flags = options as Flags;
  checkFlags(flags);
  // The config as given must load (and a file with YAML errors is never edited).
  // Versions: the flags', else the releases the compose file or manifests deploy (said on stderr).
  const loaded = await loadPomerium(flags, io, { flag: flags.pomeriumVersion, command: 'init' });
  if (!loaded) throw new UserError(NEEDS_POMERIUM);
  const given = loaded.model;
  // Only a Pomerium config file is edited: manifests and compose files are not (yet) init's to change.
  const pomeriumFile = loaded.inputs.pomerium;
  if ((flags.writePomerium || flags.addRoute) && !pomeriumFile) {
    throw new UserError(`${flags.writePomerium ? '--write-pomerium' : '--add-route'} edits a Pomerium config file: ${flags.pomerium ?? flags.compose} is not one`);
  }
  const newRoute = flags.addRoute ? newRouteFlags(flags) : null;
  if (newRoute && given.routes.some((r) => r.from && normaliseFrom(r.from.value) === normaliseFrom(newRoute.from))) {
    throw new UserError(`the Pomerium config already has a route from ${newRoute.from}: drop --add-route (pick the route with --route)`, { file: pomeriumFile!.file });
  }
  const pomeriumText = newRoute ? withNewRoute(pomeriumFile!.text, pomeriumFile!.file, newRoute) : (pomeriumFile?.text ?? null);
  const model = newRoute ? pomeriumOf(modelsOf({ ...loaded.inputs, pomerium: { file: pomeriumFile!.file, text: pomeriumText! } }, io, { pomeriumVersion: loaded.pomeriumVersion }))! : given;

  const routeFrom = newRoute?.from ?? flags.route;
  const choice = findGrafanaRoute(model, { ...(routeFrom ? { from: routeFrom } : {}), ...(flags.host ? { grafanaRootUrl: `https://${flags.host}` } : {}) });
  if ('error' in choice) {
    throw new UserError(choice.message, {
      ...(model.file ? { file: model.file } : {}),
      ...(choice.error === 'none' ? { hint: 'add one with --add-route --from https://grafana.example.com --to http://grafana:3000 --allow-domain example.com' } : {}),
    });
  }
  const route = grafanaRoute(choice.route, flags.host);
  // The Helm values --write edits say which Grafana they deploy (image.tag), as doctor reads them.
  const valuesToEdit = flags.write !== undefined && flags.format === 'helm' ? await readInput(flags.write, WRITE_TARGETS.helm.what, io) : null;
  const grafanaVersion = versionToUse('Grafana', valuesToEdit ? { ...loaded.inputs, grafanaValues: valuesToEdit } : loaded.inputs, { flag: flags.grafanaVersion, command: 'init' }, io);
  const settings = grafanaSettings(model, route, {
    ...(flags.jwksFile !== undefined ? { jwksFile: flags.jwksFile } : {}),
    autoSignUp: Boolean(flags.autoSignUp),
    ...(flags.role !== undefined ? { role: flags.role } : {}),
    ...(flags.usernameClaim !== undefined ? { usernameClaim: flags.usernameClaim } : {}),
    cacheTtl: flags.cacheTtl ?? '60m',
    grafanaVersion,
    pomeriumVersion: loaded.pomeriumVersion,
    pomeriumVersionGiven: loaded.pomeriumVersionKnown,
    yesIMeanAdmin: Boolean(flags.yesIMeanAdmin),
  });

  // Everything is computed (and refused) before anything is written.
  const needsHeaders = lacksIdentityHeaders(model, choice.route);
  // Only the --pomerium file itself is edited; a config a compose file mounts is pointed at instead.
  const inFile = choice.route.origin === 'file' && pomeriumFile !== null && choice.route.span?.file === pomeriumFile.file;
  if (needsHeaders && !inFile && flags.writePomerium) {
    throw new UserError(`the Grafana route comes from the ${routeSource(choice.route)}, not the file: ${identityHeadersHow(choice.route)} on it there`);
  }
  const withHeaders = needsHeaders && inFile ? withIdentityHeaders(pomeriumText!, pomeriumFile!.file, choice.route) : pomeriumText;
  // The browser's Host, so Grafana's origin check passes (what doctor's cross/host-header asks for).
  const pomeriumAfter = inFile && lacksPreservedHost(choice.route) ? withPreservedHost(withHeaders!, pomeriumFile!.file, choice.route) : withHeaders;
  const grafanaEdit = flags.write !== undefined ? await editGrafanaFile(flags.write, flags.format as Writable, { settings, route, grafanaVersion }, flags, io) : null;

  // --format ingress writes the annotation itself; otherwise the Ingress (or env route) must get it.
  if (needsHeaders && !inFile && flags.format !== 'ingress') {
    io.err(sanitizeText(`warning: Pomerium strips the JWT header on the Grafana route (${routeWhere(choice.route)}): ${identityHeadersHow(choice.route)} on it`) + '\n');
  }
  // Both files change together: each is prepared and checked, then both are committed; when the second commit fails,
  // the first file is put back.
  const writes: ReturnType<typeof edit>[] = [];
  const pomeriumChanged = pomeriumFile !== null && pomeriumAfter !== null && pomeriumAfter !== pomeriumFile.text;
  if (pomeriumChanged && flags.writePomerium) writes.push(edit(resolve(io.cwd, pomeriumFile!.file), pomeriumAfter!));
  const grafanaChanged = grafanaEdit !== null && grafanaEdit.after !== grafanaEdit.before;
  if (grafanaChanged) writes.push(edit(resolve(io.cwd, grafanaEdit!.file), grafanaEdit!.after));
  if (writes.length) await writeFilesAtomic(writes);
  if (pomeriumChanged) {
    const diff = unifiedDiff(pomeriumFile!.text, pomeriumAfter!, { from: pomeriumFile!.file, to: pomeriumFile!.file });
    io.err(`${pomeriumFile!.file}: ${flags.writePomerium ? 'updated the Grafana route' : 'the Grafana route needs this change (apply it with --write-pomerium)'}:\n${shownDiff(diff)}`);
  }

  if (grafanaEdit) {
    if (!grafanaChanged) {
      io.err(`${grafanaEdit.file}: already up to date\n`);
      return 0;
    }
    io.out(shownDiff(unifiedDiff(grafanaEdit.before, grafanaEdit.after, { from: grafanaEdit.file, to: grafanaEdit.file })));
    return 0;
  }
  const header = headerLines({ from: route.origin, where: routeWhere(choice.route) });
  const renderers: Record<(typeof FORMATS)[number], () => string> = {
    ini: () => renderIni(settings, header),
    env: () => renderEnv(settings, header, grafanaVersion),
    helm: () => renderHelm(settings, header),
    ingress: () => renderIngress(route, header),
    compose: () => renderCompose(settings, header, grafanaVersion, loaded.context.ctx.compose?.grafana?.name),
  };
  io.out(renderers[flags.format as (typeof FORMATS)[number]]());
  return 0;
}

/** Where a route that is not in the config file comes from. */
function routeSource(route: PomeriumRoute): string {
  if (route.origin === 'env') return `${route.list.toUpperCase()} environment variable`;
  if (route.origin === 'ingress') return 'Kubernetes Ingress';
  return `config ${route.span?.file ?? 'the compose file mounts'} (pass it with --pomerium to edit it)`;
}

function identityHeadersHow(route: PomeriumRoute): string {
  return route.origin === 'ingress' ? 'set the annotation ingress.pomerium.io/pass_identity_headers: "true"' : 'set pass_identity_headers: true';
}

function newRouteFlags(flags: Flags): NewRoute {
  return {
    from: flags.from!,
    to: flags.to!,
    ...(flags.allowDomain !== undefined ? { allowDomain: flags.allowDomain } : {}),
    ...(flags.allowEmail !== undefined ? { allowEmail: flags.allowEmail } : {}),
  };
}

type Writable = Exclude<(typeof FORMATS)[number], 'env'>;

const WRITE_TARGETS: Record<Writable, { what: string; edit(text: string, file: string, wanted: { settings: readonly GrafanaSetting[]; route: GrafanaRoute; grafanaVersion: string }): string }> = {
  ini: { what: 'grafana.ini', edit: (text, file, { settings }) => editIni(parseIni(text, file), [...keysToRemove(settings).map((s) => ({ ...s, value: null })), ...settings]) },
  helm: { what: 'Grafana Helm values', edit: (text, file, { settings }) => editHelmValues(text, file, settings) },
  ingress: { what: 'Ingress manifest', edit: (text, file, { route }) => editIngress(text, file, route) },
  compose: { what: 'compose file', edit: (text, file, { settings, grafanaVersion }) => editCompose(text, file, settings, grafanaVersion) },
};

/** The file --write names with the settings edited in (comments kept), checked but not yet written. */
async function editGrafanaFile(
  path: string,
  format: Writable,
  wanted: { settings: readonly GrafanaSetting[]; route: GrafanaRoute; grafanaVersion: string },
  given: { role?: string; usernameClaim?: string },
  io: Io,
): Promise<{ file: string; before: string; after: string }> {
  const target = WRITE_TARGETS[format];
  const input = await readInput(path, target.what, io);
  // grafana.ini and Helm values say what they set already (a compose file or an Ingress: not judged).
  const doc = format === 'ini' ? parseIni(input.text, input.file) : format === 'helm' ? readHelmValues(input.text, input.file).doc : null;
  // A compose file says it through its Grafana service's GF_* environment.
  const composeEnv = format === 'compose' ? readCompose(input.text, input.file, { vars: {}, readFile: () => null }).grafana?.env : undefined;
  const existing = (section: string, key: string) => {
    if (composeEnv) return composeEnv.get(grafanaEnvName(section, key))?.value ?? undefined;
    const found = doc && !doc.error ? lookupKey(doc, section, key) : null;
    return found?.found && found.section === section ? found.value : undefined;
  };
  const { settings, kept } = keepingChoices(wanted.settings, existing, given);
  for (const note of kept) io.err(sanitizeText(`${input.file}: ${note}`) + '\n');
  const after = target.edit(input.text, input.file, { ...wanted, settings });
  if (format === 'ini' && after !== input.text) checkIniEdit(after, input.file, settings);
  return { file: input.file, before: input.text, after };
}

/** The edited grafana.ini, read back as Grafana reads it, must give every value init meant to write; else nothing is written. */
function checkIniEdit(after: string, file: string, settings: readonly GrafanaSetting[]): void {
  const doc = parseIni(after, file);
  const wrong = doc.error
    ? `it would not load (${doc.error.message.trim()})`
    : settings
        .map((s) => ({ s, found: lookupKey(doc, s.section, s.key) }))
        .filter(({ s, found }) => !found.found || found.section !== s.section || found.value !== s.value)
        .map(({ s }) => `[${s.section}] ${s.key} would not read as ${s.value}`)[0];
  if (wrong) throw new UserError(`refusing to write ${file}: the edit does not give what was intended: ${wrong}`, { hint: 'the file is unchanged; please report this as a bug' });
}

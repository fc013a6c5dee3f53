// Pomerium's option names per release, from the tables scripts/gen-pomerium-tables.mjs generates from each
// release's source (./generated/pomerium-options.ts; the release tag and commit are in each table). Pomerium
// compares keys case-insensitively (Viper lowercases them), so look up lowercased names.
import { atLeast, parseVersion } from '../grafana/version.js';
import { INGRESS_CONTROLLER_DATA } from './generated/ingress-controller.js';
import { POMERIUM_OPTION_DATA } from './generated/pomerium-options.js';
import type { IngressControllerTable, PomeriumOptionTable } from './option-tables-types.js';

/** One release's option knowledge, ready for lookups. */
export interface OptionTable {
  /** The release whose source the table was read from, e.g. `v0.33.1`, and its commit. */
  release: string;
  commit: string;
  /** True when the asked-for version is older than every covered release: the oldest table stands in. */
  approximate: boolean;
  topLevel: ReadonlySet<string>;
  route: ReadonlySet<string>;
  /** Envoy Cluster field names applied under a route (up to v0.31); empty from v0.32. */
  envoyRouteFields: ReadonlySet<string>;
  /** `ignoreConfigFields`: never logged as unknown (`set_response_headers`, `routes.health_checks` ...). */
  notReportedPaths: ReadonlySet<string>;
}

const tables = new Map<string, OptionTable>();

function build(t: PomeriumOptionTable, approximate: boolean): OptionTable {
  return {
    release: t.release,
    commit: t.commit,
    approximate,
    topLevel: new Set(t.topLevel),
    route: new Set(t.route),
    envoyRouteFields: new Set(t.routeEnvoyClusterFields?.names ?? []),
    notReportedPaths: new Set(t.notReportedPaths),
  };
}

/** Releases covered by the generated tables, oldest first (e.g. `v0.27.2` ... `v0.33.1`). */
export const COVERED_RELEASES: readonly string[] = POMERIUM_OPTION_DATA.releases.map((r) => r.release);

/** The covered release of the same minor, else the newest older one, else (approximate) the oldest. */
function releaseFor<T extends { release: string }>(releases: readonly T[], version: string): { chosen: T; approximate: boolean } {
  const v = parseVersion(version);
  if (!v) return { chosen: releases[releases.length - 1]!, approximate: false }; // not a version: the newest
  let chosen = releases[0]!;
  let approximate = true;
  for (const r of releases) {
    const rv = parseVersion(r.release)!;
    if (rv.major < v.major || (rv.major === v.major && rv.minor <= v.minor)) {
      chosen = r;
      approximate = false;
    }
  }
  return { chosen, approximate };
}

/**
 * The table for a Pomerium version: the covered release of the same minor (its newest patch), else the
 * newest covered release before it; for a version older than every covered release, the oldest table.
 */
export function optionTableFor(version: string): OptionTable {
  return cachedTable(tables, POMERIUM_OPTION_DATA.releases, version, build);
}

/** The lookup-ready table for `version`, built once per chosen release. */
function cachedTable<T extends { release: string }, R>(cache: Map<string, R>, releases: readonly T[], version: string, make: (t: T, approximate: boolean) => R): R {
  const { chosen, approximate } = releaseFor(releases, version);
  const id = `${chosen.release}:${approximate}`;
  let table = cache.get(id);
  if (table === undefined) cache.set(id, (table = make(chosen, approximate)));
  return table;
}

/**
 * The upgrade note when `path` (`tracing_provider`, `routes.allowed_groups`) makes `version` refuse to start
 * (`removedConfigFields` in config/options_check.go, from the release that first listed it), with that release.
 */
export function removedFatal(path: string, version: string): { docs: string; since: string } | undefined {
  const since = POMERIUM_OPTION_DATA.fatalSince[path];
  if (!since || !atLeast(version, since)) return undefined;
  for (const r of [...POMERIUM_OPTION_DATA.releases].reverse()) {
    const hit = r.removedFatal.find((f) => f.path === path);
    if (hit) return { docs: hit.docs, since };
  }
  return undefined;
}

/** Whether `path` was still an option in `version`, made fatal by a later release (it was read then). */
export function fatalOnlyLater(path: string, version: string): boolean {
  const since = POMERIUM_OPTION_DATA.fatalSince[path];
  return since !== undefined && !atLeast(version, since);
}

/** Keys `Options.Validate` refuses outright in this version's table (`policy_file`), with Pomerium's error. */
export function refusedByValidate(key: string, version: string): string | undefined {
  const release = optionTableFor(version).release;
  const t = POMERIUM_OPTION_DATA.releases.find((r) => r.release === release)!;
  return t.refusedByValidate.find((r) => r.key === key)?.error;
}

/** When `key` left Pomerium by `version` without becoming fatal (logged as unknown, ignored): since which release. */
export function removedAndIgnored(key: string, scope: 'top' | 'route', version: string): { goneIn: string; lastIn: string } | undefined {
  const hit = POMERIUM_OPTION_DATA.removedAndIgnored.find((r) => r.key === key && r.scope === scope);
  return hit && atLeast(version, hit.goneIn) ? { goneIn: hit.goneIn, lastIn: hit.lastIn } : undefined;
}

/** The new name of a key renamed by `version`, with the release that renamed it. */
export function renamedKey(key: string, scope: 'top' | 'route', version: string): { to: string; since: string } | undefined {
  const hit = POMERIUM_OPTION_DATA.renamed.find((r) => r.key === key && r.scope === scope);
  return hit && atLeast(version, hit.since) ? { to: hit.to, since: hit.since } : undefined;
}

const newest = POMERIUM_OPTION_DATA.releases[POMERIUM_OPTION_DATA.releases.length - 1]!;

/** The newest covered release's top-level keys. */
export const TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([...newest.topLevel, ...newest.notReportedPaths.filter((p) => !p.includes('.'))]);
/** The newest covered release's route keys. */
export const ROUTE_KEYS: ReadonlySet<string> = new Set(newest.route);

/** One Ingress Controller release's annotations, ready for lookups. */
export interface AnnotationTable {
  release: string;
  commit: string;
  approximate: boolean;
  /** Every annotation name (without `ingress.pomerium.io/`) the controller accepts. */
  known: readonly string[];
  /** Names it refuses by name, with its pointer to why. */
  unsupported: ReadonlyMap<string, string>;
}

const annotationTables = new Map<string, AnnotationTable>();

/**
 * The annotations of the Ingress Controller release numbered like `version` (the controller's releases follow
 * Pomerium's: the same minor at its newest covered patch, as for optionTableFor).
 */
export function annotationTableFor(version: string): AnnotationTable {
  return cachedTable(annotationTables, INGRESS_CONTROLLER_DATA.releases, version, buildAnnotations);
}

function buildAnnotations(t: IngressControllerTable, approximate: boolean): AnnotationTable {
  return {
    release: t.release,
    commit: t.commit,
    approximate,
    known: [...new Set(Object.values(t.annotations).flat())].sort(),
    unsupported: new Map(t.unsupported.map((u) => [u.name, u.docs])),
  };
}

import type { Span } from '../core/span.js';
import { defaultsIniOf, grafanaKey } from './defaults.js';
import { resolveEnvOverrides, type EnvSpans } from './env-overrides.js';
import { expandValue, type ReadConfigFile } from './expand.js';
import { DEFAULT_SECTION } from './ini-parse.js';
import type { IniDocument } from './ini-types.js';
import { interpolate, keptEntry } from './ini-values.js';
import type { ExpansionProblem, GrafanaModel, Setting, SettingSource } from './model-types.js';

export interface GrafanaModelInput {
  doc: IniDocument | null;
  env: Record<string, string | undefined>;
  /** Positions of the variables that came from an env file (`--env-file`). */
  envSpans?: Map<string, EnvSpans>;
  readFile: ReadConfigFile;
  version: string;
}

/** One key of Grafana's merged `ini.File` (what `cfg.Raw` holds after loading). */
interface StoredKey {
  section: string;
  key: string;
  /** The stored value as the winning layer wrote it. */
  raw: string;
  /** After `${VAR}`/`$__env`/`$__file` expansion (Grafana stores it back with `SetValue`). */
  expanded: string;
  known: boolean;
  source: SettingSource;
  span: Span | null;
  keySpan: Span | null;
  envName?: string;
}

type Store = Map<string, Map<string, StoredKey>>;

/**
 * go-ini's `Section.GetKey`: the section's own key, else the nearest parent section that exists
 * (`a.b.c` → `a.b` → `a`; a name starting with `.` ends at the default section). No fallback to DEFAULT otherwise.
 */
function findKey(store: Store, section: string, key: string): StoredKey | undefined {
  let name = section;
  for (;;) {
    const own = store.get(name)?.get(key);
    if (own) return own;
    const dot = name.lastIndexOf('.');
    if (dot < 0) return undefined;
    name = name.slice(0, dot) || DEFAULT_SECTION;
  }
}

function put(store: Store, entry: StoredKey): void {
  let keys = store.get(entry.section);
  if (!keys) store.set(entry.section, (keys = new Map()));
  keys.set(entry.key, entry);
}

/** Layer 1: conf/defaults.ini of that version (the sections this tool knows). */
function defaultsLayer(store: Store, version: string): void {
  for (const [section, keys] of defaultsIniOf(version)) {
    for (const [key, value] of keys) {
      put(store, { section, key, raw: value, expanded: value, known: true, source: 'default', span: null, keySpan: null });
    }
  }
}

/**
 * Layer 3: the custom file, as `loadSpecifiedConfigFile` merges it: keys with an empty stored value are skipped,
 * and the target key is found with `GetKey`, so a key missing in `[auth.jwt]` but present in `[auth]` overwrites
 * the `[auth]` one.
 */
function fileLayer(store: Store, doc: IniDocument): void {
  for (const section of doc.sections) {
    for (const { key, value } of section.keys) {
      if (value === '') continue;
      const entry = keptEntry(doc, section.name, key);
      const target = findKey(store, section.name, key) ?? { section: section.name, key };
      put(store, {
        section: target.section,
        key: target.key,
        raw: value,
        expanded: value,
        known: true,
        source: 'file',
        span: entry?.valueSpan ?? null,
        keySpan: entry?.keySpan ?? null,
      });
    }
  }
}

function* presentKeys(store: Store): Generator<StoredKey> {
  for (const keys of store.values()) yield* keys.values();
}

const FILE_SUFFIX = '__FILE';

/**
 * The Grafana Docker image's run.sh (packaging/docker/run.sh): for every `GF_<X>__FILE` with a non-empty value it
 * exports `GF_<X>="$(cat "$file")"` (trailing newlines dropped) before Grafana starts; with `GF_<X>` also set it
 * stops instead (grafana/env-ignored reports that). A file not visible here becomes `$__file{path}`, so the value is
 * "could not check" (file-expansion says so) instead of missing; a file `--root` says is missing gives "", as `cat` does.
 */
function dockerFileVariables(input: GrafanaModelInput): { env: Record<string, string | undefined>; envSpans: Map<string, EnvSpans> | undefined; derived: Map<string, string> } {
  const derived = new Map<string, string>();
  const env = { ...input.env };
  const envSpans = input.envSpans ? new Map(input.envSpans) : undefined;
  for (const [name, path] of Object.entries(input.env)) {
    if (!name.startsWith('GF_') || !name.endsWith(FILE_SUFFIX) || name.length <= 3 + FILE_SUFFIX.length || !path) continue;
    const base = name.slice(0, -FILE_SUFFIX.length);
    if (input.env[base]) continue;
    const text = input.readFile(path);
    env[base] = typeof text === 'string' ? text.replace(/\n+$/, '') : text === null ? '' : `$__file{${path}}`;
    derived.set(base, name);
    const spans = input.envSpans?.get(name);
    if (spans && envSpans) envSpans.set(base, spans);
  }
  return { env, envSpans, derived };
}

/**
 * Grafana's view of its configuration: defaults.ini < grafana.ini < `GF_*` < expansion, then `%(name)s` at read
 * time (../shared/reference/grafana.md §2.2–2.4; go-ini rules in ../shared/vectors/go-ini/README.md).
 */
export function buildGrafanaModel(input: GrafanaModelInput): GrafanaModel {
  const store: Store = new Map();
  defaultsLayer(store, input.version);
  if (input.doc && !input.doc.error) fileLayer(store, input.doc);

  const docker = dockerFileVariables(input);
  const { overrides, assignments } = resolveEnvOverrides({ present: presentKeys(store), env: docker.env, envSpans: docker.envSpans });
  for (const o of overrides) {
    const from = docker.derived.get(o.name);
    if (from !== undefined) o.fromFile = from;
  }
  for (const a of assignments) {
    const spans = input.envSpans?.get(a.name);
    put(store, {
      section: a.section,
      key: a.key,
      raw: a.value,
      expanded: a.value,
      known: true,
      source: 'env',
      span: spans?.valueSpan ?? null,
      keySpan: spans?.nameSpan ?? null,
      envName: a.name,
    });
  }

  const expansionProblems: ExpansionProblem[] = [];
  const expandedValues: { reference: string; text: string }[] = [];
  for (const stored of presentKeys(store)) {
    const result = expandValue(stored.raw, docker.env, input.readFile);
    stored.expanded = result.value;
    stored.known = result.known;
    expandedValues.push(...result.substituted);
    for (const issue of result.issues) {
      expansionProblems.push({
        section: stored.section,
        key: stored.key,
        message: issue.fatal ? `got error while expanding ${stored.section}.${stored.key} with expander 'file': ${issue.message}` : issue.message,
        span: stored.span,
        fatal: issue.fatal,
      });
    }
  }

  /** go-ini `transformValue`: `%(name)s` from the key's own section (or a parent), else from DEFAULT. */
  const read = (stored: StoredKey): string =>
    interpolate(stored.expanded, (name) => {
      const found = findKey(store, stored.section, name);
      return (found && found !== stored ? found : store.get(DEFAULT_SECTION)?.get(name))?.expanded;
    });

  const get = (section: string, key: string): Setting | undefined => {
    const stored = findKey(store, section, key);
    if (!stored) return undefined;
    return {
      section: stored.section,
      key: stored.key,
      value: read(stored),
      raw: stored.raw,
      known: stored.known,
      source: stored.source,
      span: stored.span,
      keySpan: stored.keySpan,
      ...(stored.envName !== undefined ? { envName: stored.envName } : {}),
    };
  };

  return {
    doc: input.doc,
    version: input.version,
    get,
    str: (section, key) => get(section, key)?.value ?? '',
    effective: (section, key) => get(section, key)?.value || (grafanaKey(section, key)?.default ?? ''),
    envOverrides: overrides,
    expansionProblems,
    expandedValues,
  };
}

import type { Span } from '../core/span.js';
import type { IniDocument } from './ini-types.js';

/** Where Grafana got a value from, lowest layer first (../shared/reference/grafana.md 2.2). */
export type SettingSource = 'default' | 'file' | 'env';

/** One setting as Grafana will read it. */
export interface Setting {
  section: string;
  key: string;
  /** What `Key.String()` / `MustString` gives after every layer and `${VAR}`/`$__env`/`$__file` expansion. */
  value: string;
  /** The value before expansion (what the winning layer wrote). */
  raw: string;
  /**
   * false when `value` is not what Grafana will see: a `$__file{…}` whose file is not visible here (left as
   * written), a missing `$__file` (Grafana would not start), or `${HOSTNAME}` unset (Grafana uses the host name).
   */
  known: boolean;
  source: SettingSource;
  /** Value position in the grafana.ini (source `file`) or in the env file (source `env` from `--env-file`). */
  span: Span | null;
  /** Key position in the grafana.ini, or the variable name's position in the env file. */
  keySpan: Span | null;
  /** The `GF_*` variable that set it (source `env`). */
  envName?: string;
}

/**
 * What Grafana does with a `GF_*` variable (`applyEnvVariableOverrides`): it walks the keys present after
 * defaults.ini and grafana.ini and reads `GF_<SECTION>_<KEY>` for each; a non-empty value replaces the key's.
 * - `applied`: names a present key and is not empty;
 * - `empty`: names a present key but is empty, so Grafana keeps the file/default value;
 * - `absent-key`: names a key Grafana knows (some version reads it or lists it in defaults.ini) that is not present
 *   in this version's defaults.ini nor in grafana.ini, so Grafana ignores it;
 * - `unknown`: names no key this tool knows (another section, a typo, or a Docker-only `GF_PATHS_*`/`__FILE`).
 */
export type EnvOverrideStatus = 'applied' | 'empty' | 'absent-key' | 'unknown';

/** A `GF_*` variable and what Grafana did with it. */
export interface EnvOverride {
  name: string;
  value: string;
  /** The value's position in the env file, when it came from one. */
  span: Span | null;
  /** The name's position in the env file, when it came from one. */
  nameSpan: Span | null;
  /** The section and key it names (for `unknown`: null). */
  target: { section: string; key: string } | null;
  status: EnvOverrideStatus;
  /** Set when the Docker image's run.sh made this variable from `<name>__FILE` (that variable's name). */
  fromFile?: string;
}

export interface ExpansionProblem {
  section: string;
  key: string;
  message: string;
  span: Span | null;
  /** true: Grafana fails to start (missing `$__file`); false: a "could not check" (file not visible here). */
  fatal: boolean;
}

export interface GrafanaModel {
  /** The grafana.ini as parsed, or null when only defaults and environment are known. */
  doc: IniDocument | null;
  /** Grafana version assumed (semver), e.g. `12.2.0`. */
  version: string;
  /**
   * The setting as Grafana reads it (defaults < file < env, expanded, `%(name)s` interpolated), or undefined when
   * no layer has the key. Parent-section fallback as go-ini does: `section` in the result is where it was found.
   */
  get(section: string, key: string): Setting | undefined;
  /** Effective string value, '' when absent. */
  str(section: string, key: string): string;
  /** What Grafana's `MustString(default)` gives: the value, or the code default (../defaults.ts) when empty or absent. */
  effective(section: string, key: string): string;
  envOverrides: EnvOverride[];
  expansionProblems: ExpansionProblem[];
  /** What `$__file{}`/`$__env{}`/`${VAR}` references expanded to: never printed; reporters show the reference instead. */
  expandedValues?: { reference: string; text: string }[];
}

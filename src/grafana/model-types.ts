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
  source: SettingSource;
  /** Value position in the grafana.ini (source `file`) or in the env file (source `env` from `--env-file`). */
  span: Span | null;
  /** Key position in the grafana.ini, or the variable name's position in the env file. */
  keySpan: Span | null;
  /** The `GF_*` variable that set it (source `env`). */
  envName?: string;
}

/** A `GF_*` variable and what Grafana did with it. */
export interface EnvOverride {
  name: string;
  value: string;
  span: Span | null;
  /** The section and key it names, when it names a key that exists (Grafana only overrides existing keys). */
  target: { section: string; key: string } | null;
  applied: boolean;
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
  /** The effective setting (defaults < file < env, expanded). Parent-section fallback as go-ini does. */
  get(section: string, key: string): Setting | undefined;
  /** Effective string value, '' when absent. */
  str(section: string, key: string): string;
  envOverrides: EnvOverride[];
  expansionProblems: ExpansionProblem[];
}

import type { Span } from '../core/span.js';
import { GRAFANA_KEYS } from './defaults.js';
import type { EnvOverride } from './model-types.js';

/** Where an env-file entry sits (from `parseEnvFile`). */
export interface EnvSpans {
  nameSpan: Span;
  valueSpan: Span;
}

const ASCII = /^[\0-\x7f]*$/;

/** Go's `strings.ToUpper`: rune by rune, so a rune whose upper case is longer (JavaScript's `ß` → `SS`) stays. */
function goToUpper(text: string): string {
  if (ASCII.test(text)) return text.toUpperCase();
  let out = '';
  for (const ch of text) {
    const upper = ch.toUpperCase();
    out += [...upper].length === 1 ? upper : ch;
  }
  return out;
}

/**
 * The variable Grafana reads for `[section] key` (`pkg/setting` `EnvKey`): `.` and `-` become `_` in the
 * section, only `.` in the key, both upper-cased. The default section is named `DEFAULT` (`GF_DEFAULT_APP_MODE`).
 */
export function grafanaEnvName(section: string, key: string): string {
  const s = goToUpper(section.replaceAll('.', '_')).replaceAll('-', '_');
  const k = goToUpper(key.replaceAll('.', '_'));
  return `GF_${s}_${k}`;
}

const CATALOG_BY_ENV_NAME = new Map(GRAFANA_KEYS.map((k) => [grafanaEnvName(k.section, k.key), { section: k.section, key: k.key }]));

export interface EnvOverrideInput {
  /** Every key present after defaults.ini and grafana.ini were merged, in Grafana's order. */
  present: Iterable<{ section: string; key: string }>;
  env: Record<string, string | undefined>;
  envSpans?: Map<string, EnvSpans> | undefined;
}

/**
 * Says, for every `GF_*` variable in `env`, what Grafana does with it, and which present keys it sets.
 * `assignments` lists every key an applied variable overrides (two keys can share a name, e.g. `[a.b] c` and `[a] b_c`;
 * Grafana sets both).
 */
export function resolveEnvOverrides(input: EnvOverrideInput): {
  overrides: EnvOverride[];
  assignments: { section: string; key: string; name: string; value: string }[];
} {
  const overrides: EnvOverride[] = [];
  const assignments: { section: string; key: string; name: string; value: string }[] = [];
  const names = Object.keys(input.env)
    .filter((n) => n.startsWith('GF_') && input.env[n] !== undefined)
    .sort();
  // Only the keys some variable names: a file can hold hundreds of thousands of keys and the environment none of them.
  const wanted = new Set(names);
  const presentByName = new Map<string, { section: string; key: string }[]>();
  if (wanted.size > 0) {
    for (const p of input.present) {
      const name = grafanaEnvName(p.section, p.key);
      if (!wanted.has(name)) continue;
      const group = presentByName.get(name);
      if (group) group.push(p);
      else presentByName.set(name, [p]);
    }
  }
  for (const name of names) {
    const value = input.env[name]!;
    const spans = input.envSpans?.get(name);
    const targets = presentByName.get(name);
    const base = { name, value, span: spans?.valueSpan ?? null, nameSpan: spans?.nameSpan ?? null };
    if (targets) {
      // Grafana applies only a non-empty value (`len(envValue) > 0`).
      const status = value === '' ? 'empty' : 'applied';
      overrides.push({ ...base, target: targets[0]!, status });
      if (status === 'applied') for (const t of targets) assignments.push({ ...t, name, value });
    } else {
      const known = CATALOG_BY_ENV_NAME.get(name) ?? null;
      overrides.push({ ...base, target: known, status: known ? 'absent-key' : 'unknown' });
    }
  }
  return { overrides, assignments };
}

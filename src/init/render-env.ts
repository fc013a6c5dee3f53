// `GF_*` lines for a docker compose env_file / `.env`: Grafana's env names, values quoted as compose reads them.
import { UserError } from '../core/errors.js';
import { defaultsIniOf } from '../grafana/defaults.js';
import { grafanaEnvName } from '../grafana/env-overrides.js';
import type { GrafanaSetting } from './settings.js';
import { envAbsentKeyNote } from './templates.js';

/**
 * A value as compose's env file reads it back unchanged: bare when it is plain, else in single quotes
 * (no escapes, no `${}` interpolation, no ` #` comment inside them).
 */
function quoteEnvValue(value: string): string {
  if (/^[A-Za-z0-9_./:@%+,=-]*$/.test(value)) return value;
  if (value.includes("'") || /[\r\n]/.test(value)) {
    throw new UserError(`cannot write ${JSON.stringify(value)} as an env file value (a quote or line break in it)`);
  }
  return `'${value}'`;
}

/**
 * The `GF_*` variables for the settings. Grafana applies one only to a key that defaults.ini or grafana.ini
 * already has; for a key that `grafanaVersion`'s defaults.ini lacks, `note` says it must be in grafana.ini too.
 */
export function gfVariables(settings: readonly GrafanaSetting[], grafanaVersion: string): { name: string; value: string; note: string | null }[] {
  const defaults = defaultsIniOf(grafanaVersion);
  return settings.map((s) => {
    const name = grafanaEnvName(s.section, s.key);
    const note = defaults.get(s.section)?.has(s.key) ? null : envAbsentKeyNote({ version: grafanaVersion, name, section: s.section, key: s.key });
    return { name, value: s.value, note };
  });
}

export function renderEnv(settings: readonly GrafanaSetting[], header: readonly string[], grafanaVersion: string): string {
  const lines = gfVariables(settings, grafanaVersion).flatMap((v) => [...(v.note ? [`# ${v.note}`] : []), `${v.name}=${quoteEnvValue(v.value)}`]);
  return `${header.map((line) => `# ${line}\n`).join('')}\n${lines.map((line) => `${line}\n`).join('')}`;
}

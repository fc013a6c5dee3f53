// Helm values for the Grafana chart: `grafana.ini:` with one `auth.jwt:` key (the chart renders only
// one level of nesting). The chart writes a string value raw (after `tpl`), a bool with `%v`.
import { stringify } from 'yaml';
import { UserError } from '../core/errors.js';
import { encodeIniValue } from '../grafana/ini-edit.js';
import { bySection } from './render-ini.js';
import type { GrafanaSetting } from './settings.js';

/** The value whose chart rendering go-ini reads back as `value`: a boolean, or a string (the chart writes strings raw). */
export function helmScalar(value: string): string | boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  // `tpl` would run a template inside the value.
  if (value.includes('{{')) throw new UserError(`cannot pass ${JSON.stringify(value)} through the chart: Helm's tpl would read {{ as a template`);
  // The chart writes strings unquoted: `;`/`#` would start a go-ini comment, so those get go-ini's quoting.
  return encodeIniValue(value);
}

function helmValue(value: string): string {
  return stringify(helmScalar(value), { lineWidth: 0 }).trimEnd();
}

export function renderHelm(settings: readonly GrafanaSetting[], header: readonly string[]): string {
  const sections = bySection(settings).map(({ name, keys }) =>
    [`  ${/^[\w.-]+$/.test(name) ? name : JSON.stringify(name)}:`, ...keys.flatMap((s) => [`    # ${s.comment}`, `    ${s.key}: ${helmValue(s.value)}`])].join('\n'),
  );
  return `${header.map((line) => `# ${line}\n`).join('')}\ngrafana.ini:\n${sections.join('\n')}\n`;
}

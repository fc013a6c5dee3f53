// Small helpers the grafana/ rules share: where a finding goes, and text edits.
import type { Fix } from '../../core/finding.js';
import type { Span } from '../../core/span.js';
import type { IniDocument, IniEntry } from '../../grafana/ini-types.js';
import type { GrafanaModel, Setting } from '../../grafana/model-types.js';
import { parseGoBool } from '../../grafana/ini-values.js';
import { atLeast } from '../../grafana/version.js';

/** Where a finding points: a span, or (for something with no place) just the file. */
export interface Place {
  span: Span | null;
  file: string | null;
}

/** `[auth.jwt] enabled` as Grafana reads it: only an accepted true boolean turns JWT sign-in on. */
export function jwtEnabled(grafana: GrafanaModel): boolean {
  return parseGoBool(grafana.effective('auth.jwt', 'enabled')) === true;
}

/**
 * From this release a bad [auth.jwt] setup (key set, expect_claims) no longer stops Grafana: the reloadable JWT
 * service logs it and answers `jwt auth not configured` (`auth.go` on main). The first release is UNCONFIRMED;
 * taken as the one that also reads key_value/jwk_set_value (≈13.1, the same era of `key_sets.go`).
 */
const LOGS_INSTEAD_OF_FAILING = '13.1.0';

/** What Grafana `version` does when `ProvideService` of the JWT service fails (only with JWT auth on). */
export function jwtConfigFailure(version: string): string {
  return atLeast(version, LOGS_INSTEAD_OF_FAILING)
    ? 'Grafana logs it and answers every JWT sign-in with `jwt auth not configured`'
    : 'Grafana refuses to start';
}

/** How a finding names a setting: the `GF_*` variable that set it, else `[section] key`. */
export function settingName(setting: Pick<Setting, 'section' | 'key' | 'envName'>): string {
  return setting.envName ?? `[${setting.section}] ${setting.key}`;
}

/** Every `key = …` line of `[section] key` in the file, duplicates included. */
export function entriesOf(doc: IniDocument | null, section: string, key: string): IniEntry[] {
  return doc ? doc.entries.filter((e) => e.section === section && e.key === key) : [];
}

/** Where a key of `section` that is missing should go: the section's last header, else the file. */
export function sectionPlace(doc: IniDocument | null, section: string): Place {
  const header = doc?.headers.findLast((h) => h.name === section);
  return { span: header?.span ?? null, file: doc?.file ?? null };
}

/**
 * Where a setting Grafana ends up with comes from: its value (file or env file), else the last line that
 * writes the key (an empty value, which Grafana skips), else the section header.
 */
export function settingPlace(grafana: GrafanaModel, section: string, key: string): Place {
  const setting = grafana.get(section, key);
  if (setting?.span) return { span: setting.span, file: setting.span.file };
  const written = entriesOf(grafana.doc, section, key).at(-1);
  if (written) return { span: written.keySpan, file: written.keySpan.file };
  return sectionPlace(grafana.doc, section);
}

/** The offset in `doc.text` of a 1-based line and column. */
export function offsetAt(doc: IniDocument, line: number, column: number): number {
  return (doc.index.lineStarts[line - 1] ?? doc.text.length) + column - 1;
}

/** A fix that replaces the text a span covers in grafana.ini. */
export function replaceSpan(doc: IniDocument, span: Span, text: string, description: string): Fix {
  return { file: doc.file, description, edits: [{ start: offsetAt(doc, span.line, span.column), end: offsetAt(doc, span.endLine, span.endColumn), text }] };
}

/** A fix that adds `key = value` as the first line of the section whose last header is `section`. */
export function insertAfterHeader(doc: IniDocument, section: string, line: string, description: string): Fix | undefined {
  const header = doc.headers.findLast((h) => h.name === section);
  if (!header) return undefined;
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  return { file: doc.file, description, edits: [{ start: header.end, end: header.end, text: `${eol}${line}` }] };
}

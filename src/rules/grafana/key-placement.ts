// Which section a grafana.ini key belongs to, and the text edit that moves a line there. Shared by
// grafana/misplaced-key and grafana/unknown-key so that each key gets exactly one of the two verdicts.
import type { Fix } from '../../core/finding.js';
import { groupBy } from '../../core/group-by.js';
import { GRAFANA_KEYS, KNOWN_SECTIONS } from '../../grafana/defaults.js';
import type { IniDocument, IniEntry } from '../../grafana/ini-types.js';
import { diffEdit } from '../cross/helpers.js';

/** When a key is read in several sections, the one a JWT setup most likely meant. */
const PREFERRED_HOMES = ['auth.jwt', 'users', 'auth', 'server', 'auth.anonymous', 'auth.proxy', 'auth.basic', 'DEFAULT'];

function homeRank(section: string): number {
  const rank = PREFERRED_HOMES.indexOf(section);
  return rank === -1 ? PREFERRED_HOMES.length : rank;
}

/**
 * What the catalog says about `[section] key` (section one of KNOWN_SECTIONS):
 * - `catalog`: the section has this key (read now, once, later, or never: other rules judge versions and dead keys);
 * - `misplaced`: the section has no such key, but `home` reads it;
 * - `unknown`: no modelled section has it.
 */
export type KeyPlacement = { kind: 'catalog' } | { kind: 'misplaced'; home: string } | { kind: 'unknown' };

/** The catalog's entries by key name, built once: a file can hold hundreds of thousands of keys. */
const HOLDERS_BY_KEY = groupBy(GRAFANA_KEYS, (k) => k.key);

export function placementOf(section: string, key: string): KeyPlacement {
  const holders = HOLDERS_BY_KEY.get(key);
  if (!holders) return { kind: 'unknown' };
  if (holders.some((k) => k.section === section)) return { kind: 'catalog' };
  const homes = holders
    .filter((k) => k.read !== null)
    .map((k) => k.section)
    .sort((a, b) => homeRank(a) - homeRank(b));
  return homes[0] ? { kind: 'misplaced', home: homes[0] } : { kind: 'unknown' };
}

const keptEntriesCache = new WeakMap<IniDocument, readonly IniEntry[]>();

/** The entries go-ini keeps (the last of each key in each section) of the sections this tool models; computed once per document. */
export function keptEntriesInKnownSections(doc: IniDocument): readonly IniEntry[] {
  let kept = keptEntriesCache.get(doc);
  if (!kept) {
    const lastBySection = new Map<string, Map<string, IniEntry>>();
    for (const entry of doc.entries) {
      if (!KNOWN_SECTIONS.has(entry.section)) continue;
      let last = lastBySection.get(entry.section);
      if (!last) lastBySection.set(entry.section, (last = new Map()));
      last.set(entry.key, entry);
    }
    const all: IniEntry[] = [];
    for (const last of lastBySection.values()) for (const entry of last.values()) all.push(entry);
    kept = all.sort((a, b) => a.start - b.start);
    keptEntriesCache.set(doc, kept);
  }
  return kept;
}

/** [start, end) of the whole line(s) an entry is on, line ending included; null when other text shares them. */
function wholeLines(doc: IniDocument, entry: IniEntry): { start: number; end: number } | null {
  const starts = doc.index.lineStarts;
  const startLine = entry.keySpan.line;
  const lineStart = starts[startLine - 1]!;
  if (doc.text.slice(lineStart, entry.start).trim() !== '') return null;
  const next = starts[entry.valueSpan.endLine];
  const lineEnd = next ?? doc.text.length;
  if (doc.text.slice(entry.end, lineEnd).trim() !== '') return null;
  return { start: lineStart, end: lineEnd };
}

/**
 * A fix that moves an entry's line, as written, to the end of the section `target` (its last header's block),
 * or to a new `[target]` section at the end of the file. One edit, so a partly applied fix cannot lose the line.
 * Undefined when the line cannot be lifted out cleanly or the file starts with a BOM (offsets would not match).
 */
export function moveEntryFix(doc: IniDocument, entry: IniEntry, target: string): Fix | undefined {
  const lines = wholeLines(doc, entry);
  if (!lines || doc.bom) return undefined;
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  const text = doc.text.slice(entry.start, entry.end);
  const without = doc.text.slice(0, lines.start) + doc.text.slice(lines.end);
  const shift = (offset: number) => (offset >= lines.end ? offset - (lines.end - lines.start) : offset);

  const header = doc.headers.findLast((h) => h.name === target);
  let after: string;
  if (header) {
    const nextHeader = doc.headers.find((h) => h.start > header.start);
    const lastEntry = doc.entries.findLast((e) => e.section === target && e !== entry && e.start > header.start && (!nextHeader || e.start < nextHeader.start));
    const anchor = shift(lastEntry ? lastEntry.end : header.end);
    after = `${without.slice(0, anchor)}${eol}${text}${without.slice(anchor)}`;
  } else {
    const body = without.replace(/\s*$/, '');
    after = `${body}${eol}${eol}[${target}]${eol}${text}${eol}`;
  }
  return { file: doc.file, description: `move ${entry.key} to [${target}]`, edits: [diffEdit(doc.text, after)] };
}

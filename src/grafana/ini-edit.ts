import { UserError } from '../core/errors.js';
import { nextLineStart, type Span } from '../core/span.js';
import { goTrim } from '../core/go-text.js';
import { DEFAULT_SECTION, redactIniError } from './ini-parse.js';
import type { IniDocument, IniEntry } from './ini-types.js';

/** Set `[section] key` to `value`, or remove every occurrence of it (`null`). */
export interface IniChange {
  section: string;
  key: string;
  value: string | null;
}

export interface EditIniOptions {
  /**
   * Also delete the earlier duplicates of a changed key (go-ini keeps only the last, so they are dead text that
   * misleads readers). Off by default: the edit then touches only the line Grafana reads.
   */
  removeDuplicates?: boolean;
}

/**
 * How to write `value` so go-ini reads it back whole. Plain when it is safe; otherwise in backticks (raw, no comment
 * cutting, may span lines), or in `"""` when it contains a backtick. Unsafe: `;`/`#` (comment cut), line breaks,
 * surrounding whitespace (trimmed), surrounding quotes (removed), a leading backtick or `"""` (read as quoting),
 * a trailing backslash (line continuation).
 */
export function encodeIniValue(value: string): string {
  const risky =
    /[;#\r\n]/.test(value) ||
    goTrim(value) !== value ||
    value.startsWith('`') ||
    value.startsWith('"""') ||
    (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) ||
    value.endsWith('\\');
  if (!risky) return value;
  if (!value.includes('`')) return `\`${value}\``;
  if (!value.includes('"""')) return `"""${value}"""`;
  throw new UserError(`cannot write this value to an ini file: it contains both a backtick and """, which go-ini cannot read back`);
}

/** A key go-ini reads back as written: no delimiter, quote, comment or header start, no surrounding space. */
function checkKeyName(key: string): void {
  if (!/^[^\s=:;#[`"][^=:\r\n]*$/.test(key) || goTrim(key) !== key || key === '-') {
    throw new UserError(`cannot write ${JSON.stringify(key)} as an ini key`);
  }
}

function checkSectionName(name: string): void {
  if (name === '' || /[\r\n]/.test(name)) throw new UserError(`cannot write ${JSON.stringify(name)} as an ini section name`);
}

function keyLine(key: string, value: string, style: KeyStyle): string {
  checkKeyName(key);
  const encoded = encodeIniValue(value);
  // `key =` rather than `key = ` for an empty value: no trailing space.
  return encoded === '' ? `${style.indent}${key}${style.separator.trimEnd()}` : `${style.indent}${key}${style.separator}${encoded}`;
}

interface KeyStyle {
  indent: string;
  /** From the end of the key to the value: ` = `, `=`, `: `… */
  separator: string;
}

const DEFAULT_STYLE: KeyStyle = { indent: '', separator: ' = ' };

/** Writes sections from scratch with the same quoting rules as `editIni`; `comment` lines go above their key as `; …`. */
export function renderIniSections(
  sections: { name: string; keys: { key: string; value: string; comment?: string }[] }[],
  eol = '\n',
): string {
  return sections
    .map((section) => {
      checkSectionName(section.name);
      const lines = [`[${section.name}]`];
      for (const { key, value, comment } of section.keys) {
        if (comment !== undefined) lines.push(...comment.split(/\r?\n/).map((line) => `; ${line}`.trimEnd()));
        lines.push(keyLine(key, value, DEFAULT_STYLE));
      }
      return lines.map((line) => line + eol).join('');
    })
    .join(eol);
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function offsetOf(doc: IniDocument, span: Span, end = false): number {
  const line = end ? span.endLine : span.line;
  const column = end ? span.endColumn : span.column;
  return doc.index.lineStarts[line - 1]! + column - 1;
}

/** The file's line ending: CRLF when most lines use it. */
function lineEnding(text: string): string {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = text.match(/\n/g)?.length ?? 0;
  return crlf > lf - crlf ? '\r\n' : '\n';
}


function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the line ending (or end of text) of the line holding `offset`. */
function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl < 0) return text.length;
  return text[nl - 1] === '\r' ? nl - 1 : nl;
}

function styleOf(doc: IniDocument, entry: IniEntry): KeyStyle {
  const keyStart = offsetOf(doc, entry.keySpan);
  const indent = doc.text.slice(lineStartOf(doc.text, keyStart), keyStart);
  const between = doc.text.slice(offsetOf(doc, entry.keySpan, true), offsetOf(doc, entry.valueSpan));
  // Only a plain `key<space>=<space>` shape is copied (not a quoted key, not `key =` with nothing after).
  const separator = /^[ \t]*[=:][ \t]*$/.test(between) ? between.replace(/^([ \t]+[=:])$/, '$1 ') : DEFAULT_STYLE.separator;
  return { indent: /^[ \t]*$/.test(indent) ? indent : '', separator };
}

/** The style of the section's last key, else of the file's last key, else `key = value`. */
function styleFor(doc: IniDocument, section: string): KeyStyle {
  const model = doc.entries.findLast((e) => e.section === section) ?? doc.entries.at(-1);
  return model ? styleOf(doc, model) : DEFAULT_STYLE;
}

/** Replaces the value Grafana reads, keeping the key, its spacing and a trailing comment that stays a comment. */
function replaceValue(doc: IniDocument, entry: IniEntry, value: string): Edit {
  const text = doc.text;
  const start = offsetOf(doc, entry.valueSpan);
  const end = offsetOf(doc, entry.valueSpan, true);
  const encoded = encodeIniValue(value);
  const lineEnd = lineEndOf(text, end);
  const rest = text.slice(end, lineEnd);
  const quote = encoded.startsWith('`') ? '`' : encoded.startsWith('"""') ? '"""' : null;
  // Text after the value is kept only when go-ini will still drop it as a comment: after a closing quote it was
  // ignored garbage, and a quote character in it would now end the new quoted value.
  const keepRest = /^\s*$/.test(rest) || (/^\s*[;#]/.test(rest) && (quote === null || !rest.includes(quote)));
  // An empty value sits right after the delimiter: `key =` becomes `key = v`, but `key=` becomes `key=v`.
  const spaced = /\s/.test(text.slice(offsetOf(doc, entry.keySpan, true), start - 1));
  const gap = encoded !== '' && /[=:]/.test(text[start - 1] ?? '') && spaced ? ' ' : '';
  return { start, end: keepRest ? end : lineEnd, text: gap + encoded };
}

/** Removes the whole entry with its line ending. */
function removeEntry(text: string, entry: IniEntry): Edit {
  return { start: lineStartOf(text, entry.start), end: nextLineStart(text, entry.end), text: '' };
}

/** Where new keys of `section` go: after its last key line, else after its header; null when the file lacks it. */
function insertionPoint(doc: IniDocument, section: string): number | null {
  const lastKey = doc.entries.findLast((e) => e.section === section);
  if (lastKey) return nextLineStart(doc.text, lastKey.end);
  const header = doc.headers.findLast((h) => h.name === section);
  if (header) return nextLineStart(doc.text, header.end);
  // Keys before the first header belong to DEFAULT.
  if (section === DEFAULT_SECTION) return 0;
  return null;
}

/**
 * Applies `changes` to a grafana.ini and returns the new text. Every byte the changes do not own stays as it was:
 * comments, blank lines, order, line endings. A changed key gets its new value on the line Grafana reads (the last
 * occurrence in its section); a missing key is added after the last key line of its section; a missing section is
 * added at the end. Applying the same changes to the result changes nothing.
 */
export function editIni(doc: IniDocument, changes: readonly IniChange[], options: EditIniOptions = {}): string {
  if (doc.error) {
    // The span shows where; the quoted line may hold a secret, so the message does not repeat it.
    throw new UserError(`will not edit a file go-ini cannot read: ${redactIniError(doc.error.message, '…')}`, { span: doc.error.span });
  }
  const text = doc.text;
  const eol = lineEnding(text);

  // One change per key: the last one given wins, in the order the keys were first named.
  const byKey = new Map<string, IniChange>();
  for (const c of changes) {
    checkSectionName(c.section);
    checkKeyName(c.key);
    byKey.set(`${c.section}\u0000${c.key}`, c);
  }

  const edits: Edit[] = [];
  const additions = new Map<string, string[]>();
  for (const change of byKey.values()) {
    const entries = doc.entries.filter((e) => e.section === change.section && e.key === change.key);
    const last = entries.at(-1);
    if (change.value === null) {
      edits.push(...entries.map((e) => removeEntry(text, e)));
      continue;
    }
    if (!last) {
      const line = keyLine(change.key, change.value, styleFor(doc, change.section));
      const lines = additions.get(change.section);
      if (lines) lines.push(line);
      else additions.set(change.section, [line]);
      continue;
    }
    if (options.removeDuplicates) edits.push(...entries.slice(0, -1).map((e) => removeEntry(text, e)));
    if (last.value !== change.value) edits.push(replaceValue(doc, last, change.value));
  }

  const newSections: string[] = [];
  for (const [section, lines] of additions) {
    const at = insertionPoint(doc, section);
    if (at === null) {
      newSections.push([`[${section}]`, ...lines].map((line) => line + eol).join(''));
      continue;
    }
    // The section's last line may be the file's last line, without a line ending.
    const lead = at === text.length && at > 0 && !text.endsWith('\n') ? eol : '';
    edits.push({ start: at, end: at, text: lead + lines.map((line) => line + eol).join('') });
  }

  // Right to left, so offsets stay valid; insertions at one offset keep the order they were made in.
  const ordered = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.i - a.i);
  let out = text;
  for (const e of ordered) out = out.slice(0, e.start) + e.text + out.slice(e.end);

  if (newSections.length > 0) {
    const sep = out === '' ? '' : out.endsWith('\n') ? (/(^|\n)\r?\n$/.test(out) ? '' : eol) : eol + eol;
    out += sep + newSections.join(eol);
  }
  // The parser keeps a byte order mark out of `text`; put it back where it was.
  return (doc.bom ? '\ufeff' : '') + out;
}

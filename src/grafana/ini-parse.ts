// grafana.ini read the way Grafana reads it: go-ini v1.67.0 `ini.Load(file)` with the zero
// LoadOptions (parser.go `parse`, `readKeyName`, `readValue`, `readMultilines`,
// `readContinuationLines`). The rules, and 413 vectors of real go-ini output, are in
// ../shared/vectors/go-ini/README.md. On top of go-ini's result this keeps a position for everything.
import { goTrim, skipSpace, trimEnd } from '../core/go-text.js';
import { LineIndex, type Span } from '../core/span.js';
import type { IniComment, IniDocument, IniEntry, IniHeader, IniQuoting, IniSectionView } from './ini-types.js';

export const DEFAULT_SECTION = 'DEFAULT';

function indexOfComment(s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x23 /* # */ || c === 0x3b /* ; */) return i;
  }
  return -1;
}

function indexOfDelimiter(s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3d /* = */ || c === 0x3a /* : */) return i;
  }
  return -1;
}

/** Whether `s` is longer than `limit` bytes in UTF-8 (go-ini measures a `"""` key line in bytes). */
function utf8LongerThan(s: string, limit: number): boolean {
  let bytes = 0;
  for (let i = 0; i < s.length && bytes <= limit; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes > limit;
}

/** go-ini's hasSurroundedQuote: `q` first, last, and nowhere in between. */
function hasSurroundedQuote(s: string, q: string): boolean {
  return s.length >= 2 && s[0] === q && s.endsWith(q) && s.indexOf(q, 1) === s.length - 1;
}

const GO_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** Go's strconv.Quote, which go-ini's multi-line error message uses (`%q`). */
export function goQuote(s: string): string {
  // Here, not at load: V8 builds these Unicode classes when it creates the literal (~0.5 ms), and only errors quote.
  const printable = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;
  let out = '"';
  for (const ch of s) {
    const escape = GO_ESCAPES[ch];
    if (escape !== undefined) out += escape;
    else if (printable.test(ch)) out += ch;
    else {
      const code = ch.codePointAt(0)!;
      if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    }
  }
  return out + '"';
}

/** The go-ini messages that quote the offending text, and how to hide that text (it may hold a secret). */
const LINE_MESSAGES = ['key-value delimiter not found: ', 'empty key name: ', 'missing closing key quote: ', 'unclosed section: '];
const MULTILINE_MESSAGE = 'missing closing key quote from ';

/** go-ini's message with the file text it quotes replaced by `mask`. */
export function redactIniError(message: string, mask: string): string {
  if (message.startsWith(MULTILINE_MESSAGE)) return `${MULTILINE_MESSAGE}"${mask}" to "${mask}"`;
  const prefix = LINE_MESSAGES.find((p) => message.startsWith(p));
  return prefix ? prefix + mask : message;
}

class LoadError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

/** A line as go-ini's `ReadBytes('\n')` returns it, as offsets into the text (slices are made only where needed). */
interface Line {
  /** Offset of the first character. */
  start: number;
  /** Offset just after the `\n` (or the end of the text). */
  end: number;
}

interface ValueRead {
  value: string;
  quoting: IniQuoting;
  valueStart: number;
  valueEnd: number;
  /** End of the last line the value used, without trailing whitespace and line ending. */
  entryEnd: number;
  cut: { start: number; end: number } | null;
}

/** Reads lines the way go-ini's bufio reader does: up to and including `\n`; a lone `\r` is not a break. */
class LineReader {
  private next = 0;
  /** Set once a read hits the end of the text (go-ini's `isEOF`). */
  eof = false;
  constructor(readonly text: string) {}

  read(): Line {
    const start = this.next;
    const newline = this.text.indexOf('\n', start);
    const end = newline === -1 ? this.text.length : newline + 1;
    if (newline === -1) this.eof = true;
    this.next = end;
    return { start, end };
  }
}

/** Max keys a section is searched in place; a file can have a million sections, and a map for each costs more. */
const SMALL_SECTION = 8;

/** One section of go-ini's merged view: keys at their first position, last value. */
class SectionBuilder {
  readonly view: IniSectionView;
  private byKey: Map<string, IniSectionView['keys'][number]> | null = null;
  constructor(name: string) {
    this.view = { name, keys: [] };
  }

  set(key: string, value: string): void {
    const keys = this.view.keys;
    const kept = this.byKey ? this.byKey.get(key) : keys.find((k) => k.key === key);
    if (kept) {
      kept.value = value;
      return;
    }
    const added = { key, value };
    keys.push(added);
    if (this.byKey) this.byKey.set(key, added);
    else if (keys.length > SMALL_SECTION) this.byKey = new Map(keys.map((k) => [k.key, k]));
  }
}

/**
 * Parses grafana.ini text exactly as go-ini v1.67.0 loads it for Grafana. A leading UTF-8 BOM is
 * skipped and is not part of `text` (so columns on line 1 are what editors show; `bom` says it was
 * there). On a load error, `error` is set and `sections` is empty; `entries`, `headers` and
 * `comments` keep what was read before the error.
 */
export function parseIni(input: string, file: string): IniDocument {
  const bom = input.charCodeAt(0) === 0xfeff;
  const text = bom ? input.slice(1) : input;
  const index = new LineIndex(text, file);
  const entries: IniEntry[] = [];
  const headers: IniHeader[] = [];
  const comments: IniComment[] = [];
  const span = (start: number, end: number): Span => index.span(start, end);
  const reader = new LineReader(text);
  let section = DEFAULT_SECTION;
  /** go-ini's merged view: sections in first-appearance order, DEFAULT first; keys at their first position, last value. */
  let view = new SectionBuilder(DEFAULT_SECTION);
  const views = new Map([[DEFAULT_SECTION, view]]);
  let autoNumber = 1;

  /** One value, from the first character after the key-value delimiter (go-ini's readValue). */
  function readValue(line: Line, from: number): ValueRead {
    const lineEnd = trimEnd(text, from, line.end);
    const start = skipSpace(text, from, line.end);
    if (start === line.end) return { value: '', quoting: 'none', valueStart: from, valueEnd: from, entryEnd: lineEnd, cut: null };
    const quote = line.end - start > 3 && text.startsWith('"""', start) ? '"""' : text[start] === '`' ? '`' : '';
    if (quote) return readQuoted(text.slice(start, line.end), start, quote);

    const end = trimEnd(text, start, line.end);
    if (text.charCodeAt(end - 1) === 0x5c /* \ */) return readContinued(start, end);

    const cutAt = indexOfComment(text, start, end);
    const valueEnd = cutAt === -1 ? end : trimEnd(text, start, cutAt);
    const written = text.slice(start, valueEnd);
    const quoting: IniQuoting = hasSurroundedQuote(written, '"') ? 'double' : hasSurroundedQuote(written, "'") ? 'single' : 'none';
    return {
      value: quoting === 'none' ? written : written.slice(1, -1),
      quoting,
      valueStart: start,
      valueEnd,
      entryEnd: lineEnd,
      cut: cutAt === -1 ? null : { start: cutAt, end },
    };
  }

  /** A `"""` or backtick value: raw up to the last closing quote on its line or a later one. */
  function readQuoted(rest: string, start: number, quote: string): ValueRead {
    const quoting: IniQuoting = quote === '`' ? 'backtick' : 'triple';
    const close = rest.lastIndexOf(quote);
    if (close >= quote.length) {
      const valueEnd = start + close + quote.length;
      return { value: rest.slice(quote.length, close), quoting, valueStart: start, valueEnd, entryEnd: trimEnd(text, valueEnd, start + rest.length), cut: null };
    }
    let value = rest.slice(quote.length);
    for (;;) {
      const next = reader.read();
      const nextText = text.slice(next.start, next.end);
      const closeAt = nextText.lastIndexOf(quote);
      if (closeAt !== -1) {
        const valueEnd = next.start + closeAt + quote.length;
        return { value: value + nextText.slice(0, closeAt), quoting, valueStart: start, valueEnd, entryEnd: trimEnd(text, valueEnd, next.end), cut: null };
      }
      value += nextText;
      if (reader.eof) {
        throw new LoadError(`missing closing key quote from ${goQuote(rest)} to ${goQuote(nextText)}`, start, trimEnd(text, start, start + rest.length));
      }
    }
  }

  /** A value ending in `\`: the next lines, trimmed, are appended until one does not end in `\` or is blank. */
  function readContinued(start: number, end: number): ValueRead {
    // Parts are joined once at the end: slicing a growing string per line would copy it every time.
    const parts = [text.slice(start, end - 1)];
    let valueEnd = end;
    for (;;) {
      const next = reader.read();
      const from = skipSpace(text, next.start, next.end);
      const to = trimEnd(text, from, next.end);
      if (from === to) break;
      valueEnd = to;
      const continues = text.charCodeAt(to - 1) === 0x5c;
      parts.push(text.slice(from, continues ? to - 1 : to));
      if (!continues) break;
    }
    return { value: parts.join(''), quoting: 'continuation', valueStart: start, valueEnd, entryEnd: valueEnd, cut: null };
  }

  /** A key line from its first non-space character `p` (go-ini's readKeyName, then readValue). */
  function readEntry(line: Line, p: number): IniEntry {
    const lineError = (message: string) => new LoadError(message + text.slice(p, line.end), p, trimEnd(text, p, line.end));
    const quote = text[p] === '"' ? (text.startsWith('"""', p) && utf8LongerThan(text.slice(p, line.end), 6) ? '"""' : '"') : text[p] === '`' ? '`' : '';
    let key: string;
    let keyEnd: number;
    let delimiter: number;
    if (quote) {
      const close = text.indexOf(quote, p + quote.length);
      if (close === -1 || close >= line.end) throw lineError('missing closing key quote: ');
      keyEnd = close + quote.length;
      delimiter = indexOfDelimiter(text, keyEnd, line.end);
      if (delimiter === -1) throw lineError('key-value delimiter not found: ');
      key = goTrim(text.slice(p + quote.length, close));
      // go-ini's Section.NewKey refuses the empty name a quoted key can have.
      if (key === '') throw new LoadError('error creating new key: empty key name', p, trimEnd(text, p, line.end));
    } else {
      delimiter = indexOfDelimiter(text, p, line.end);
      if (delimiter === -1) throw lineError('key-value delimiter not found: ');
      if (delimiter === p) throw lineError('empty key name: ');
      keyEnd = trimEnd(text, p, delimiter);
      key = text.slice(p, keyEnd);
    }
    if (key === '-') key = `#${autoNumber++}`;
    const read = readValue(line, delimiter + 1);
    return {
      section,
      key,
      value: read.value,
      keySpan: span(p, keyEnd),
      valueSpan: span(read.valueStart, read.valueEnd),
      start: p,
      end: read.entryEnd,
      quoting: read.quoting,
      cutComment: read.cut && { text: text.slice(read.cut.start, read.cut.end), span: span(read.cut.start, read.cut.end) },
    };
  }

  function readHeader(line: Line, p: number): IniHeader {
    const close = text.lastIndexOf(']', line.end - 1);
    if (close < p) throw new LoadError(`unclosed section: ${text.slice(p, line.end)}`, p, trimEnd(text, p, line.end));
    const name = text.slice(p + 1, close);
    if (name === '') throw new LoadError('empty section name', p, close + 1);
    return { name, span: span(p, close + 1), start: p, end: close + 1 };
  }

  let error: IniDocument['error'] = null;
  try {
    while (!reader.eof) {
      const line = reader.read();
      const p = skipSpace(text, line.start, line.end);
      if (p === line.end) continue;
      const first = text[p];
      if (first === '#' || first === ';') {
        const end = trimEnd(text, p, line.end);
        comments.push({ line: index.position(p).line, text: goTrim(text.slice(p + 1, end)), span: span(p, end) });
      } else if (first === '[') {
        const header = readHeader(line, p);
        headers.push(header);
        section = header.name;
        const known = views.get(section);
        if (known) view = known;
        else views.set(section, (view = new SectionBuilder(section)));
        autoNumber = 1;
      } else {
        const entry = readEntry(line, p);
        entries.push(entry);
        view.set(entry.key, entry.value);
      }
    }
  } catch (err) {
    if (!(err instanceof LoadError)) throw err;
    error = { message: err.message, span: span(err.start, err.end) };
  }
  const sections = error ? [] : Array.from(views.values(), (v) => v.view);
  return { file, text, index, bom, error, sections, entries, headers, comments };
}

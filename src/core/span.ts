/**
 * A place in a file. 1-based lines and columns; columns count UTF-16 code units, as editors and
 * SARIF do. `endColumn` is exclusive (the column just after the last character).
 */
export interface Span {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A value read from a config, with where it came from (`span` is null for defaults and the process environment). */
export interface Located<T> {
  value: T;
  span: Span | null;
}

/** Turns offsets in `text` into spans. Line starts are computed once per text. */
export class LineIndex {
  readonly lineStarts: number[];
  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /** The 0-based line of the last lookup: readers ask for offsets in file order, mostly on that line or the next. */
  private recent = 0;

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line: line + 1, column: offset - this.lineStarts[line]! + 1 };
  }

  private lineOf(offset: number): number {
    const starts = this.lineStarts;
    for (let line = this.recent; line <= this.recent + 1 && line < starts.length; line++) {
      if (starts[line]! <= offset && offset < (starts[line + 1] ?? Infinity)) return (this.recent = line);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.recent = lo);
  }

  /** The offset of a 1-based line and column (the inverse of `position`), for fixes built from spans. */
  offset(line: number, column: number): number {
    return (this.lineStarts[line - 1] ?? this.text.length) + column - 1;
  }

  span(start: number, end: number): Span {
    end = Math.max(start, end);
    const line = this.lineOf(start);
    const endLine = this.lineOf(end);
    return { file: this.file, line: line + 1, column: start - this.lineStarts[line]! + 1, endLine: endLine + 1, endColumn: end - this.lineStarts[endLine]! + 1 };
  }

  /** The text of a 1-based line, without its line ending. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }
}

/** The offset just after the line break of the line holding `offset` (or the end of the text). */
export function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** The 0-based column of an offset: how far it is from the start of its line. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

let lastIndex: LineIndex | null = null;

/** The LineIndex of a text, kept for the last one asked: doctor's reader and its reporter index the same large file. */
export function lineIndexOf(text: string, file: string): LineIndex {
  if (lastIndex?.text !== text || lastIndex.file !== file) lastIndex = new LineIndex(text, file);
  return lastIndex;
}

export function formatSpan(span: Pick<Span, 'file' | 'line' | 'column'> | null | undefined, fallbackFile?: string): string {
  if (!span) return fallbackFile ?? '';
  return `${span.file}:${span.line}:${span.column}`;
}

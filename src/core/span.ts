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
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  /** The offset of a 1-based line and column (the inverse of `position`), for fixes built from spans. */
  offset(line: number, column: number): number {
    return (this.lineStarts[line - 1] ?? this.text.length) + column - 1;
  }

  span(start: number, end: number): Span {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { file: this.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
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

export function formatSpan(span: Pick<Span, 'file' | 'line' | 'column'> | null | undefined, fallbackFile?: string): string {
  if (!span) return fallbackFile ?? '';
  return `${span.file}:${span.line}:${span.column}`;
}

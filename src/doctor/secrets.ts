import type { Span } from '../core/span.js';
import { redactIniError } from '../grafana/ini-parse.js';
import type { IniDocument } from '../grafana/ini-types.js';
import { MASK, isSecretKey } from '../core/sanitize.js';

export { MASK, isSecretKey } from '../core/sanitize.js';

/**
 * Returns a function that hides the secret values (given as spans) in a source line before it
 * is printed. A value that spans lines (a YAML block scalar) is hidden on every line it covers.
 */
export function secretMasker(spans: readonly Span[]): (file: string, line: number, text: string) => string {
  return (file, line, text) => {
    const here = spans
      .filter((s) => s.file === file && s.line <= line && line <= s.endLine)
      .sort((a, b) => (b.line === line ? b.column : 1) - (a.line === line ? a.column : 1));
    let out = text;
    for (const s of here) {
      const start = s.line === line ? s.column - 1 : out.length - out.trimStart().length;
      const end = s.endLine === line ? Math.min(s.endColumn - 1, out.length) : out.length;
      if (end > start) out = out.slice(0, start) + MASK + out.slice(end);
    }
    return out;
  };
}

/**
 * go-ini's load error as it may be shown in a sentence: it quotes the offending line (which can hold a
 * secret value) with its line ending (dropped here).
 */
export function shownIniError(error: NonNullable<IniDocument['error']>, doc: IniDocument): string {
  const message = failedLineNamesSecret(doc) ? redactIniError(error.message, MASK) : error.message;
  return message.replace(/\r?\n$/, '');
}

/** Whether the line go-ini could not load names a secret key (then neither its text nor go-ini's quote of it is shown). */
function failedLineNamesSecret(doc: IniDocument): boolean {
  return doc.error !== null && isSecretKey(doc.index.lineText(doc.error.span.line));
}

/**
 * Where a grafana.ini's secret values are: each secret entry's value through any inline comment go-ini
 * cut from it (`password = a#b`: the `#b` is part of what was meant), and a line that did not load when
 * it names a secret key (its excerpt would show the value).
 */
export function iniSecretSpans(doc: IniDocument): Span[] {
  const spans = doc.entries
    .filter((e) => isSecretKey(e.key))
    .map((e) => (e.cutComment ? { ...e.valueSpan, endLine: e.cutComment.span.endLine, endColumn: e.cutComment.span.endColumn } : e.valueSpan));
  const error = doc.error;
  if (error && failedLineNamesSecret(doc)) {
    const text = doc.index.lineText(error.span.line);
    const start = text.length - text.trimStart().length;
    spans.push({ file: doc.file, line: error.span.line, column: start + 1, endLine: error.span.line, endColumn: text.trimEnd().length + 1 });
  }
  return spans;
}

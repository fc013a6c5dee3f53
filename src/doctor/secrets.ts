import type { Span } from '../core/span.js';
import { redactIniError } from '../grafana/ini-parse.js';
import type { IniDocument } from '../grafana/ini-types.js';

/**
 * Option names whose values are secrets in Pomerium, Grafana or an env file: shared_secret,
 * cookie_secret, signing_key, idp_client_secret, client_secret, passwords, tokens, private keys.
 * Paths to such files (`*_file`) are not secrets.
 */
export function isSecretKey(name: string): boolean {
  const key = name.toLowerCase();
  if (key.endsWith('_file') || key.endsWith('__file')) return false;
  return /(secret|password|passwd|signing_key|private_key|api_key|(^|_)token$|connection_string|dsn$)/.test(key);
}

export const MASK = '****';

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
  const message = isSecretKey(doc.index.lineText(error.span.line)) ? redactIniError(error.message, MASK) : error.message;
  return message.replace(/\r?\n$/, '');
}

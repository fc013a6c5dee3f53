import { LineIndex, type Span } from './span.js';

export interface EnvEntry {
  name: string;
  value: string;
  nameSpan: Span;
  valueSpan: Span;
}

/**
 * Reads a `.env` / `--env-file` file: `NAME=value` lines, optional `export `, `#` comments,
 * values optionally in single or double quotes (double quotes understand \n, \" and \\), as
 * docker compose reads them. The last definition of a name wins, as in a shell.
 */
export function parseEnvFile(text: string, file: string): { entries: EnvEntry[]; errors: { message: string; span: Span }[] } {
  const index = new LineIndex(text, file);
  const entries: EnvEntry[] = [];
  const errors: { message: string; span: Span }[] = [];
  const lineCount = index.lineStarts.length;
  for (let line = 1; line <= lineCount; line++) {
    const start = index.lineStarts[line - 1]!;
    const raw = index.lineText(line);
    const m = /^(\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m) {
      if (raw.trim() !== '' && !raw.trim().startsWith('#')) {
        errors.push({ message: `not a NAME=value line: ${JSON.stringify(raw.trim())}`, span: index.span(start, start + raw.length) });
      }
      continue;
    }
    const name = m[3]!;
    const nameStart = start + m[1]!.length + (m[2]?.length ?? 0);
    let value = m[4]!;
    const valueStart = start + raw.indexOf(value, m[1]!.length + (m[2]?.length ?? 0) + name.length);
    const valueEnd = valueStart + value.length;
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    } else if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) {
      value = value.slice(1, -1);
    } else {
      // An unquoted value ends at " #" (an inline comment), as in docker compose.
      const hash = value.search(/\s#/);
      if (hash >= 0) value = value.slice(0, hash).trimEnd();
    }
    entries.push({
      name,
      value,
      nameSpan: index.span(nameStart, nameStart + name.length),
      valueSpan: index.span(valueStart, valueEnd),
    });
  }
  return { entries, errors };
}

/** The entries as a map (last definition wins). */
export function envFileMap(entries: EnvEntry[]): Map<string, EnvEntry> {
  const map = new Map<string, EnvEntry>();
  for (const e of entries) map.set(e.name, e);
  return map;
}

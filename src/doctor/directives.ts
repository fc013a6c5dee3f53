import { findingAt, type Finding } from '../core/finding.js';
import { groupBy } from '../core/group-by.js';
import { LineIndex } from '../core/span.js';

export const UNUSED_DIRECTIVE_RULE = 'meta/unused-disable-directive';

export interface SourceFile {
  file: string;
  text: string;
  /** Comment characters of the format: INI takes `;` and `#`, YAML only `#`. */
  kind: 'ini' | 'yaml';
}

interface Directive {
  file: string;
  line: number;
  column: number;
  endColumn: number;
  /** Empty: every rule. */
  rules: string[];
  used: Set<string>;
}

const MARKER = 'grafana-pomerium-disable-next-line';
const PATTERN = {
  ini: /^(\s*[;#]\s*)grafana-pomerium-disable-next-line\b([^\r\n]*)/,
  yaml: /^(\s*#\s*)grafana-pomerium-disable-next-line\b([^\r\n]*)/,
};

function parseDirectives(source: SourceFile): Directive[] {
  const directives: Directive[] = [];
  // Only a line holding the marker can match: found with indexOf, rather than a regex run on every line.
  let index: LineIndex | undefined;
  for (let at = source.text.indexOf(MARKER); at !== -1; ) {
    index ??= new LineIndex(source.text, source.file);
    const line = index.position(at).line;
    at = source.text.indexOf(MARKER, index.lineStarts[line] ?? source.text.length);
    const text = index.lineText(line);
    const m = PATTERN[source.kind].exec(text);
    if (!m) continue;
    // `-- reason` ends the rule list, as in ESLint.
    const list = m[2]!.split(/\s--\s|\s--$/)[0]!;
    const rules = list.split(/[\s,]+/).filter(Boolean);
    directives.push({ file: source.file, line, column: m[1]!.length + 1, endColumn: text.trimEnd().length + 1, rules, used: new Set() });
  }
  return directives;
}

/**
 * Drops the findings that a `grafana-pomerium-disable-next-line RULE` comment on the line above
 * covers, and reports every directive (or rule named in one) that covered nothing.
 */
export function applyDirectives<F extends Finding>(findings: F[], sources: SourceFile[]): { kept: F[]; unused: Finding[] } {
  const directives = sources.flatMap(parseDirectives);
  // By the line they cover (a file name can come twice, e.g. a manifest and a file it embeds).
  const byCoveredLine = groupBy(directives, (d) => `${d.line + 1}:${d.file}`);
  const kept = findings.filter((f) => {
    const d = byCoveredLine.get(`${f.line}:${f.file}`)?.find((d) => d.rules.length === 0 || d.rules.includes(f.ruleId));
    if (!d) return true;
    d.used.add(d.rules.length === 0 ? '*' : f.ruleId);
    return false;
  });
  const unused: Finding[] = [];
  for (const d of directives) {
    const span = { file: d.file, line: d.line, column: d.column, endLine: d.line, endColumn: d.endColumn };
    const idle = d.rules.length === 0 ? (d.used.size === 0 ? ['*'] : []) : d.rules.filter((r) => !d.used.has(r));
    for (const rule of idle) {
      unused.push(
        findingAt(
          {
            ruleId: UNUSED_DIRECTIVE_RULE,
            severity: 'warning',
            message:
              rule === '*'
                ? 'this disable comment suppresses nothing on the next line'
                : `this disable comment names ${rule}, which reports nothing on the next line`,
            hint: 'remove the comment (or the rule id) so that it does not hide a future finding',
          },
          span,
        ),
      );
    }
  }
  return { kept, unused };
}

import { goTrim } from '../core/go-text.js';

/**
 * Grafana's value expansion (`pkg/setting/expanders.go`), run over every key after the `GF_*` overrides:
 * `${VAR}` and `$__env{VAR}` from the environment, then `$__file{path}` with the file's content,
 * whitespace-trimmed. Other `$__name{…}` forms (Enterprise `$__vault`) stay as written.
 */

/** Reads a file named in the config: its text; null when it does not exist; undefined when that cannot be told here. */
export type ReadConfigFile = (path: string) => string | null | undefined;

export interface ExpansionIssue {
  message: string;
  /** true: Grafana refuses to start; false: this tool could not check (the file is not visible here). */
  fatal: boolean;
}

export interface Expansion {
  value: string;
  /** false when part of the value could not be known here (a `$__file` not visible, `${HOSTNAME}` unset). */
  known: boolean;
  issues: ExpansionIssue[];
  /** What each expanded reference gave (`$__file{/run/x}` → its content): never to be printed, only the reference. */
  substituted: { reference: string; text: string }[];
}

// Go: `\$(|__\w+){([^}]+)}`; `[^}]` also matches line breaks in both engines.
const EXPANSION = /\$(|__\w+)\{([^}]+)\}/g;

type Expander = (arg: string) => { text: string; known: boolean; issue?: ExpansionIssue };

/**
 * Expands one stored value. Mirrors `applyExpander`'s quirks: the matches of a pass are found once, in the text as
 * it was before that pass, and each is replaced at its first occurrence; the env pass runs before the file pass,
 * so `$__file{${DIR}/x}` is read as the file `${DIR` (the first `}` ends the match).
 */
export function expandValue(raw: string, env: Record<string, string | undefined>, readFile: ReadConfigFile): Expansion {
  // Most values (every key of defaults.ini is expanded too) hold no reference: nothing to set up for them.
  if (!raw.includes('$')) return { value: raw, known: true, issues: [], substituted: [] };
  const fromEnv: Expander = (name) => {
    const value = env[name] ?? '';
    // Grafana falls back to os.Hostname() for an empty HOSTNAME: the machine's name, unknown here.
    if (name === 'HOSTNAME' && value === '') return { text: '${HOSTNAME}', known: false };
    return { text: value, known: true };
  };
  const fromFile: Expander = (path) => {
    const text = readFile(path);
    if (typeof text === 'string') return { text: goTrim(text), known: true };
    if (text === null) return { text: '', known: false, issue: { message: `stat ${path}: no such file or directory`, fatal: true } };
    return { text: `$__file{${path}}`, known: false, issue: { message: `cannot read ${path} here to check it`, fatal: false } };
  };
  const passes: [(prefix: string) => boolean, Expander][] = [
    [(prefix) => prefix === '' || prefix === '__env', fromEnv],
    [(prefix) => prefix === '__file', fromFile],
  ];

  let value = raw;
  let known = true;
  const issues: ExpansionIssue[] = [];
  const substituted: Expansion['substituted'] = [];
  for (const [applies, expand] of passes) {
    // Every match ends at a `}`: past the last one, the search would rescan the tail from every `$` (quadratic;
    // Go's regexp is linear), and find nothing.
    const searched = value.slice(0, value.lastIndexOf('}') + 1);
    for (const match of [...searched.matchAll(EXPANSION)]) {
      if (!applies(match[1]!)) continue;
      const result = expand(match[2]!);
      known &&= result.known;
      if (result.issue) {
        issues.push(result.issue);
        // Grafana stops at the first error; the rest of the value does not matter any more.
        if (result.issue.fatal) return { value, known: false, issues, substituted };
      }
      if (result.known && result.text !== '') substituted.push({ reference: match[0], text: result.text });
      value = value.replace(match[0], () => result.text);
    }
  }
  return { value, known, issues, substituted };
}

import type { Span } from './span.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** A text edit that `doctor --fix` can apply; offsets are into the file's text. */
export interface Fix {
  file: string;
  description: string;
  /** Replaces text[start, end) with `text`. */
  edits: { start: number; end: number; text: string }[];
}

/**
 * One problem found by a rule. Data only: reporters format it, the exit code is computed from it.
 * `file`/`line`/`column` are null only when the finding has no place (e.g. a route that does not exist
 * and no file to point at).
 */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  hint?: string;
  fix?: Fix;
}

export function findingAt(
  base: { ruleId: string; severity: Severity; message: string; hint?: string; fix?: Fix },
  span: Span | null,
  fallbackFile: string | null = null,
): Finding {
  return {
    ruleId: base.ruleId,
    severity: base.severity,
    message: base.message,
    file: span?.file ?? fallbackFile,
    line: span?.line ?? null,
    column: span?.column ?? null,
    endLine: span?.endLine ?? null,
    endColumn: span?.endColumn ?? null,
    ...(base.hint !== undefined ? { hint: base.hint } : {}),
    ...(base.fix !== undefined ? { fix: base.fix } : {}),
  };
}

/** Sorts by file, line, column, rule id (stable output for every reporter). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

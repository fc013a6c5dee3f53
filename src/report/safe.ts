// What every reporter prints of a finding: its message and hint with expanded `$__file{}`/`$__env{}` values
// replaced by their reference and secrets masked by key and by shape, and at most MAX_PER_RULE_AND_FILE findings of
// one rule in one file (then one "N more" line), so a file of a million bad keys gives a report a person can read.
import type { Finding } from '../core/finding.js';
import { MASK, hideExpandedValues, isSecretKey, maskSecretShapes } from '../core/sanitize.js';
import type { ReportInput } from './types.js';

export const MAX_PER_RULE_AND_FILE = 50;

// `key = value` inside a sentence, e.g. "[auth.jwt] client_secret = x is ..."
const SENTENCE_ASSIGNMENT = /([A-Za-z0-9_.\-]+)(\s*=\s*)(`[^`]*`|"[^"]*"|\S+)/g;

/** Message text with nothing secret left in it (unless --show-secrets) and no expanded file content. */
export function safeText(text: string, input: Pick<ReportInput, 'hiddenValues' | 'showSecrets'>): string {
  const hidden = hideExpandedValues(text, input.hiddenValues ?? []);
  if (input.showSecrets) return hidden;
  const byKey = hidden.replace(SENTENCE_ASSIGNMENT, (whole, key: string, sep: string) => (isSecretKey(key) ? `${key}${sep}${MASK}` : whole));
  return maskSecretShapes(byKey);
}

/**
 * The findings as reporters print them: safe texts, capped per rule and file. The capped remainder becomes one
 * info finding per rule and file that says how many more there are (at the position of the last one shown).
 */
export function shownFindings(findings: readonly Finding[], input: Pick<ReportInput, 'hiddenValues' | 'showSecrets'>): Finding[] {
  const counts = new Map<string, number>();
  const shown: Finding[] = [];
  const lastShown = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.ruleId}\u0000${f.file ?? ''}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n > MAX_PER_RULE_AND_FILE) continue;
    const safe: Finding = { ...f, message: safeText(f.message, input), ...(f.hint !== undefined ? { hint: safeText(f.hint, input) } : {}) };
    shown.push(safe);
    lastShown.set(key, safe);
  }
  for (const [key, n] of counts) {
    if (n <= MAX_PER_RULE_AND_FILE) continue;
    const last = lastShown.get(key)!;
    const more = n - MAX_PER_RULE_AND_FILE;
    const { hint: _hint, fix: _fix, ...place } = last;
    shown.push({ ...place, severity: last.severity, message: `${more} more ${more === 1 ? 'finding' : 'findings'} of ${last.ruleId} in this file not shown (at most ${MAX_PER_RULE_AND_FILE} per rule and file)` });
  }
  return shown;
}

import { SEVERITY_RANK, type Finding, type Severity } from '../core/finding.js';

/** `--fail-level`: the lowest severity that fails the run; `none` never fails. */
export type FailLevel = Severity | 'none';

export const FAIL_LEVELS: readonly FailLevel[] = ['error', 'warning', 'info', 'none'];

/** 1 when a finding is at or above `failLevel`, else 0 ("could not run" is UserError's exit 2). */
export function getExitCode(findings: readonly Finding[], failLevel: FailLevel): 0 | 1 {
  if (failLevel === 'none') return 0;
  const threshold = SEVERITY_RANK[failLevel];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

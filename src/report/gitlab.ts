// GitLab Code Quality report (artifacts:reports:codequality): a JSON array of issues with the fields
// GitLab's docs require (docs.gitlab.com/ci/testing/code_quality, "Code Quality report format"):
// description, check_name, fingerprint, severity (info, minor, major, critical, blocker), location.path
// (relative to the project) and location.lines.begin.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { sortFindings, type Severity } from '../core/finding.js';
import type { ReportInput } from './types.js';

/** error: it will not work (or a hole) ranks above what merely works badly; GitLab's two top levels are left for nothing of ours. */
const SEVERITY: Record<Severity, 'major' | 'minor' | 'info'> = { error: 'major', warning: 'minor', info: 'info' };

export function formatGitlab(input: ReportInput): string {
  const findings = sortFindings(input.findings);
  // A finding with no file still needs a path: the first file the report read (or "." when none).
  const fallbackPath = [...input.sources.keys()][0] ?? '.';
  const seen = new Map<string, number>();
  const issues = findings.map((f) => {
    const file = projectPath(f.file ?? fallbackPath, input.cwd);
    // Stable across runs and line moves: rule, file and message; a repeat of all three counts up.
    const key = `${f.ruleId}\0${file}\0${f.message}`;
    const repeat = seen.get(key) ?? 0;
    seen.set(key, repeat + 1);
    return {
      description: f.hint === undefined ? f.message : `${f.message} (hint: ${f.hint})`,
      check_name: f.ruleId,
      fingerprint: createHash('sha256').update(`${key}\0${repeat}`).digest('hex'),
      severity: SEVERITY[f.severity],
      location: { path: file, lines: { begin: f.line ?? 1, ...(f.endLine !== null && f.endLine !== f.line ? { end: f.endLine } : {}) } },
    };
  });
  return JSON.stringify(issues, null, 2) + '\n';
}

/** `file` relative to the project folder, with forward slashes, as GitLab matches repository paths. */
function projectPath(file: string, cwd: string): string {
  return path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/') || '.';
}

// GitHub Actions workflow commands (`::error file=…::message`), then the full plain human report,
// since GitHub keeps only the first 10 errors, 10 warnings and 10 notices of a step as annotations
// (actions/runner ExecutionContext.AddIssue, `_maxIssueCount`).
import path from 'node:path';
import { sortFindings, type Finding, type Severity } from '../core/finding.js';
import { escapeControlsInLine } from '../core/sanitize.js';
import { formatHuman } from './human.js';
import { shownFindings } from './safe.js';
import type { ReportInput } from './types.js';

const ANNOTATIONS_PER_SEVERITY = 10;

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function formatGithub(input: ReportInput): string {
  const shown: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const lines: string[] = [];
  let notShown = 0;
  for (const finding of sortFindings(shownFindings(sortFindings(input.findings), input))) {
    if (shown[finding.severity] === ANNOTATIONS_PER_SEVERITY) {
      notShown++;
      continue;
    }
    shown[finding.severity]++;
    lines.push(workflowCommand(finding, input.cwd));
  }
  if (notShown) lines.push(`${notShown} more ${notShown === 1 ? 'finding' : 'findings'} not annotated (see the full report)`);
  const report = formatHuman({ ...input, colors: undefined });
  return lines.length ? `${lines.join('\n')}\n\n${report}` : report;
}

export function workflowCommand(f: Finding, cwd: string): string {
  const properties: [string, string | number | null][] = [
    // Absolute: the runner turns a path under the workspace into a repository path, also from a
    // subdirectory or a container (IssueCommandExtension.ProcessCommand); a relative one it takes as is.
    ['file', f.file === null ? null : path.resolve(cwd, f.file)],
    ['line', f.line],
    ['endLine', f.endLine],
    // The runner drops columns unless line and endLine are equal (ValidateLinesAndColumns).
    ['col', f.line !== null && f.line === f.endLine ? f.column : null],
    ['endColumn', f.line !== null && f.line === f.endLine ? f.endColumn : null],
    ['title', f.ruleId],
  ];
  const list = properties
    .filter((entry): entry is [string, string | number] => entry[1] !== null)
    .map(([key, value]) => `${key}=${escapeProperty(escapeControlsInLine(String(value)))}`)
    .join(',');
  // The message and hint are one line each (their own line breaks shown as `\n`); other controls escaped too, since
  // the runner prints the data in the log as it is.
  const message = f.hint === undefined ? escapeControlsInLine(f.message) : `${escapeControlsInLine(f.message)}\nhint: ${escapeControlsInLine(f.hint)}`;
  return `::${COMMAND[f.severity]} ${list}::${escapeData(message)}`;
}

/** actions/toolkit `escapeData`: `%` first, so the escapes themselves are not escaped again. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** actions/toolkit `escapeProperty`: also `:` and `,`, which end a property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

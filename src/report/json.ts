// Machine-readable report: one compact JSON line (plus newline), so `jq` and line-based tools both work.
// The shape is a contract: keys in this order, `hint` only when present, positions null when unknown.
import { sortFindings, type Finding } from '../core/finding.js';
import { VERSION } from '../version.js';
import { countBySeverity } from './counts.js';
import { TOOL_NAME } from './rule-docs.js';
import { jsonText } from '../core/sanitize.js';
import { shownFindings } from './safe.js';
import type { ReportInput } from './types.js';

export function formatJson(input: ReportInput): string {
  const findings = sortFindings(shownFindings(sortFindings(input.findings), input));
  const report = { tool: TOOL_NAME, version: VERSION, findings: findings.map(toJson), summary: countBySeverity(input.findings) };
  return jsonText(report) + '\n';
}

function toJson(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    ...(f.hint !== undefined ? { hint: f.hint } : {}),
  };
}

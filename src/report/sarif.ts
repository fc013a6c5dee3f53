// SARIF 2.1.0 for GitHub code scanning (upload-sarif). GitHub needs a stable ruleId, a
// repository-relative URI and startLine; it rejects the whole file when one result has no location,
// so findings without a file go to the invocation's notifications instead of the results.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sortFindings, type Finding, type Severity } from '../core/finding.js';
import { VERSION } from '../version.js';
import { TOOL_NAME, ruleHelp } from './rule-docs.js';
import { jsonText } from '../core/sanitize.js';
import { shownFindings } from './safe.js';
import type { ReportInput, RuleInfo } from './types.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function formatSarif(input: ReportInput): string {
  const findings = sortFindings(shownFindings(sortFindings(input.findings), input));
  const rules = ruleDescriptors(input.rules, findings);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const placeless = findings.filter((f) => f.file === null);

  const run = {
    tool: { driver: { name: TOOL_NAME, version: VERSION, semanticVersion: VERSION, rules } },
    ...(placeless.length
      ? {
          invocations: [
            {
              executionSuccessful: true,
              toolExecutionNotifications: placeless.map((f) => ({
                level: LEVEL[f.severity],
                message: { text: messageText(f) },
                associatedRule: { id: f.ruleId, index: ruleIndex.get(f.ruleId)! },
              })),
            },
          ],
        }
      : {}),
    columnKind: 'utf16CodeUnits',
    results: findings
      .filter((f) => f.file !== null)
      .map((f) => ({
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId)!,
        level: LEVEL[f.severity],
        message: { text: messageText(f) },
        locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.file!, input.cwd), ...region(f) } }],
      })),
  };
  return jsonText({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }, 2) + '\n';
}

/** The rules that ran, in the order given, then any rule a finding names that was not among them. */
function ruleDescriptors(rules: readonly RuleInfo[], findings: readonly Finding[]) {
  const known = new Set(rules.map((r) => r.id));
  const extra = [...new Set(findings.map((f) => f.ruleId).filter((id) => !known.has(id)))];
  return [
    ...rules.map((r) => ({
      id: r.id,
      name: pascalCase(r.id),
      shortDescription: { text: r.description },
      ...ruleHelp(r.id),
      defaultConfiguration: { level: LEVEL[r.severity] },
    })),
    ...extra.map((id) => ({ id, name: pascalCase(id), ...ruleHelp(id) })),
  ];
}

/** `grafana/jwt-header-name` → `GrafanaJwtHeaderName` (SARIF's readable rule name). */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

const messageText = (f: Finding) => (f.hint === undefined ? f.message : `${f.message}\nhint: ${f.hint}`);

/** Inside `cwd`: a relative URI against %SRCROOT%, each segment percent-encoded; outside: a file:// URI. */
function artifactLocation(file: string, cwd: string) {
  const relative = repoRelativePath(file, cwd);
  if (relative === null) return { uri: pathToFileURL(path.resolve(cwd, file)).href };
  return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/**
 * `file` relative to `cwd` with forward slashes (what GitHub matches against repository paths),
 * or null when the file lies outside `cwd`.
 */
function repoRelativePath(file: string, cwd: string): string | null {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  const outside = relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return outside ? null : relative.split(path.sep).join('/');
}

function region(f: Finding) {
  if (f.line === null) return {};
  const optional = (key: string, value: number | null) => (value === null ? {} : { [key]: value });
  return {
    region: {
      startLine: f.line,
      ...optional('startColumn', f.column),
      ...optional('endLine', f.endLine),
      ...optional('endColumn', f.endColumn),
    },
  };
}

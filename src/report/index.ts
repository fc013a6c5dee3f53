// Picks the reporter for `doctor --format`.
import { UserError } from '../core/errors.js';
import { formatGithub } from './github.js';
import { formatGitlab } from './gitlab.js';
import { formatHuman } from './human.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import type { Reporter } from './types.js';

export const REPORT_FORMATS = ['human', 'json', 'sarif', 'github', 'gitlab'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const REPORTERS: Record<ReportFormat, Reporter> = { human: formatHuman, json: formatJson, sarif: formatSarif, github: formatGithub, gitlab: formatGitlab };

function isReportFormat(name: string): name is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(name);
}

export function getReporter(name: string): Reporter {
  if (!isReportFormat(name)) {
    throw new UserError(`unknown report format "${name}"`, { hint: `use one of: ${REPORT_FORMATS.join(', ')}` });
  }
  return REPORTERS[name];
}

export { useColor } from './color.js';
export { getExitCode, FAIL_LEVELS, type FailLevel } from './exit-code.js';
export { ruleDocsUrl } from './rule-docs.js';
export type { ReportInput, Reporter, RuleInfo } from './types.js';

import { sortFindings, type Finding } from '../core/finding.js';
import { ALL_RULES } from '../rules/index.js';
import type { Rule } from '../rules/types.js';
import { buildDoctorContext, type DoctorContext, type DoctorInput } from './context.js';
import { applyDirectives } from './directives.js';
import { inEnvForm } from './env-form.js';
import { runRules } from './run-rules.js';

export interface LintResult extends DoctorContext {
  /** Sorted by file, line, column, rule; each carries the message id it came from (none for directive findings). */
  findings: (Finding & { messageId?: string })[];
  rules: readonly Rule[];
}

/** The whole of doctor's judgement, without I/O: models, rules, --ignore, disable comments. */
export function lint(input: DoctorInput, options: { rules?: readonly Rule[]; ignore?: ReadonlySet<string> } = {}): LintResult {
  const rules = options.rules ?? ALL_RULES;
  const context = buildDoctorContext(input);
  const ignore = options.ignore ?? new Set<string>();
  const found = inEnvForm(runRules(rules, context.ctx), context.grafanaEnvForm ?? null).filter((f) => !ignore.has(f.ruleId));
  const { kept, unused } = applyDirectives(found, context.sources);
  return { ...context, rules, findings: sortFindings([...kept, ...unused.filter((f) => !ignore.has(f.ruleId))]) };
}

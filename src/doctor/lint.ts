import { sortFindings, type Finding } from '../core/finding.js';
import { ALL_RULES } from '../rules/index.js';
import type { Rule, RuleContext } from '../rules/types.js';
import { buildDoctorContext, type DoctorContext, type DoctorInput } from './context.js';
import { applyDirectives } from './directives.js';
import { placedInValues, withoutConsequences } from './consequences.js';
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
  const found = withoutConsequences(placedInValues(inEnvForm(runForEachRoute(rules, context.ctx), context.grafanaEnvForm ?? null), context.ctx.helmValues)).filter((f) => !ignore.has(f.ruleId));
  const { kept, unused } = applyDirectives(found, context.sources);
  return { ...context, rules, findings: sortFindings([...kept, ...unused.filter((f) => !ignore.has(f.ruleId))]) };
}

/**
 * Routes with the same `from` told apart by path/prefix that all go to Grafana are one Grafana route:
 * the rules judge each of them, and a finding that does not depend on the route is kept once.
 */
function runForEachRoute(rules: readonly Rule[], ctx: RuleContext): ReturnType<typeof runRules> {
  const choice = ctx.routeChoice;
  const group = choice && 'route' in choice ? choice.group : undefined;
  if (!choice || !group || group.length < 2) return runRules(rules, ctx);
  const seen = new Set<string>();
  return group.flatMap((route) =>
    runRules(rules, { ...ctx, route, routeChoice: { ...choice, route } }).filter((f) => {
      const key = JSON.stringify([f.ruleId, f.file, f.line, f.column, f.message]);
      return !seen.has(key) && Boolean(seen.add(key));
    }),
  );
}

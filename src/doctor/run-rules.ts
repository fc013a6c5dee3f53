import { findingAt } from '../core/finding.js';
import type { Rule, RuleContext, RuleFinding } from '../rules/types.js';

/** Fills `{{name}}` placeholders; a missing value is a bug in the rule, so it shows as `{{name}}`. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in data ? String(data[name]) : whole));
}

/**
 * Runs each rule whose inputs are present. A rule that throws is a bug; it becomes one
 * finding instead of hiding every other rule's findings (flutter doctor's lesson).
 */
export function runRules(rules: readonly Rule[], ctx: RuleContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const state = {
    grafana: !ctx.grafana ? 'missing' : ctx.grafana.doc?.error ? 'unparsed' : 'ok',
    pomerium: !ctx.pomerium ? 'missing' : ctx.pomerium.errors.length > 0 ? 'unparsed' : 'ok',
  } as const;
  for (const rule of rules) {
    const { meta } = rule;
    const runs = meta.requires.every((input) => state[input] === 'ok' || (state[input] === 'unparsed' && meta.judgesUnparsedInput));
    if (!runs) continue;
    try {
      rule.check(ctx, (r) => {
        const template = meta.messages[r.messageId as keyof typeof meta.messages];
        const finding = findingAt(
          {
            ruleId: meta.id,
            severity: r.severity ?? meta.severity,
            message: formatMessage(template ?? r.messageId, r.data),
            ...(r.hint !== undefined ? { hint: formatMessage(r.hint, r.data) } : {}),
            ...(r.fix !== undefined ? { fix: r.fix } : {}),
          },
          r.span,
          r.file ?? null,
        );
        findings.push({ ...finding, messageId: r.messageId });
      });
    } catch (err) {
      findings.push({
        ...findingAt(
          { ruleId: meta.id, severity: 'error', message: `internal error in rule ${meta.id}: ${(err as Error)?.message ?? String(err)}` },
          null,
        ),
        messageId: 'internalError',
      });
    }
  }
  return findings;
}

import { readFileSync } from 'node:fs';
import { GRAFANA_RULES } from '../../../src/rules/grafana/index.js';
import { lintCase, summarize, type LintCase } from '../../helpers/lint.js';

/** The correct grafana.ini every fixture varies. */
export const BASE = readFileSync(new URL('../../fixtures/rules/_base/grafana.ini', import.meta.url), 'utf8');

/** BASE with each `from` replaced by `to` (each must be there). */
export function edit(...pairs: [from: string, to: string][]): string {
  return pairs.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`not in the base: ${from}`);
    return text.replace(from, to);
  }, BASE);
}

/** `messageId @ini:line:col` of one rule's findings, running only the grafana/ rules. */
export function findings(ruleId: string, c: LintCase): string[] {
  return summarize(lintCase(c, GRAFANA_RULES), ruleId).map((s) => s.slice(ruleId.length + 1));
}

export function run(c: LintCase) {
  return lintCase(c, GRAFANA_RULES).findings;
}

import { readFileSync } from 'node:fs';
import { POMERIUM_RULES } from '../../../src/rules/pomerium/index.js';
import { lintCase, summarize, type LintCase } from '../../helpers/lint.js';

/** The correct pomerium.yaml every fixture varies (the Grafana route's `from` is on line 12). */
export const BASE = readFileSync(new URL('../../fixtures/rules/_base/pomerium.yaml', import.meta.url), 'utf8');

/** BASE with each `from` replaced by `to` (each must be there). */
export function edit(...pairs: [from: string, to: string][]): string {
  return pairs.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`not in the base: ${from}`);
    return text.replace(from, to);
  }, BASE);
}

/** `messageId @yaml:line:col` of one rule's findings, running only the pomerium/ rules. */
export function findings(ruleId: string, c: LintCase): string[] {
  return summarize(lintCase(c, POMERIUM_RULES), ruleId).map((s) => s.slice(ruleId.length + 1));
}

export function run(c: LintCase) {
  return lintCase(c, POMERIUM_RULES).findings;
}

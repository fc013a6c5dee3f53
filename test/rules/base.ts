// What the rule tests share: the correct pair every fixture varies, and RuleTester-style helpers.
import { readFileSync } from 'node:fs';
import type { Rule } from '../../src/rules/types.js';
import { lintCase, summarize, type LintCase } from '../helpers/lint.js';

export const BASE_GRAFANA = readFileSync(new URL('../fixtures/rules/_base/grafana.ini', import.meta.url), 'utf8');
export const BASE_POMERIUM = readFileSync(new URL('../fixtures/rules/_base/pomerium.yaml', import.meta.url), 'utf8');

/** `text` with each `from` replaced once by `to`; fails loudly when the base changed under the test. */
export function editText(text: string, ...pairs: [from: string, to: string][]): string {
  return pairs.reduce((t, [from, to]) => {
    if (!t.includes(from)) throw new Error(`base text lacks ${JSON.stringify(from)}`);
    return t.replace(from, to);
  }, text);
}

/** Runs only `rules`: `findings(id, case)` gives `messageId @ini|yaml:line:col` of one rule. */
export function ruleTester(rules: readonly Rule[]) {
  return {
    findings: (ruleId: string, c: LintCase): string[] => summarize(lintCase(c, rules), ruleId).map((s) => s.slice(ruleId.length + 1)),
    run: (c: LintCase) => lintCase(c, rules).findings,
  };
}

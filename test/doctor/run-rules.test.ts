import { describe, expect, it } from 'vitest';
import { formatMessage, runRules } from '../../src/doctor/run-rules.js';
import { defineRule, type Rule } from '../../src/rules/types.js';
import { lintCase } from '../helpers/lint.js';

const probe = (id: string, requires: Rule['meta']['requires'], judgesUnparsedInput = false): Rule =>
  defineRule({
    meta: { id, description: id, severity: 'warning', requires, judgesUnparsedInput, messages: { ran: 'ran' } },
    check: (_ctx, report) => report({ messageId: 'ran', span: null }),
  });

const ids = (rules: Rule[], c: Parameters<typeof lintCase>[0]) => runRules(rules, lintCase(c, []).ctx).map((f) => f.ruleId);

describe('runRules', () => {
  const rules = [probe('p/pomerium', ['pomerium']), probe('p/syntax', ['pomerium'], true), probe('p/grafana', ['grafana']), probe('p/both', ['grafana', 'pomerium'])];

  it('runs a rule only when every input it needs is there', () => {
    expect(ids(rules, { grafana: '[auth.jwt]\nenabled = true\n' })).toEqual(['p/grafana']);
    expect(ids(rules, { pomerium: 'routes: []\n', grafana: '[a]\nk = v\n' })).toEqual(['p/pomerium', 'p/syntax', 'p/grafana', 'p/both']);
  });

  it('skips rules on an input that did not parse, except those that judge the syntax', () => {
    expect(ids(rules, { pomerium: 'routes: [\n', grafana: '[a]\nk = v\n' })).toEqual(['p/syntax', 'p/grafana']);
    expect(ids(rules, { pomerium: 'routes: []\n', grafana: 'no delimiter here\n' })).toEqual(['p/pomerium', 'p/syntax']);
  });

  it('turns a rule that throws into one finding instead of hiding the others', () => {
    const broken = defineRule({ meta: { id: 'p/broken', description: '', severity: 'info', requires: [], messages: {} }, check: () => { throw new Error('boom'); } });
    const found = runRules([broken, probe('p/after', [])], lintCase({}, []).ctx);
    expect(found.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      ['p/broken', 'error', 'internal error in rule p/broken: boom'],
      ['p/after', 'warning', 'ran'],
    ]);
  });
});

describe('formatMessage', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(formatMessage('{{a}} and {{ b }} and {{c}}', { a: 1, b: 'two' })).toBe('1 and two and {{c}}');
  });
});

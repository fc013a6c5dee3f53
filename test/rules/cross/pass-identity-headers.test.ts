import { describe, expect, it } from 'vitest';
import { lintCase, summarize } from '../../helpers/lint.js';
import { edit, GRAFANA, POMERIUM } from './base.js';

const RULE = 'cross/pass-identity-headers';
const withoutKey = edit(POMERIUM, '    pass_identity_headers: true\n', '');

function applyFix(text: string, fix: { edits: { start: number; end: number; text: string }[] }): string {
  return [...fix.edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
}

describe(RULE, () => {
  it('points a missing key at the route from, and its fix sets it on the route', () => {
    const result = lintCase({ grafana: GRAFANA, pomerium: withoutKey });
    expect(summarize(result, RULE)).toEqual([`${RULE} missing @yaml:12:11`]);
    const fixed = applyFix(withoutKey, result.findings.find((f) => f.ruleId === RULE)!.fix!);
    expect(summarize(lintCase({ grafana: GRAFANA, pomerium: fixed }), RULE)).toEqual([]);
  });

  it('fixes a route false by rewriting the value', () => {
    const pomerium = edit(POMERIUM, 'pass_identity_headers: true', 'pass_identity_headers: false');
    const finding = lintCase({ grafana: GRAFANA, pomerium }).findings.find((f) => f.ruleId === RULE)!;
    expect(finding.messageId).toBe('routeFalse');
    expect(applyFix(pomerium, finding.fix!)).toBe(POMERIUM);
  });

  it('reports a global false at the global key', () => {
    const pomerium = edit(withoutKey, 'routes:', 'pass_identity_headers: false\nroutes:');
    expect(summarize(lintCase({ grafana: GRAFANA, pomerium }), RULE)).toEqual([`${RULE} globalFalse @yaml:11:24`]);
  });

  it('renames a misspelled top-level key', () => {
    const pomerium = edit(withoutKey, 'routes:', 'pass-identity-headers: true\nroutes:');
    const finding = lintCase({ grafana: GRAFANA, pomerium }).findings.find((f) => f.ruleId === RULE)!;
    expect(finding.messageId).toBe('misspelled');
    expect(applyFix(pomerium, finding.fix!)).toContain('\npass_identity_headers: true\nroutes:');
  });

  it('accepts the global true from v0.25.0 on', () => {
    const pomerium = edit(withoutKey, 'routes:', 'pass_identity_headers: true\nroutes:');
    expect(summarize(lintCase({ grafana: GRAFANA, pomerium, pomeriumVersion: '0.25.0' }), RULE)).toEqual([]);
    expect(summarize(lintCase({ grafana: GRAFANA, pomerium, pomeriumVersion: '0.24.3' }), RULE)).toEqual([`${RULE} globalTooOld @yaml:11:24`]);
  });
});

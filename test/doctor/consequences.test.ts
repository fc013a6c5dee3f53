// Findings that say the same thing are said once (issue 10 "avoid saying the same thing twice", issue 12 item 7).
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { withoutConsequences } from '../../src/doctor/consequences.js';

function finding(ruleId: string, messageId: string, line: number, extra: Partial<Finding> = {}): Finding & { messageId: string } {
  return { ruleId, messageId, severity: 'warning', message: `${ruleId} ${messageId}`, file: 'grafana.ini', line, column: 1, endLine: line, endColumn: 2, ...extra };
}

describe('the simulated sign-in absorbs a single-setting finding at its line', () => {
  it('keeps the sign-in error, with the absorbed hint first and its fix', () => {
    const fix = { description: 'set the claim', file: 'grafana.ini', edits: [{ start: 0, end: 1, text: 'x' }] };
    const out = withoutConsequences([
      finding('cross/jwt-claims', 'claimNotSent', 4, { hint: 'list it in jwt_claims_headers', fix }),
      finding('cross/sign-in', 'stepFails', 4, { severity: 'error', hint: 'explain --as shows every step' }),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ruleId: 'cross/sign-in', severity: 'error', hint: 'list it in jwt_claims_headers; explain --as shows every step', fix });
  });

  it('leaves findings at other lines, and of other rules, alone', () => {
    const input = [
      finding('cross/jwt-claims', 'claimNotSent', 4),
      finding('cross/sign-in', 'stepFails', 5, { severity: 'error' }),
      finding('grafana/misplaced-key', 'ignored', 5, { severity: 'error' }),
    ];
    expect(withoutConsequences(input)).toEqual(input);
  });
});

import { describe, expect, it } from 'vitest';
import { BASE, edit, findings, run } from './helpers.js';

const ID = 'grafana/jwt-not-enabled';

describe(ID, () => {
  it('reports a missing key at the [auth.jwt] header and offers to add it', () => {
    const grafana = edit(['enabled = true\n', '']);
    expect(findings(ID, { grafana })).toEqual(['missing @ini:10:1']);
    const fix = run({ grafana }).find((f) => f.ruleId === ID)!.fix!;
    const fixed = grafana.slice(0, fix.edits[0]!.start) + fix.edits[0]!.text + grafana.slice(fix.edits[0]!.end);
    expect(findings(ID, { grafana: fixed })).toEqual([]);
  });

  it('reports a file with no [auth.jwt] at all, without a line', () => {
    expect(findings(ID, { grafana: '[server]\nhttp_port = 3000\n' })).toEqual(['missing @ini:-:-']);
  });

  it('reads booleans as go-ini does', () => {
    expect(findings(ID, { grafana: edit(['enabled = true', 'enabled = TRUE']) })).toEqual([]);
    expect(findings(ID, { grafana: edit(['enabled = true', 'enabled = 1']) })).toEqual([]);
    expect(findings(ID, { grafana: edit(['enabled = true', 'enabled = tRUE']) })).toEqual(['invalidBool @ini:11:11']);
    expect(findings(ID, { grafana: edit(['enabled = true', 'enabled = off']) })).toEqual(['disabled @ini:11:11']);
  });

  it('names the earlier line a later duplicate overrides', () => {
    const result = run({ grafana: `${BASE}\n[auth.jwt]\nenabled = false\n` }).filter((f) => f.ruleId === ID);
    expect(result.map((f) => [f.messageId, f.line])).toEqual([['overridden', 25]]);
    expect(result[0]!.message).toContain('line 11');
  });

  it('reports a GF_ variable that turns it off, by name and without a place', () => {
    const [finding] = run({ grafana: BASE, env: { GF_AUTH_JWT_ENABLED: 'false' } }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'overridden', line: null, file: null });
    expect(finding!.message).toContain('GF_AUTH_JWT_ENABLED = false');
    expect(finding!.fix).toBeUndefined();
  });

  it('accepts JWT turned on by a GF_ variable', () => {
    expect(findings(ID, { grafana: edit(['enabled = true\n', '']), env: { GF_AUTH_JWT_ENABLED: 'true' } })).toEqual([]);
  });
});

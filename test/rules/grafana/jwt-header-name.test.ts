import { describe, expect, it } from 'vitest';
import { edit, findings, run } from './helpers.js';

const ID = 'grafana/jwt-header-name';
const header = (value: string) => edit(['header_name = X-Pomerium-Jwt-Assertion', `header_name = ${value}`]);

describe(ID, () => {
  it('accepts any case of X-Pomerium-Jwt-Assertion', () => {
    for (const value of ['X-Pomerium-Jwt-Assertion', 'x-pomerium-jwt-assertion', 'X-POMERIUM-JWT-ASSERTION']) expect(findings(ID, { grafana: header(value) })).toEqual([]);
  });

  it('tells underscores apart from other wrong names', () => {
    expect(findings(ID, { grafana: header('x_pomerium_jwt_assertion') })).toEqual(['underscores @ini:12:15']);
    expect(findings(ID, { grafana: header('X-JWT-Assertion') })).toEqual(['wrong @ini:12:15']);
  });

  it('suggests the header for a typo and fixes the value in place', () => {
    const grafana = header('X-Pomerium-JWT-Asertion');
    const [finding] = run({ grafana }).filter((f) => f.ruleId === ID);
    expect(finding!.hint).toMatch(/^did you mean X-Pomerium-Jwt-Assertion\?/);
    const { start, end, text } = finding!.fix!.edits[0]!;
    expect(grafana.slice(start, end)).toBe('X-Pomerium-JWT-Asertion');
    expect(text).toBe('X-Pomerium-Jwt-Assertion');
  });

  it('reports an empty value at its key, and a missing key at the header', () => {
    expect(findings(ID, { grafana: header('') })).toEqual(['missing @ini:12:1']);
    expect(findings(ID, { grafana: edit(['header_name = X-Pomerium-Jwt-Assertion\n', '']) })).toEqual(['missing @ini:10:1']);
  });

  it('judges the GF_ variable that wins over the file', () => {
    const [finding] = run({ grafana: header('X-Pomerium-Jwt-Assertion'), env: { GF_AUTH_JWT_HEADER_NAME: 'Authorization' } }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'wrong', line: null });
    expect(finding!.message).toContain('GF_AUTH_JWT_HEADER_NAME = Authorization');
  });
});

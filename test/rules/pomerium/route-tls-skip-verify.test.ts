import { describe, expect, it } from 'vitest';
import { BASE, edit, findings } from './base.js';

const ID = 'pomerium/route-tls-skip-verify';
const upstream = (extra: string) => edit(['    to: http://grafana:3000', `    to: https://grafana:3000\n${extra}`]);

describe(ID, () => {
  it('is silent without tls_skip_verify, or with it false', () => {
    expect(findings(ID, { pomerium: BASE })).toEqual([]);
    expect(findings(ID, { pomerium: upstream('    tls_skip_verify: false') })).toEqual([]);
  });

  it("warns on Grafana's route, at the value", () => {
    expect(findings(ID, { pomerium: upstream('    tls_skip_verify: true') })).toEqual(['skipVerify @yaml:14:22']);
    expect(findings(ID, { pomerium: upstream('    tls_skip_verify: "1"') })).toEqual(['skipVerify @yaml:14:22']);
  });

  it('ignores other routes', () => {
    const pomerium = `${BASE}  - from: https://legacy.example.com\n    to: https://legacy:8443\n    tls_skip_verify: true\n`;
    expect(findings(ID, { pomerium, route: 'https://grafana.example.com' })).toEqual([]);
  });
});

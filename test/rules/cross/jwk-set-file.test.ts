import { describe, expect, it } from 'vitest';
import { lintCase } from '../../helpers/lint.js';
import { edit, GRAFANA, POMERIUM } from './base.js';

const RULE = 'cross/jwk-set-file';
const FILE = edit(GRAFANA, 'jwk_set_url = https://grafana.example.com/.well-known/pomerium/jwks.json', 'jwk_set_file = /etc/grafana/jwks.json');
const findings = (grafana: string, grafanaVersion?: string) =>
  lintCase({ grafana, pomerium: POMERIUM, root: true, ...(grafanaVersion ? { grafanaVersion } : {}) }).findings.filter((f) => f.ruleId === RULE);

describe(RULE, () => {
  it('says what a missing file does in the Grafana version given', () => {
    expect(findings(FILE, '12.2.0').map((f) => [f.messageId, f.message.includes('Grafana refuses to start')])).toEqual([['missing', true]]);
    expect(findings(FILE, '13.2.0').map((f) => [f.messageId, f.message.includes('jwt auth not configured')])).toEqual([['missing', true]]);
  });

  it('says nothing while JWT auth is off (Grafana loads the key set only when it is on)', () => {
    expect(findings(edit(FILE, 'enabled = true', 'enabled = false'))).toEqual([]);
  });
});

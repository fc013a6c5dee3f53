import { describe, expect, it } from 'vitest';
import { BASE, edit, findings, run } from './helpers.js';

const ID = 'grafana/file-expansion';
const withSecret = `${BASE}\n[security]\nadmin_password = $__file{/run/secrets/admin}\n`;

describe(ID, () => {
  it('is an error, quoting Grafana, when --root says the file is missing', () => {
    const [finding] = run({ grafana: withSecret, root: true }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'missingFile', severity: 'error', line: 25, column: 18 });
    expect(finding!.message).toContain("got error while expanding security.admin_password with expander 'file'");
  });

  it('is "could not check" when the file is not visible here, and clean when it exists', () => {
    const [finding] = run({ grafana: withSecret }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'notVisible', severity: 'info', line: 25 });
    expect(findings(ID, { grafana: withSecret, files: { '/run/secrets/admin': 'x\n' }, root: true })).toEqual([]);
  });

  it('reports $VAR without braces and adds them', () => {
    const grafana = edit(['https://grafana.example.com/.well-known', 'https://$GRAFANA_HOST/.well-known']);
    const [finding] = run({ grafana }).filter((f) => f.ruleId === ID);
    // pkg/setting/expanders.go expandConfig matches only ${…}/$__name{…}: `$NAME` stays literal, the value is not what was meant (error).
    expect(finding).toMatchObject({ messageId: 'bareVariable', severity: 'error', line: 15, column: 15 });
    expect(finding!.message).toContain('`$GRAFANA_HOST`');
    const e = finding!.fix!.edits[0]!;
    expect(grafana.slice(0, e.start) + e.text + grafana.slice(e.end)).toContain('jwk_set_url = https://${GRAFANA_HOST}/.well-known');
  });

  it('leaves braces, $__ expanders, secrets and unmodelled sections alone', () => {
    const grafana = edit(['https://grafana.example.com/.well-known', 'https://${GRAFANA_HOST}/.well-known']);
    expect(findings(ID, { grafana, env: { GRAFANA_HOST: 'grafana.example.com' } })).toEqual([]);
    expect(findings(ID, { grafana: `${BASE}\n[security]\nadmin_password = pa$word\ncontent_security_policy_template = script-src $NONCE\n` })).toEqual([]);
  });
});

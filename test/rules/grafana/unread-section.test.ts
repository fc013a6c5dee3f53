import { describe, expect, it } from 'vitest';
import { intendedSection } from '../../../src/rules/grafana/unread-section.js';
import { BASE, edit, findings, run } from './helpers.js';

const ID = 'grafana/unread-section';

describe(ID, () => {
  it.each([
    [' auth.jwt ', 'auth.jwt'],
    ['Auth.JWT', 'auth.jwt'],
    ['auth.JWT', 'auth.jwt'],
    ['auth_jwt', 'auth.jwt'],
    ['auth-jwt', 'auth.jwt'],
    ['jwt', 'auth.jwt'],
    ['auth.jwt.', 'auth.jwt'],
    ['auth..jwt', 'auth.jwt'],
    ['auth.jtw', 'auth.jwt'],
    ['Users', 'users'],
  ])('[%s] was meant to be [%s]', (name, intended) => {
    expect(intendedSection(name)).toBe(intended);
  });

  it.each(['auth.jwt', 'database', 'security', 'auth.generic_oauth', 'auth.ldap', 'log.console', 'DEFAULT'])('[%s] is left alone', (name) => {
    expect(intendedSection(name)).toBeUndefined();
  });

  it('points at the header and renames it', () => {
    const grafana = edit(['[auth.jwt]', '[ Auth.JWT ]']);
    const [finding] = run({ grafana }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'misspelled', severity: 'error', line: 10, column: 1, endColumn: 13 });
    expect(finding!.message).toContain('" Auth.JWT "');
    const e = finding!.fix!.edits[0]!;
    expect(grafana.slice(0, e.start) + e.text + grafana.slice(e.end)).toBe(BASE);
  });

  it('reports a key written on the header line, names only the key, and moves it to its own line', () => {
    const grafana = edit(['[auth.jwt]\nenabled = true', '[auth.jwt]  enabled = true']);
    const [finding] = run({ grafana }).filter((f) => f.ruleId === ID);
    expect(finding).toMatchObject({ messageId: 'swallowedKey', line: 10, column: 13, endColumn: 27 });
    expect(finding!.message).toContain('`enabled`');
    const e = finding!.fix!.edits[0]!;
    expect(grafana.slice(0, e.start) + e.text + grafana.slice(e.end)).toBe(BASE);
  });

  it('never quotes the value of a swallowed key', () => {
    const [finding] = run({ grafana: `${BASE}\n[security] admin_password = hunter2\n` }).filter((f) => f.ruleId === ID);
    expect(finding!.message).not.toContain('hunter2');
  });

  it('accepts a comment after the header', () => {
    expect(findings(ID, { grafana: edit(['[auth.jwt]', '[auth.jwt] ; JWT from Pomerium']) })).toEqual([]);
    expect(findings(ID, { grafana: BASE })).toEqual([]);
  });
});

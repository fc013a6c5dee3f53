import { describe, expect, it } from 'vitest';
import { BASE, edit, findings, run } from './base.js';

const ID = 'pomerium/yaml-syntax';

describe(ID, () => {
  it('is silent on a file that parses', () => {
    expect(findings(ID, { pomerium: BASE })).toEqual([]);
  });

  it('reports a duplicate key at the second one', () => {
    const pomerium = edit(['    preserve_host_header: true\n', '    preserve_host_header: true\n    to: http://other:3000\n']);
    expect(findings(ID, { pomerium })).toEqual(['syntax @yaml:16:5']);
  });

  it('reports an unclosed flow list where the parser gives up', () => {
    const pomerium = 'routes:\n  - from: https://grafana.example.com\n    to: [http://grafana:3000\n';
    const [first] = findings(ID, { pomerium });
    expect(first).toMatch(/^syntax @yaml:[34]:\d+$/);
  });

  it('reports a top level that is not a mapping', () => {
    // A list of routes is read as a fragment (input/form); any other list is not a config.
    expect(findings(ID, { pomerium: '- grafana.example.com\n- http://grafana:3000\n' })).toEqual(['syntax @yaml:1:1']);
  });

  it('reports a ROUTES variable that is not base64 of YAML, without a line', () => {
    expect(findings(ID, { pomerium: BASE, env: { ROUTES: 'not base64!' } })).toEqual(['syntax @yaml:-:-']);
  });

  it('never quotes the text of a secret in the message', () => {
    const pomerium = 'shared_secret: "c2VjcmV0LXZhbHVl\nroutes: []\n';
    const found = run({ pomerium }).filter((f) => f.ruleId === ID);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(f.message).not.toContain('c2VjcmV0');
  });
});

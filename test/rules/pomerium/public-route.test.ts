import { describe, expect, it } from 'vitest';
import { publicAcceptPath } from '../../../src/rules/pomerium/public-route.js';
import { BASE, edit, findings } from './base.js';

const ID = 'pomerium/public-route';
const policy = (text: string) => edit([BASE.slice(BASE.indexOf('    policy:')), text]);

describe(ID, () => {
  it('is silent on a route that allows only some users', () => {
    expect(findings(ID, { pomerium: BASE })).toEqual([]);
    expect(findings(ID, { pomerium: policy('    policy:\n      allow:\n        and:\n          - accept: true\n          - domain: {is: example.com}\n') })).toEqual([]);
  });

  it('errors on allow_public_unauthenticated_access, at its value', () => {
    const pomerium = edit(['    preserve_host_header: true', '    preserve_host_header: true\n    allow_public_unauthenticated_access: true']);
    expect(findings(ID, { pomerium })).toEqual(['legacyPublic @yaml:16:42']);
    expect(findings(ID, { pomerium: pomerium.replace('access: true', 'access: false') })).toEqual([]);
  });

  it('errors on PPL accept in an allow/or block, at the accept value', () => {
    const pomerium = edit(['            - domain:', '            - accept: true\n            - domain:']);
    expect(findings(ID, { pomerium })).toEqual(['pplAccept @yaml:19:23']);
  });

  it('finds accept in JSON-style policies and in a second rule', () => {
    const pomerium = policy('    policy: [{allow: {or: [{email: {is: a@example.com}}]}}, {allow: {and: [{accept: false}]}}]\n');
    expect(findings(ID, { pomerium })).toEqual(['pplAccept @yaml:16:85']);
  });

  it("only looks at Grafana's route", () => {
    const pomerium = `${BASE}  - from: https://status.example.com\n    to: http://status:8080\n    allow_public_unauthenticated_access: true\n`;
    expect(findings(ID, { pomerium, route: 'https://grafana.example.com' })).toEqual([]);
  });
});

describe('publicAcceptPath', () => {
  it('follows the PPL shapes', () => {
    expect(publicAcceptPath({ allow: { or: [{ domain: { is: 'x' } }, { accept: true }] } })).toEqual(['allow', 'or', 1, 'accept']);
    expect(publicAcceptPath([{ deny: { or: [{ accept: true }] } }])).toBeNull();
    expect(publicAcceptPath([{ allow: { not: [{ accept: true }] } }])).toBeNull();
    expect(publicAcceptPath(null)).toBeNull();
  });
});

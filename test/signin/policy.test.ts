import { describe, expect, it } from 'vitest';
import { readPomeriumConfig } from '../../src/pomerium/read.js';
import { evaluatePolicy, representativeUser, type PolicyUser } from '../../src/signin/policy.js';

function route(yaml: string) {
  const model = readPomeriumConfig(`routes:\n  - from: https://grafana.example.com\n    to: http://grafana:3000\n${yaml}`, 'pomerium.yaml');
  return model.routes[0]!;
}

const user = (email: string, groups: string[] = []): PolicyUser => ({ email, groups, sub: email, claims: {} });

describe('evaluatePolicy, as Pomerium v0.33.1 generates Rego from PPL', () => {
  it('admits by email and domain, and refuses others', () => {
    const r = route('    policy:\n      - allow:\n          or:\n            - email:\n                is: alice@example.com\n            - domain:\n                is: corp.example\n');
    expect(evaluatePolicy(r, user('alice@example.com')).admitted).toBe(true);
    expect(evaluatePolicy(r, user('bob@corp.example')).admitted).toBe(true);
    expect(evaluatePolicy(r, user('eve@evil.example')).admitted).toBe(false);
  });

  it('denies everyone without an allow rule (generator.go: default allow := [false, set()])', () => {
    const r = route('    policy:\n      - deny:\n          or:\n            - domain:\n                is: example.com\n');
    expect(evaluatePolicy(r, user('alice@other.example'))).toMatchObject({ admitted: false, detail: expect.stringMatching(/no allow rule/) });
  });

  it('a matching deny rule wins over an allow', () => {
    const r = route('    policy:\n      - allow:\n          or:\n            - domain:\n                is: example.com\n        deny:\n          or:\n            - email:\n                is: mallory@example.com\n');
    expect(evaluatePolicy(r, user('alice@example.com')).admitted).toBe(true);
    expect(evaluatePolicy(r, user('mallory@example.com')).admitted).toBe(false);
  });

  // conditionals.go v0.33.1: "NOT => (NOT A) AND (NOT B)" and "NOR => (NOT A) OR (NOT B)".
  it('reads not as none-of and nor as not-all-of, as Pomerium does', () => {
    const not = route('    policy:\n      - allow:\n          not:\n            - email:\n                is: a@example.com\n            - email:\n                is: b@example.com\n');
    expect(evaluatePolicy(not, user('a@example.com')).admitted).toBe(false);
    expect(evaluatePolicy(not, user('c@example.com')).admitted).toBe(true);
    const nor = route('    policy:\n      - allow:\n          nor:\n            - domain:\n                is: example.com\n            - email:\n                is: a@example.com\n');
    // a@example.com matches both: NOT A OR NOT B is false; b@example.com fails the email one: true.
    expect(evaluatePolicy(nor, user('a@example.com')).admitted).toBe(false);
    expect(evaluatePolicy(nor, user('b@example.com')).admitted).toBe(true);
  });

  it('legacy allowed_users and allowed_domains become one allow.or block (config/policy_ppl.go)', () => {
    const r = route('    allowed_users: [alice@example.com]\n    allowed_domains: [corp.example]\n');
    expect(evaluatePolicy(r, user('alice@example.com')).admitted).toBe(true);
    expect(evaluatePolicy(r, user('x@corp.example')).admitted).toBe(true);
    expect(evaluatePolicy(r, user('x@example.com')).admitted).toBe(false);
  });

  it('string matchers: ends_with, in, not (criteria/matchers.go), all operators must hold', () => {
    const r = route('    policy:\n      allow:\n        and:\n          - email:\n              ends_with: "@example.com"\n              not: root@example.com\n');
    expect(evaluatePolicy(r, user('alice@example.com')).admitted).toBe(true);
    expect(evaluatePolicy(r, user('root@example.com')).admitted).toBe(false);
    const inList = route('    policy:\n      allow:\n        or:\n          - email:\n              in: [a@x.example, b@x.example]\n');
    expect(evaluatePolicy(inList, user('b@x.example')).admitted).toBe(true);
  });

  it('groups: has by default, is = exactly one group (matchStringList)', () => {
    const r = route('    policy:\n      allow:\n        and:\n          - groups:\n              has: admins\n');
    expect(evaluatePolicy(r, user('a@example.com', ['ops', 'admins'])).admitted).toBe(true);
    expect(evaluatePolicy(r, user('a@example.com', ['ops'])).admitted).toBe(false);
    const exact = route('    policy:\n      allow:\n        and:\n          - groups:\n              is: admins\n');
    expect(evaluatePolicy(exact, user('a@example.com', ['ops', 'admins'])).admitted).toBe(false);
  });

  it('accept ignores its value; request-dependent criteria are unknown', () => {
    expect(evaluatePolicy(route('    policy:\n      allow:\n        or:\n          - accept: false\n'), user('a@b.example')).admitted).toBe(true);
    expect(evaluatePolicy(route('    policy:\n      allow:\n        and:\n          - http_method: GET\n'), user('a@b.example')).admitted).toBe('unknown');
  });
});

describe('representativeUser', () => {
  it('takes an email the policy names, else someone at its domain, with its groups', () => {
    expect(representativeUser(route('    policy:\n      allow:\n        or:\n          - email:\n              is: you@example.com\n')).user.email).toBe('you@example.com');
    const d = representativeUser(route('    policy:\n      allow:\n        and:\n          - domain:\n              is: corp.example\n          - groups:\n              has: grafana\n'));
    expect(d.user).toMatchObject({ email: 'user@corp.example', groups: ['grafana'] });
    expect(representativeUser(route('    allow_any_authenticated_user: true\n'))).toMatchObject({ named: false, user: { email: 'user@example.com' } });
  });
});

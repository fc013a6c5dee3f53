import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintCase } from '../../helpers/lint.js';

const RULE = 'cross/key-file';
const DIR = new URL('../../fixtures/rules/cross/key-file/', import.meta.url);
const caseOf = (name: string) => {
  const read = (f: string) => readFileSync(new URL(`${name}/${f}`, DIR), 'utf8');
  let options = {};
  try {
    options = JSON.parse(read('case.json'));
  } catch {
    // no case.json
  }
  return lintCase({ grafana: read('grafana.ini'), pomerium: read('pomerium.yaml'), ...options }).findings.filter((f) => f.ruleId === RULE);
};

describe(RULE, () => {
  it('grades each case by the severity rule', () => {
    // key_sets.go initKeySet + go-jose JSONWebKeySet.Key: no matching kid, "no keys found" on every token: error.
    expect(caseOf('empty-key-id').map((f) => [f.messageId, f.severity])).toEqual([['emptyKeyId', 'error']]);
    expect(caseOf('wrong-key-id').map((f) => [f.messageId, f.severity])).toEqual([['wrongKeyId', 'error']]);
    expect(caseOf('before-key-id').map((f) => [f.messageId, f.severity])).toEqual([['noKeyId', 'error']]);
    // go-jose signing.go newVerifier: no case for private keys (ErrUnsupportedKeyType): error.
    expect(caseOf('private-key').map((f) => [f.messageId, f.severity])).toEqual([['privateKey', 'error']]);
    // PR #72711's release (10.1 or 10.2) is not confirmed: a warning in 10.1.
    expect(caseOf('key-id-in-doubt').map((f) => [f.messageId, f.severity])).toEqual([['keyIdMaybe', 'warning']]);
  });

  it('names the kid Pomerium signs with (pkg/cryptutil/jose.go: hex of the SHA-256 thumbprint) in the hint', () => {
    expect(caseOf('empty-key-id')[0]!.hint).toBe('set [auth.jwt] key_id = cfd7d80ed746208d9730ec4dbd5de5e97eff0cd2dc4f88a6d5d90e207ebc9fff');
  });

  it('never prints the private key', () => {
    const [finding] = caseOf('private-key');
    expect(`${finding!.message} ${finding!.hint}`).not.toContain('MHcCAQEE');
  });
});

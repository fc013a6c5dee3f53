import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASE, edit, findings, run } from './base.js';

const ID = 'pomerium/signing-key';
const key = (name: string) => readFileSync(new URL(`../../fixtures/jwks/${name}`, import.meta.url), 'utf8').trim();
const SIGNING_LINE = BASE.split('\n').find((l) => l.startsWith('signing_key:'))!;
const withKey = (value: string) => edit([SIGNING_LINE, `signing_key: ${value}`]);
const noKey = edit([`${SIGNING_LINE}\n`, '']);
const noKeyNoSecret = noKey.replace(/^shared_secret:.*\n/m, '');

describe(ID, () => {
  it('is silent on a valid P-256 or RSA key', () => {
    expect(findings(ID, { pomerium: BASE })).toEqual([]);
    expect(findings(ID, { pomerium: withKey(key('rsa-2048.b64')) })).toEqual([]);
  });

  it('errors without a key before v0.33, at shared_secret', () => {
    expect(findings(ID, { pomerium: noKey, pomeriumVersion: '0.32.7' })).toEqual(['missingEmptyJwks @yaml:3:1']);
    expect(findings(ID, { pomerium: noKey, pomeriumVersion: '0.20.0' })).toEqual(['missingEmptyJwks @yaml:3:1']);
  });

  it('says the key is derived from shared_secret on v0.33+ (info)', () => {
    const [f] = run({ pomerium: noKey, pomeriumVersion: '0.33.0' }).filter((x) => x.ruleId === ID);
    expect([f!.messageId, f!.severity, f!.line]).toEqual(['derived', 'info', 3]);
  });

  it('errors with neither signing_key nor shared_secret on v0.33+, at the first option', () => {
    expect(findings(ID, { pomerium: noKeyNoSecret })).toEqual(['missingNoSecret @yaml:2:1']);
  });

  it('reads shared_secret_file (it wins over shared_secret) verbatim, or says it could not check it', () => {
    const secret = /^shared_secret: (\S+)$/m.exec(noKey)![1]!;
    const withFile = noKey.replace(/^shared_secret:.*$/m, 'shared_secret_file: /run/secrets/shared');
    const derived = run({ pomerium: withFile, files: { '/run/secrets/shared': secret } }).filter((x) => x.ruleId === ID);
    expect(derived.map((f) => [f.messageId, f.severity])).toEqual([['derived', 'info']]);
    // Pomerium does not trim the file: a trailing newline is "shared secret contains whitespace" (GetSharedKey,
    // v0.33.1 config/options.go), and Options.Validate refuses to start: pomerium/invalid-value says that, not this rule.
    expect(findings(ID, { pomerium: withFile, files: { '/run/secrets/shared': `${secret}\n` } })).toEqual([]);
    expect(findings('pomerium/invalid-value', { pomerium: withFile, files: { '/run/secrets/shared': `${secret}\n` } })).toEqual(['sharedSecret @yaml:3:1']);
    expect(findings(ID, { pomerium: withFile })).toEqual(['fileUnknown @yaml:3:1']);
    expect(findings(ID, { pomerium: withFile, root: true })).toEqual(['fileMissing @yaml:3:1']);
    expect(run({ pomerium: withFile }).find((f) => f.ruleId === ID)!.message).toContain('could not check shared_secret_file /run/secrets/shared');
  });

  it('leaves a shared_secret Pomerium refuses to pomerium/invalid-value, and never suggests signing_key for it', () => {
    // Options.Validate -> GetSharedKey -> base64.StdEncoding.DecodeString fails: "config: invalid shared secret" (v0.33.1 config/options.go).
    const bad = noKey.replace(/^shared_secret:.*$/m, 'shared_secret: not base64!');
    expect(findings(ID, { pomerium: bad })).toEqual([]);
    const [refused] = run({ pomerium: bad }).filter((f) => f.ruleId === 'pomerium/invalid-value');
    expect([refused!.messageId, refused!.severity, refused!.line]).toEqual(['sharedSecret', 'error', 3]);
    expect(refused!.message).toBe('Pomerium refuses to start ("config: invalid shared secret"): shared_secret is not valid standard base64 (with "=" padding)');
    expect(refused!.hint).not.toContain('signing_key');
    // With a signing key too, Validate still checks the shared secret first.
    const withBoth = withKey(key('ec-p256.b64')).replace(/^shared_secret:.*$/m, 'shared_secret: not base64!');
    expect(findings('pomerium/invalid-value', { pomerium: withBoth })).toEqual(['sharedSecret @yaml:3:16']);
  });

  it('errors on keys Pomerium cannot use, never quoting them', () => {
    expect(findings(ID, { pomerium: withKey(key('ed25519.b64')) })).toEqual(['unsupported @yaml:5:1']);
    const p384 = Buffer.from(key('p384-sec1.pem')).toString('base64');
    expect(findings(ID, { pomerium: withKey(p384) })).toEqual(['unsupported @yaml:5:1']);
    expect(findings(ID, { pomerium: withKey('bm90IGEga2V5') })).toEqual(['invalid @yaml:5:1']);
    const publicOnly = Buffer.from(key('ec-p256-public.pem')).toString('base64');
    const found = run({ pomerium: withKey(publicOnly) }).filter((f) => f.ruleId === ID);
    expect(found.map((f) => f.messageId)).toEqual(['cannotSign']);
    for (const f of run({ pomerium: withKey('bm90IGEga2V5') })) expect(`${f.message} ${f.hint ?? ''}`).not.toContain('bm90IGEga2V5');
  });

  it('reads signing_key_file: could not check, missing under --root, empty, or both set', () => {
    const file = edit([SIGNING_LINE, 'signing_key_file: /run/secrets/signing.pem']);
    const [unknown] = run({ pomerium: file }).filter((f) => f.ruleId === ID);
    expect([unknown!.messageId, unknown!.severity, unknown!.line]).toEqual(['fileUnknown', 'info', 5]);
    expect(findings(ID, { pomerium: file, root: true })).toEqual(['fileMissing @yaml:5:1']);
    expect(findings(ID, { pomerium: file, files: { '/run/secrets/signing.pem': '\n' } })).toEqual(['empty @yaml:5:1']);
    const both = edit([SIGNING_LINE, `${SIGNING_LINE}\nsigning_key_file: /run/secrets/signing.pem`]);
    const pem = readFileSync(new URL('../../fixtures/jwks/ec-p256-sec1.pem', import.meta.url), 'utf8');
    expect(findings(ID, { pomerium: both, files: { '/run/secrets/signing.pem': pem } })).toEqual(['both @yaml:5:1']);
  });
});

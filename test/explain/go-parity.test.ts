// explain against what Grafana's libraries decide, token class by token class.
//
// Sources (grafana/grafana, newest read, read through the project's source index; the go-jose release is
// the module in /work/.mirror/go-jose+go-jose at tag v4.1.4):
//   AUTH  = pkg/services/auth/jwt/auth.go (Verify, HasSubClaim, sanitizeJWT)
//   VALID = pkg/services/auth/jwt/validation.go (validateClaims)
//   KEYS  = pkg/services/auth/jwt/key_sets.go (initKeySet, keySetJWKS.Key)
//   CLIENT= pkg/services/authn/clients/jwt.go (JWT.Test, JWT.Authenticate, extractGroups, extractOrgs)
//   ORG   = pkg/login/social/connectors/org_role_mapper.go (MapOrgRoles, ParseOrgMappingSettings, splitOrgMapping)
//   SPLIT = pkg/util/strings.go (SplitString)
//   JOSE  = go-jose v4.1.4: jws.go (parseSignedCompact), signing.go (DetachedVerify), shared.go (checkSupportedCritical),
//           symmetric.go (symmetricMac.hmac), asymmetric.go (verifyPayload), jwk.go (JSONWebKey.UnmarshalJSON),
//           json/decode.go (object: "duplicate key"), jwt/claims.go (NumericDate, Audience), jwt/validation.go (ValidateWithLeeway)
// Every outcome below was also run through a throwaway Go program (go-jose v4.1.4, Grafana's Verify /
// HasSubClaim / validateClaims logic, amd64) outside this repository: VERIFIED, REJECTED or SKIPPED (Test).
import { constants, createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { readKeySetAsGrafana } from '../../src/explain/jwks.js';
import { parseOrgMapping, splitString } from '../../src/explain/role.js';
import type { JwtSettings } from '../../src/explain/steps.js';
import { readTokenInput } from '../../src/explain/token.js';
import { explainToken, type Explanation } from '../../src/explain/verdict.js';
import { BASE_JWT_SETTINGS } from '../helpers/jwt-settings.js';

const NOW = 1795999227;
const GRAFANA = '13.0.0';
const b64 = (b: string | Buffer) => Buffer.from(b).toString('base64url');

let ec: { privateKey: KeyObject; publicKey: KeyObject };
let rsa: { privateKey: KeyObject; publicKey: KeyObject };
let ed: { privateKey: KeyObject; publicKey: KeyObject };
let ecJwk: Record<string, unknown>;
let rsaJwk: Record<string, unknown>;
let edJwk: Record<string, unknown>;

beforeAll(() => {
  ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  ed = generateKeyPairSync('ed25519');
  ecJwk = { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec' };
  rsaJwk = { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa' };
  edJwk = { ...ed.publicKey.export({ format: 'jwk' }), kid: 'ed' };
});

/** A compact JWS over exactly these header and payload texts (so duplicates and odd numbers survive). */
function token(headerText: string, payloadText: string, alg = 'ES256', secret?: Buffer): string {
  const input = `${b64(headerText)}.${b64(payloadText)}`;
  const data = Buffer.from(input);
  let sig: Buffer;
  if (alg === 'ES256') sig = sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'EdDSA') sig = sign(null, data, ed.privateKey);
  else if (alg.startsWith('RS')) sig = sign(`sha${alg.slice(2)}`, data, rsa.privateKey);
  else if (alg.startsWith('PS')) sig = sign(`sha${alg.slice(2)}`, data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 });
  else if (alg.startsWith('HS')) sig = createHmac(`sha${alg.slice(2)}`, secret!).update(input).digest();
  else sig = Buffer.alloc(0);
  return `${input}.${b64(sig)}`;
}

const header = (kid = 'ec', alg = 'ES256', extra: Record<string, unknown> = {}) => JSON.stringify({ alg, kid, ...extra });
const payload = (extra: Record<string, unknown> = {}) => JSON.stringify({ sub: 'u1', email: 'a@example.com', iat: NOW - 60, exp: NOW + 240, ...extra });
/** A payload with one claim written as raw JSON text (1e300, a duplicate member, ...). */
const rawClaim = (name: string, json: string) => payload({ [name]: 0 }).replace(`"${name}":0`, `"${name}":${json}`);

const SETTINGS: JwtSettings = { ...BASE_JWT_SETTINGS };

function explain(tok: string, opts: { keys?: unknown[]; settings?: Partial<JwtSettings>; version?: string } = {}): Explanation {
  const keySet = readKeySetAsGrafana(JSON.stringify({ keys: opts.keys ?? [ecJwk] }), 'jwk_set_file jwks.json');
  return explainToken({
    intake: readTokenInput(tok),
    settings: { ...SETTINGS, ...opts.settings },
    keySet,
    pomeriumKids: null,
    at: new Date(NOW * 1000),
    grafanaVersion: opts.version ?? GRAFANA,
  });
}

const failing = (e: Explanation) => e.steps.find((s) => !s.ok && e.summary.endsWith(s.detail))?.step;

describe('valid tokens and times (JOSE jwt/validation.go ValidateWithLeeway, leeway 1m)', () => {
  it('valid ES256 token: accepted', () => {
    // Go probe: VERIFIED.
    expect(explain(token(header(), payload())).outcome).toBe('accepted');
  });

  it('exp exactly one leeway ago: accepted; one second more: rejected as expired', () => {
    // ValidateWithLeeway: now-1m After exp is false at equality -> VERIFIED; exp = now-61 -> ErrExpired.
    expect(explain(token(header(), payload({ exp: NOW - 60 }))).outcome).toBe('accepted');
    const past = explain(token(header(), payload({ exp: NOW - 61 })));
    expect(past.outcome).toBe('rejected');
    expect(past.summary).toContain('token is expired (exp): it expired 1m1s ago');
  });

  it('a fractional exp truncates toward zero (NumericDate(float64) -> int64): NOW-60.5 is NOW-61, expired', () => {
    // jwt/claims.go NumericDate UnmarshalJSON / validation.go NumericDate(floatValue): Go truncates. Probe: expired.
    expect(explain(token(header(), payload({ exp: NOW - 60.5 }))).outcome).toBe('rejected');
  });

  it('nbf one leeway ahead: accepted; one second more: not valid yet; iat beyond the leeway: issued in the future', () => {
    // ValidateWithLeeway: now+1m Before nbf / iat. Probe: VERIFIED, ErrNotValidYet, ErrIssuedInTheFuture.
    expect(explain(token(header(), payload({ nbf: NOW + 60 }))).outcome).toBe('accepted');
    expect(explain(token(header(), payload({ nbf: NOW + 61 }))).summary).toContain('token not valid yet (nbf)');
    expect(explain(token(header(), payload({ iat: NOW + 61 }))).summary).toContain('token issued in the future (iat)');
  });
});

describe('claim types: Test() skips, validateClaims rejects (CLIENT JWT.Test -> AUTH HasSubClaim -> jwt.Claims)', () => {
  // jwt.Claims decode fails -> HasSubClaim false -> Test false: the client is skipped. Probe: SKIPPED (Test) for each.
  const skipped: [string, string][] = [
    ['iss', '1'],
    ['sub', '1'],
    ['jti', '1'],
    ['aud', '1'],
    ['aud', '[1]'],
    ['aud', '["grafana",true]'],
    ['aud', 'null'], // Audience.UnmarshalJSON is called for null and refuses it (ErrUnmarshalAudience)
    ['exp', '"1"'],
    ['iat', '"1"'],
    ['nbf', 'true'],
    ['exp', '{}'],
    ['exp', '1e400'], // NumericDate: strconv.ParseFloat out of range -> ErrUnmarshalNumericDate
  ];
  for (const [name, json] of skipped) {
    it(`${name}: ${json} is skipped (falls through to the next sign-in method), exit 1 like a rejection`, () => {
      const e = explain(token(header(), rawClaim(name, json)));
      expect(e.outcome).toBe('skipped');
      expect(e.verdict).toBe('rejected');
      expect(e.summary).toMatch(/^Grafana skips this token: .*login page or anonymous/);
    });
  }

  it('iss: null passes Test but validateClaims rejects it ("iss" claim has invalid type <nil>)', () => {
    // VALID validateClaims: value.(string) fails for nil. Probe: REJECTED claims.
    const e = explain(token(header(), rawClaim('iss', 'null')));
    expect(e.outcome).toBe('rejected');
    expect(e.summary).toContain('"iss" claim has invalid type <nil>, string expected');
  });

  it('jti: null and exp: null are accepted (null leaves a string empty and a *NumericDate nil)', () => {
    // JOSE json/decode.go literalStore null; VALID skips nil exp/nbf/iat. Probe: VERIFIED for both.
    expect(explain(token(header(), rawClaim('jti', 'null'))).outcome).toBe('accepted');
    expect(explain(token(header(), rawClaim('exp', 'null'))).outcome).toBe('accepted');
  });

  it('no sub and an empty sub are skipped', () => {
    // HasSubClaim: claims.Subject != "". Probe: SKIPPED for both.
    expect(explain(token(header(), JSON.stringify({ email: 'a@example.com' }))).outcome).toBe('skipped');
    expect(explain(token(header(), payload({ sub: '' }))).outcome).toBe('skipped');
  });

  it('a payload that is not an object, or starts with a byte order mark, is skipped', () => {
    // HasSubClaim: json.Unmarshal into jwt.Claims fails ("cannot unmarshal array", "invalid character"). Probe: SKIPPED.
    for (const text of ['[1]', '"x"', `\ufeff${payload()}`]) expect(explain(token(header(), text)).outcome).toBe('skipped');
  });
});

describe("duplicate member names (JOSE json/decode.go object/objectInterface: \"json: duplicate key '%s' in object\")", () => {
  it('a header member twice is skipped: ParseSigned fails in Test()', () => {
    // rawHeader decode in jws.go sanitized(). Probe: SKIPPED (Test) "duplicate key 'alg'".
    const e = explain(token('{"alg":"ES256","kid":"ec","alg":"ES256"}', payload()));
    expect(e.outcome).toBe('skipped');
    expect(e.summary).toContain('the JOSE header has the member "alg" twice');
  });

  it('a duplicate inside an extra header value is skipped too (sanitized decodes it into interface{})', () => {
    // shared.go rawHeader.sanitized default case: json.Unmarshal(*v, &v2). Probe: SKIPPED (Test).
    expect(explain(token('{"alg":"ES256","kid":"ec","x":{"a":1,"a":1}}', payload())).outcome).toBe('skipped');
  });

  it('a top-level payload member twice is skipped, escaped or not ("em\\u0061il" is "email")', () => {
    // HasSubClaim: decode into jwt.Claims (struct) checks top-level names after unquoting. Probe: SKIPPED.
    const plain = explain(token(header(), payload().replace('{', '{"email":"b@example.com",')));
    expect(plain.outcome).toBe('skipped');
    expect(plain.summary).toContain('the payload has the member "email" twice');
    expect(explain(token(header(), payload().replace('{', '{"em\\u0061il":"b",'))).outcome).toBe('skipped');
  });

  it('a nested payload duplicate passes Test and is rejected when Verify decodes the payload into a map', () => {
    // Struct decode skips unknown members unchecked; AUTH Verify -> token.Claims(key, &map) -> objectInterface. Probe: REJECTED verify.
    const e = explain(token(header(), rawClaim('profile', '{"a":1,"a":2}')));
    expect(e.outcome).toBe('rejected');
    expect(failing(e)).toBe('signature');
    expect(e.summary).toContain("json: duplicate key 'a' in object");
  });

  it('... but with no key for the kid, "no keys found" comes first', () => {
    // AUTH Verify: keySet.Key before token.Claims. Probe: REJECTED "no keys found".
    const e = explain(token(header('zz'), rawClaim('profile', '{"a":1,"a":2}')));
    expect(failing(e)).toBe('key');
  });

  it('a number outside float64 in another claim is rejected at the map decode, not skipped', () => {
    // Struct decode skips "foo"; the map decode fails: "cannot unmarshal number 1e400 into Go value of type float64". Probe: REJECTED verify.
    const e = explain(token(header(), rawClaim('foo', '1e400')));
    expect(e.outcome).toBe('rejected');
    expect(failing(e)).toBe('signature');
  });
});

describe('JOSE header', () => {
  it('crit naming anything but b64 is rejected when go-jose verifies (unsupported critical header)', () => {
    // signing.go DetachedVerify -> checkSupportedCritical(supportedCritical = {b64}). Probe: REJECTED verify.
    const e = explain(token(header('ec', 'ES256', { crit: ['exp'], exp: 1 }), payload()));
    expect(e.outcome).toBe('rejected');
    expect(e.summary).toContain('go-jose/go-jose: unsupported critical header');
  });

  it('an empty crit list is accepted; crit as a string is rejected (getCritical decodes into []string)', () => {
    // shared.go getCritical. Probe: VERIFIED / REJECTED verify.
    expect(explain(token(header('ec', 'ES256', { crit: [] }), payload())).outcome).toBe('accepted');
    expect(explain(token(header('ec', 'ES256', { crit: 'exp' }), payload())).outcome).toBe('rejected');
  });

  it('a numeric kid or alg makes the header unreadable: skipped', () => {
    // shared.go rawHeader.sanitized: "failed to unmarshal key ID" / "failed to unmarshal algorithm". Probe: SKIPPED.
    expect(explain(token('{"alg":"ES256","kid":1}', payload())).outcome).toBe('skipped');
    expect(explain(token('{"alg":1,"kid":"ec"}', payload())).outcome).toBe('skipped');
  });

  it('an embedded jwk must be a readable public key, x5c real certificates, nonce a string; else skipped', () => {
    // jws.go sanitized ("invalid embedded jwk, must be public key"); shared.go rawHeader.sanitized (jwk, x5c, nonce).
    // Probe: VERIFIED for a public jwk, jwk null and x5c []; SKIPPED (Test) for the others.
    const h = (extra: Record<string, unknown>) => header('ec', 'ES256', extra);
    expect(explain(token(h({ jwk: ec.publicKey.export({ format: 'jwk' }) }), payload())).outcome).toBe('accepted');
    expect(explain(token(h({ jwk: null, x5c: [] }), payload())).outcome).toBe('accepted');
    for (const extra of [{ jwk: ec.privateKey.export({ format: 'jwk' }) }, { jwk: { kty: 'foo' } }, { jwk: 'x' }, { x5c: ['AAAA'] }, { x5c: 'AAAA' }, { nonce: 1 }]) {
      expect(explain(token(h(extra), payload())).outcome, JSON.stringify(extra).slice(0, 40)).toBe('skipped');
    }
    // A typ of any type is only an extra header. Probe: VERIFIED.
    expect(explain(token(h({ typ: 1 }), payload())).outcome).toBe('accepted');
  });

  it('kid: null is no kid, and matches a key without kid', () => {
    // sanitized skips nil values; JSONWebKeySet.Key("") matches KeyID "". Probe: VERIFIED.
    const { kid: _kid, ...kidless } = ecJwk;
    expect(explain(token('{"alg":"ES256","kid":null}', payload()), { keys: [kidless] }).outcome).toBe('accepted');
  });
});

describe('key sets: go-jose decides, a lint only advises (KEYS initKeySet -> jose.JSONWebKeySet; JOSE jwk.go UnmarshalJSON)', () => {
  it('OKP Ed25519 + RSA + EC in one set: accepted, with lint advice that does not change it', () => {
    // jwk.go accepts OKP/Ed25519; the kid selects the EC key. Probe: VERIFIED.
    const e = explain(token(header(), payload()), { keys: [edJwk, rsaJwk, ecJwk] });
    expect(e.outcome).toBe('accepted');
    expect(e.advice!.length).toBeGreaterThan(0);
  });

  it('an oct key, use: enc, and two keys sharing a kid are all accepted', () => {
    // jwk.go: oct is a key; `use` is not checked; Verify tries every key Key(kid) returns. Probe: VERIFIED x3.
    const other = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }), kid: 'ec' };
    for (const keys of [[{ kty: 'oct', k: b64(randomBytes(32)), kid: 'o' }, ecJwk], [{ ...ecJwk, use: 'enc' }], [other, ecJwk]]) {
      const e = explain(token(header(), payload()), { keys });
      expect(e.outcome).toBe('accepted');
      expect(e.advice!.length).toBeGreaterThan(0);
    }
  });

  it('one key go-jose cannot read fails the whole set: OKP X25519, an unknown kty, no kty, oct without k', () => {
    // jwk.go: key == nil -> ErrUnsupportedKeyType; "" -> missing json web key type; symmetricKey without k. Probe: KEYSET ERROR x4.
    const x = { ...generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' }), kid: 'x' };
    for (const bad of [x, { kty: 'foo', kid: 'f' }, { kid: 'n' }, { kty: 'oct', kid: 'o' }]) {
      const e = explain(token(header(), payload()), { keys: [bad, ecJwk] });
      expect(e.outcome).toBe('rejected');
      expect(failing(e)).toBe('key');
    }
  });

  it('the set document as encoding/json reads it: "Keys" matches, keys null is empty, the last "keys" wins', () => {
    // KEYS json.NewDecoder(file).Decode(&jwks): case-insensitive field match, duplicates allowed at this level.
    // Probe: VERIFIED, "no keys found", VERIFIED.
    const k = JSON.stringify(ecJwk);
    const read = (text: string) => readKeySetAsGrafana(text, 'jwk_set_file jwks.json');
    expect(read(`{"Keys":[${k}]}`)).toMatchObject({ keys: [{ kid: 'ec' }] });
    expect(read('{"keys":null}')).toMatchObject({ keys: [] });
    expect(read(`{"keys":[],"keys":[${k}]}`)).toMatchObject({ keys: [{ kid: 'ec' }] });
  });

  it('fails the set: an array at the top, a member twice inside a key, a short EC coordinate, a numeric kid, a BOM', () => {
    // jwk.go UnmarshalJSON through go-jose's decoder (duplicates refused), ecPublicKey ("wrong length for x").
    // Probe: KEYSET ERROR for each.
    const k = JSON.stringify(ecJwk);
    for (const text of [`[${k}]`, `{"keys":[${k.replace('{', '{"kid":"zz",')}]}`, JSON.stringify({ keys: [{ ...ecJwk, x: String(ecJwk.x).slice(0, 40) }] }), JSON.stringify({ keys: [{ ...ecJwk, kid: 1 }] }), `\ufeff{"keys":[${k}]}`]) {
      expect(readKeySetAsGrafana(text, 'jwk_set_file jwks.json'), text.slice(0, 30)).toHaveProperty('error');
    }
  });

  it('a private key in the set is found by kid but go-jose does not verify with it', () => {
    // signing.go newVerifier(*ecdsa.PrivateKey) -> ErrUnsupportedKeyType. Probe: REJECTED verify "unsupported key type/format".
    const e = explain(token(header(), payload()), { keys: [{ ...ec.privateKey.export({ format: 'jwk' }), kid: 'ec' }] });
    expect(e.outcome).toBe('rejected');
    expect(e.summary).toContain('unsupported key type/format');
  });
});

describe('algorithms (AUTH Verify/HasSubClaim list: EdDSA, HS256/384/512, RS256, RS512, ES256/384/512, PS256/384/512)', () => {
  it('EdDSA, PS256, PS512 and RS256 are accepted', () => {
    // Probe: VERIFIED for each (PSS salt 20 bytes: rsa.VerifyPSS with nil options accepts any salt length).
    expect(explain(token(header('ed', 'EdDSA'), payload(), 'EdDSA'), { keys: [edJwk] }).outcome).toBe('accepted');
    for (const alg of ['PS256', 'PS512', 'RS256']) expect(explain(token(header('rsa', alg), payload(), alg), { keys: [rsaJwk] }).outcome).toBe('accepted');
  });

  it('HS256/384/512 need keys of at least 32/48/64 bytes in go-jose v4', () => {
    // symmetric.go symmetricMac.hmac: len(key)*8 < 256/384/512 -> ErrInvalidKeySize. Probe: VERIFIED at the size, REJECTED one byte short.
    for (const [alg, size] of [['HS256', 32], ['HS384', 48], ['HS512', 64]] as const) {
      for (const [bytes, outcome] of [[size, 'accepted'], [size - 1, 'rejected']] as const) {
        const secret = randomBytes(bytes);
        const e = explain(token(header('h', alg), payload(), alg, secret), { keys: [{ kty: 'oct', k: b64(secret), kid: 'h' }] });
        expect(e.outcome, `${alg} with ${bytes} bytes`).toBe(outcome);
      }
    }
  });

  it('a short HMAC key still verifies before go-jose v4 (v3 has no minimum)', () => {
    // go-jose v3.0.4 symmetric.go hmac: no key-size check.
    const secret = randomBytes(16);
    const e = explain(token(header('h', 'HS256'), payload(), 'HS256', secret), { keys: [{ kty: 'oct', k: b64(secret), kid: 'h' }], version: '12.2.0' });
    expect(e.outcome).toBe('accepted');
  });

  it('RS384 and none are skipped on 13.0 (not in the list); RS384 verifies on 12.2 (go-jose v3 takes any algorithm it implements)', () => {
    // parseSignedCompact -> ErrUnexpectedSignatureAlgorithm in HasSubClaim. Probe: SKIPPED (Test) for both. v3: ParseSigned has no list.
    expect(explain(token(header('rsa', 'RS384'), payload(), 'RS384'), { keys: [rsaJwk] }).outcome).toBe('skipped');
    expect(explain(`${b64('{"alg":"none","kid":"ec"}')}.${b64(payload())}.`).outcome).toBe('skipped');
    expect(explain(token(header('rsa', 'RS384'), payload(), 'RS384'), { keys: [rsaJwk], version: '12.2.0' }).outcome).toBe('accepted');
  });
});

describe('times beyond JavaScript dates (VALID NumericDate(floatValue); Go float64 -> int64 conversion; time.Unix)', () => {
  it('exp 1e300 is expired on amd64 and arm64 alike, and says the conversion depends on the CPU', () => {
    // amd64: int64(1e300) = MinInt64; arm64: MaxInt64, wrapping past year 1 in time.Unix. Probe (amd64): REJECTED expired.
    const e = explain(token(header(), rawClaim('exp', '1e300')));
    expect(e.outcome).toBe('rejected');
    expect(e.summary).toContain('depends on the CPU (amd64: -9223372036854775808, arm64: 9223372036854775807)');
    expect(e.summary).toContain('the result is the same on both');
  });

  it('exp -1e300 and exp 9.3e18 are expired; exp 9.2e18 and exp 9e12 are not', () => {
    // Probe: REJECTED expired, REJECTED expired, VERIFIED, VERIFIED.
    expect(explain(token(header(), rawClaim('exp', '-1e300'))).outcome).toBe('rejected');
    expect(explain(token(header(), rawClaim('exp', '9.3e18'))).outcome).toBe('rejected');
    expect(explain(token(header(), rawClaim('exp', '9.2e18'))).outcome).toBe('accepted');
    const far = explain(token(header(), rawClaim('exp', '9e12')));
    expect(far.outcome).toBe('accepted');
    expect(far.steps.find((s) => s.step === 'time')!.detail).toContain('expires at 9000000000000 (seconds since 1970; no calendar date shown)');
  });

  it('nbf 9e12 is not valid yet and is shown as a number; nbf 1e300, iat 1e300 and nbf -9.3e18 pass', () => {
    // Probe: REJECTED nbf, VERIFIED, VERIFIED, VERIFIED.
    const e = explain(token(header(), rawClaim('nbf', '9e12')));
    expect(e.summary).toContain('token not valid yet (nbf): valid from 9000000000000 (seconds since 1970');
    for (const [name, json] of [['nbf', '1e300'], ['iat', '1e300'], ['nbf', '-9.3e18']]) {
      expect(explain(token(header(), rawClaim(name!, json!))).outcome, `${name} ${json}`).toBe('accepted');
    }
  });
});

describe('order of checks (VALID validateClaims: types, go-jose iss/sub/aud, times, then the other expect_claims)', () => {
  it('expired and failing a custom expect_claims: reported as expired', () => {
    // Probe: REJECTED "token is expired (exp)".
    const e = explain(token(header(), payload({ exp: NOW - 100, role: 'x' })), { settings: { expectClaims: '{"role":"y"}' } });
    expect(failing(e)).toBe('time');
  });

  it('expired and failing expect_claims iss: reported as the issuer', () => {
    // ValidateWithLeeway checks Issuer before the times. Probe: REJECTED "invalid issuer claim (iss)".
    const e = explain(token(header(), payload({ exp: NOW - 100, iss: 'x' })), { settings: { expectClaims: '{"iss":"y"}' } });
    expect(failing(e)).toBe('expect_claims');
  });

  it('expect_claims aud: any one listed value on go-jose v4 (AnyAudience)', () => {
    // jwt/validation.go AnyAudience. Probe: VERIFIED.
    expect(explain(token(header(), payload({ aud: 'a' })), { settings: { expectClaims: '{"aud":["a","b"]}' } }).outcome).toBe('accepted');
  });

  it('a username_attribute_path error comes before a strict role failure', () => {
    // CLIENT Authenticate: SearchJSONForStringAttr(username path) returns its error before extractRoleAndAdmin.
    const e = explain(token(header(), payload()), { settings: { usernameAttributePath: 'groups[', roleAttributeStrict: true, roleAttributePath: 'nothing' } });
    expect(failing(e)).toBe('login/email');
  });

  it('a strict role failure comes before "missing login and email"', () => {
    // CLIENT Authenticate: the role block returns errJWTInvalidRole before the login/email emptiness check.
    const e = explain(token(header(), payload({ email: 1 })), { settings: { roleAttributeStrict: true, roleAttributePath: 'nothing' } });
    expect(failing(e)).toBe('role');
  });
});

describe('groups and orgs (CLIENT Authenticate, extractGroups, extractOrgs; ORG MapOrgRoles)', () => {
  it('groups_attribute_path is evaluated; its groups are reported', () => {
    // extractGroups -> SearchJSONForStringSliceAttr.
    const e = explain(token(header(), payload({ groups: ['admins', 7, 'ops'] })), { settings: { groupsAttributePath: 'groups' } });
    expect(e.outcome).toBe('accepted');
    expect(e.groups).toEqual(['admins', 'ops']);
  });

  it('a failing groups_attribute_path rejects, even with skip_org_role_sync', () => {
    // Authenticate calls extractGroups before the SkipOrgRoleSync branch and returns its error.
    const e = explain(token(header(), payload()), { settings: { groupsAttributePath: 'groups[', skipOrgRoleSync: true } });
    expect(e.outcome).toBe('rejected');
    expect(failing(e)).toBe('groups');
  });

  it('org_attribute_path is evaluated without org_mapping and its error rejects; with skip_org_role_sync it is not run', () => {
    // Authenticate: extractOrgs inside `if !SkipOrgRoleSync`, before ParseOrgMappingSettings.
    const broken = { orgAttributePath: 'groups[' };
    expect(failing(explain(token(header(), payload()), { settings: broken }))).toBe('role');
    expect(explain(token(header(), payload()), { settings: { ...broken, skipOrgRoleSync: true } }).outcome).toBe('accepted');
  });

  it('org_mapping keeps a double-quoted item whole and merges roles per org id', () => {
    // SPLIT SplitString: `"[^"]+"|[^,\t\n\v\f\r ]+`, quotes trimmed; ORG getMappedOrgRoles / getTopRole.
    const e = explain(token(header(), payload({ groups: ['Platform Team', 'ops'] })), {
      settings: { orgAttributePath: 'groups', orgMapping: '"Platform Team:2:Editor", ops:3 ops:2:Admin' },
    });
    expect(e.orgRoles).toEqual({ 2: 'Admin', 3: 'Viewer' });
    expect(e.summary).toContain('Admin in org 2, Viewer in org 3');
  });

  it('an org given by name or as * depends on Grafana\'s database, and says so', () => {
    // ORG getOrgIDForInternalMapping: orgService.GetByName; "*" -> handleGlobalOrgMapping over every org.
    const e = explain(token(header(), payload({ groups: ['ops'] })), { settings: { orgAttributePath: 'groups', orgMapping: 'ops:Platform:Editor ops:*:Viewer' } });
    expect(e.summary).toContain('Editor in org "Platform" (if Grafana\'s database has an org by that name)');
    expect(e.summary).toContain("Viewer in every org in Grafana's database");
  });

  it('grafanaAdmin: null when not allowed, false when allowed and not claimed (removed), true when claimed', () => {
    // Authenticate: IsGrafanaAdmin = &grafanaAdmin only with AllowAssignGrafanaAdmin; extractRoleAndAdmin.
    const tok = (role: string) => token(header(), payload({ role }));
    expect(explain(tok('Editor')).grafanaAdminSync).toBeNull();
    const removed = explain(tok('Editor'), { settings: { allowAssignGrafanaAdmin: true, roleAttributePath: 'role' } });
    expect(removed.grafanaAdminSync).toBe(false);
    expect(removed.summary).toContain('removes Grafana server admin');
    expect(explain(tok('GrafanaAdmin'), { settings: { allowAssignGrafanaAdmin: true, roleAttributePath: 'role' } }).grafanaAdminSync).toBe(true);
  });
});

describe('SplitString and org_mapping items (SPLIT SplitString; ORG splitOrgMapping)', () => {
  it('splits like Go: JSON list, quoted items, commas and whitespace', () => {
    expect(splitString('a:1, "b c:2:Editor"\td:3')).toEqual(['a:1', 'b c:2:Editor', 'd:3']);
    expect(splitString('["x:1", null]')).toEqual(['x:1', '']);
    // encoding/json into []string: a number fails the decode, SplitString then gives [].
    expect(splitString('["x:1", 2]')).toEqual([]);
  });

  it('an escaped colon stays in the external name; -1 is every org like *', () => {
    const m = parseOrgMapping('a\\:b:1:Editor c:-1:Admin', false, GRAFANA);
    expect([...m.entries()].map(([k, v]) => [k, [...v]])).toEqual([
      ['a:b', [[1, 'Editor']]],
      ['c', [['*', 'Admin']]],
    ]);
  });
});

// `expect_claims` as Grafana applies it (pkg/services/auth/jwt/validation.go).
import { atLeast } from '../grafana/version.js';
import { GO_JOSE_V4 } from './keys.js';
import { goTypeName, type CheckResult } from './times.js';

export interface ClaimExpectations {
  iss?: string;
  sub?: string;
  aud?: string[];
  /** Every other key: present and deeply equal (Go `reflect.DeepEqual` on decoded JSON). */
  exact: Record<string, unknown>;
}

/** `json.Unmarshal` into a map, then the type rules of `initClaimExpectations`; an error stops Grafana's start. */
export function parseExpectClaims(raw: string): ClaimExpectations | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    return { error: `expect_claims is not valid JSON (${(err as Error).message})` };
  }
  if (parsed === null) return { exact: {} };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'expect_claims must be a JSON object' };
  const out: ClaimExpectations = { exact: {} };
  for (const [key, value] of Object.entries(parsed)) {
    if (key === 'iss' || key === 'sub') {
      if (typeof value !== 'string') return { error: `"${key}" expectation has invalid type ${goTypeName(value)}, string expected` };
      out[key] = value;
    } else if (key === 'aud') {
      const list = audienceList(value, 'expectation');
      if ('error' in list) return list;
      out.aud = list.aud;
    } else {
      out.exact[key] = value;
    }
  }
  return out;
}

/** `aud` as Grafana reads it, in the expectation and in the token alike, with its exact type errors. */
function audienceList(value: unknown, what: 'expectation' | 'claim'): { aud: string[] } | { error: string } {
  if (typeof value === 'string') return { aud: [value] };
  if (!Array.isArray(value)) return { error: `"aud" ${what} has invalid type ${goTypeName(value)}, array or string expected` };
  const bad = value.find((v) => typeof v !== 'string');
  // An array with a non-string member gets its own message, naming the member's type.
  if (bad !== undefined) return { error: `"aud" ${what} contains value with invalid type ${goTypeName(bad)}, string expected` };
  return { aud: value as string[] };
}

/**
 * Checks the token against the expectations. `aud`: go-jose v2/v3 (`Expected.Audience`) want every
 * expected value in the token's `aud`; v4 (`AnyAudience`, Grafana 13.0+ here) wants any one of them.
 */
export function checkExpectations(expect: ClaimExpectations, claims: Record<string, unknown>, grafanaVersion: string): CheckResult {
  // validateClaims: the type of every registered claim first (Go ranges over a map, so of two bad
  // claims either may be named), then go-jose's Validate, then the other expectations.
  for (const key of ['iss', 'sub'] as const) {
    if (key in claims && typeof claims[key] !== 'string') {
      return { ok: false, phase: 'types', detail: `"${key}" claim has invalid type ${goTypeName(claims[key])}, string expected` };
    }
  }
  const audience = 'aud' in claims ? audienceList(claims.aud, 'claim') : { aud: [] };
  if ('error' in audience) return { ok: false, phase: 'types', detail: audience.error };
  const tokenAud = audience.aud;

  const checked: string[] = [];
  for (const key of ['iss', 'sub'] as const) {
    const want = expect[key];
    if (want === undefined || want === '') continue;
    if (claims[key] !== want) return { ok: false, phase: 'registered', detail: `invalid ${key === 'iss' ? 'issuer' : 'subject'} claim (${key}): token has ${JSON.stringify(claims[key] ?? '')}, expect_claims wants ${JSON.stringify(want)}` };
    checked.push(key);
  }
  if (expect.aud && expect.aud.length > 0) {
    const any = atLeast(grafanaVersion, GO_JOSE_V4);
    const ok = any ? expect.aud.some((a) => tokenAud.includes(a)) : expect.aud.every((a) => tokenAud.includes(a));
    if (!ok) {
      const rule = any ? 'any one of' : 'every one of';
      return { ok: false, phase: 'registered', detail: `invalid audience claim (aud): token has ${JSON.stringify(tokenAud)}, Grafana ${grafanaVersion} wants ${rule} ${JSON.stringify(expect.aud)}` };
    }
    checked.push('aud');
  }
  for (const [key, want] of Object.entries(expect.exact)) {
    if (!(key in claims)) return { ok: false, phase: 'custom', detail: `"${key}" claim is missing (expect_claims wants ${JSON.stringify(want)})` };
    if (!jsonEqual(want, claims[key])) return { ok: false, phase: 'custom', detail: `"${key}" claim mismatch: token has ${JSON.stringify(claims[key])}, expect_claims wants ${JSON.stringify(want)} (exact match)` };
    checked.push(key);
  }
  return { ok: true, detail: checked.length ? `matches expect_claims (${checked.join(', ')})` : 'expect_claims is empty: nothing to match' };
}

/** `reflect.DeepEqual` on values decoded by `encoding/json` (numbers are all float64; arrays in order). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

// exp / nbf / iat as Grafana checks them: go-jose `Claims.Validate` with its one-minute DefaultLeeway.
import { formatDuration } from '../core/duration.js';

/** go-jose `DefaultLeeway`, in seconds. */
const LEEWAY_S = 60n;
/** Pomerium signs a fresh token per request, valid for 300 s (`exp = iat + 300`, v0.27.0+). */
const POMERIUM_LIFETIME_S = 300;
/** Go's `unixToInternal`: seconds from year 1 to 1970; `time.Unix` adds it in int64 arithmetic. */
const UNIX_TO_INTERNAL = 62_135_596_800n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** The largest |seconds| a JavaScript Date can show (±8.64e15 ms). */
const DATE_LIMIT_S = 8.64e12;

export interface CheckResult {
  ok: boolean;
  detail: string;
  /**
   * Where a failure sits in Grafana's validateClaims: the claim types, go-jose's iss/sub/aud, its
   * times, or the other expect_claims (checked last).
   */
  phase?: 'types' | 'registered' | 'times' | 'custom';
}

/**
 * `jwt.NumericDate(f)`: Go converts float64 to int64 by truncation. Outside int64 the result is
 * implementation-specific: amd64's CVTTSD2SQ gives INT64_MIN for every such value, arm64's FCVTZS
 * saturates to INT64_MIN or INT64_MAX (Go spec, "Conversions between numeric types").
 */
export function goNumericDate(value: number): { amd64: bigint; arm64: bigint; outOfRange: boolean } {
  const t = Math.trunc(value);
  if (t >= -(2 ** 63) && t < 2 ** 63) {
    const exact = BigInt(t);
    return { amd64: exact, arm64: exact, outOfRange: false };
  }
  return { amd64: INT64_MIN, arm64: t > 0 ? INT64_MAX : INT64_MIN, outOfRange: true };
}

/** `time.Unix(sec, 0)` as Go compares it: seconds since year 1, wrapped to int64 like Go's addition. */
function internalSeconds(sec: bigint): bigint {
  return BigInt.asIntN(64, sec + UNIX_TO_INTERNAL);
}

type TimeName = 'exp' | 'nbf' | 'iat';
type Failure = 'exp' | 'nbf' | 'iat' | null;

/** go-jose `ValidateWithLeeway`: nbf, then exp, then iat, on Go's time values. */
function firstFailure(seconds: Partial<Record<TimeName, bigint>>, nowMs: number): Failure {
  const nowSec = BigInt(Math.floor(nowMs / 1000));
  const nowNs = (nowMs - Math.floor(nowMs / 1000) * 1000) * 1e6;
  const now = nowSec + UNIX_TO_INTERNAL;
  const at = (name: TimeName) => (seconds[name] === undefined ? undefined : internalSeconds(seconds[name]!));
  const nbf = at('nbf');
  if (nbf !== undefined && now + LEEWAY_S < nbf) return 'nbf';
  const exp = at('exp');
  // After(): later second, or the same second with more nanoseconds (NumericDate has none).
  if (exp !== undefined && (now - LEEWAY_S > exp || (now - LEEWAY_S === exp && nowNs > 0))) return 'exp';
  const iat = at('iat');
  if (iat !== undefined && now + LEEWAY_S < iat) return 'iat';
  return null;
}

/**
 * Grafana's `validateClaims` first insists that each present, non-null time claim is a JSON number,
 * then go-jose compares at whole seconds (`NumericDate(float)` truncates) with the leeway. No Date is
 * built for a time JavaScript cannot show: such times are printed as numbers.
 */
export function checkTimes(claims: Record<string, unknown>, at: Date): CheckResult {
  const raw: Partial<Record<TimeName, number>> = {};
  for (const name of ['exp', 'nbf', 'iat'] as const) {
    const value = claims[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number') return { ok: false, phase: 'types', detail: `"${name}" claim has invalid type ${goTypeName(value)}, number expected` };
    if (!Number.isFinite(value)) return { ok: false, phase: 'types', detail: `"${name}" is a number outside float64's range: Go cannot decode it` };
    raw[name] = value;
  }
  const nowMs = at.getTime();
  const converted = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, goNumericDate(v)])) as Partial<Record<TimeName, ReturnType<typeof goNumericDate>>>;
  const pick = (cpu: 'amd64' | 'arm64') => Object.fromEntries(Object.entries(converted).map(([k, v]) => [k, v[cpu]])) as Partial<Record<TimeName, bigint>>;
  const failure = firstFailure(pick('amd64'), nowMs);
  const armFailure = firstFailure(pick('arm64'), nowMs);

  const cpuNotes = (Object.keys(converted) as TimeName[])
    .filter((k) => converted[k]!.outOfRange)
    .map(
      (k) =>
        `${k} ${raw[k]} is outside int64, and Go's float-to-int64 conversion then depends on the CPU (amd64: ${converted[k]!.amd64}, arm64: ${converted[k]!.arm64}); ` +
        (failure === armFailure ? 'both end up before year 1 once time.Unix adds its offset, so the result is the same on both' : `this result is amd64's; on arm64 ${armFailure ? `${armFailure} fails` : 'the times pass'}`),
    );
  const notes: string[] = [];
  const iat = raw.iat;
  if (iat !== undefined) notes.push(relative('issued', iat, nowMs));
  const suffix = cpuNotes.length ? `; ${cpuNotes.join('; ')}` : '';
  if (failure === 'nbf') {
    return { ok: false, phase: 'times', detail: `token not valid yet (nbf): valid from ${showTime(raw.nbf!)}, beyond the one-minute leeway; check the clocks${suffix}` };
  }
  const exp = raw.exp;
  if (failure === 'exp') {
    const ago = describeSpan(nowMs / 1000 - Math.trunc(exp!));
    return {
      ok: false,
      phase: 'times',
      detail: `token is expired (exp): it expired ${ago ? `${ago} ago` : `at ${showTime(exp!)}`}, beyond Grafana's one-minute leeway (${notes.join(', ')}${notes.length ? '; ' : ''}Pomerium tokens live ${POMERIUM_LIFETIME_S / 60} minutes, so take a fresh one)${suffix}`,
    };
  }
  if (exp !== undefined) {
    const leftMs = Math.trunc(exp) * 1000 - nowMs;
    notes.push(
      leftMs < 0 && leftMs >= -60_000
        ? `expired ${formatDuration(-leftMs)} ago but within Grafana's one-minute leeway (accepted for ${formatDuration(60_000 + leftMs)} more)`
        : relative('expires', exp, nowMs),
    );
  } else {
    notes.push('no exp: Grafana accepts it forever');
  }
  if (failure === 'iat') return { ok: false, phase: 'times', detail: `token issued in the future (iat): ${notes.join(', ')}; check the clocks${suffix}` };
  return { ok: true, detail: `${notes.join(', ')} (Pomerium tokens live ${POMERIUM_LIFETIME_S / 60} minutes; leeway one minute)${suffix}` };
}

/** "issued 1m ago", "expires in 4m"; a time too far away for a duration is shown as its number. */
function relative(what: 'issued' | 'expires', seconds: number, nowMs: number): string {
  const deltaS = Math.trunc(seconds) - nowMs / 1000;
  const span = describeSpan(Math.abs(deltaS));
  if (!span) return `${what} at ${showTime(seconds)}`;
  if (what === 'issued') return deltaS <= 0 ? `issued ${span} ago` : `issued ${span} in the future`;
  return deltaS >= 0 ? `expires in ${span}` : `expired ${span} ago`;
}

/** A duration for spans up to about a century; null beyond (shown as a time instead). */
function describeSpan(seconds: number): string | null {
  return Math.abs(seconds) < 3.2e9 ? formatDuration(Math.abs(seconds) * 1000) : null;
}

/** ISO 8601 where a Date exists for it, else the number as the token has it. */
function showTime(seconds: number): string {
  const whole = Math.trunc(seconds);
  if (Math.abs(whole) > DATE_LIMIT_S) return `${seconds} (seconds since 1970; no calendar date shown)`;
  return new Date(whole * 1000).toISOString().replace('.000Z', 'Z');
}

/** The Go type name `%T` prints for a decoded JSON value. */
export function goTypeName(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  if (value === null) return '<nil>';
  return 'map[string]interface {}';
}

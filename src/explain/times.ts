// exp / nbf / iat as Grafana checks them: go-jose `Claims.Validate` with its one-minute DefaultLeeway.
import { formatDuration } from '../core/duration.js';

/** go-jose `DefaultLeeway`. */
const LEEWAY_MS = 60_000;
/** Pomerium signs a fresh token per request, valid for 300 s (`exp = iat + 300`, v0.27.0+). */
const POMERIUM_LIFETIME_S = 300;

export interface CheckResult {
  ok: boolean;
  detail: string;
}

/**
 * Grafana's `validateClaims` first insists that each present, non-null time claim is a JSON number,
 * then go-jose compares at whole seconds (`NumericDate(float)` truncates) with the leeway.
 */
export function checkTimes(claims: Record<string, unknown>, at: Date): CheckResult {
  const seconds: Partial<Record<'exp' | 'nbf' | 'iat', number>> = {};
  for (const name of ['exp', 'nbf', 'iat'] as const) {
    const value = claims[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number') return { ok: false, detail: `"${name}" claim has invalid type ${goTypeName(value)}, number expected` };
    seconds[name] = Math.trunc(value);
  }
  const now = at.getTime();
  const notes: string[] = [];
  if (seconds.iat !== undefined) {
    const age = now - seconds.iat * 1000;
    notes.push(age >= 0 ? `issued ${formatDuration(age)} ago` : `issued ${formatDuration(-age)} in the future`);
  }
  if (seconds.nbf !== undefined && now + LEEWAY_MS < seconds.nbf * 1000) {
    return { ok: false, detail: `token not valid yet (nbf): valid from ${isoSeconds(seconds.nbf)}, beyond the one-minute leeway; check the clocks` };
  }
  if (seconds.exp !== undefined) {
    const left = seconds.exp * 1000 - now;
    if (now - LEEWAY_MS > seconds.exp * 1000) {
      return {
        ok: false,
        detail: `token is expired (exp): it expired ${formatDuration(-left)} ago, beyond Grafana's one-minute leeway (${notes.join(', ')}; Pomerium tokens live ${POMERIUM_LIFETIME_S / 60} minutes, so take a fresh one)`,
      };
    }
    notes.push(
      left >= 0
        ? `expires in ${formatDuration(left)}`
        : `expired ${formatDuration(-left)} ago but within Grafana's one-minute leeway (accepted for ${formatDuration(LEEWAY_MS + left)} more)`,
    );
  } else {
    notes.push('no exp: Grafana accepts it forever');
  }
  if (seconds.iat !== undefined && now + LEEWAY_MS < seconds.iat * 1000) {
    return { ok: false, detail: `token issued in the future (iat): ${notes.join(', ')}; check the clocks` };
  }
  return { ok: true, detail: `${notes.join(', ')} (Pomerium tokens live ${POMERIUM_LIFETIME_S / 60} minutes; leeway one minute)` };
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
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

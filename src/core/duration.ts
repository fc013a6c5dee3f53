import { UserError } from './errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/**
 * Parses a duration flag such as `500ms`, `30s`, `10m`, `1h` or `1h30m` (Go's spelling, which
 * Grafana's `cache_ttl` uses too) into milliseconds. A bare number is refused: its unit would be a guess.
 */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  const whole = new RegExp(`^(?:${PART.source})+$`);
  if (!whole.test(trimmed)) {
    throw new UserError(`${flag} ${JSON.stringify(text)} is not a duration`, {
      hint: `write a number with a unit: 500ms, 30s, 10m, 1h (or 1h30m)`,
    });
  }
  let ms = 0;
  for (const m of trimmed.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return Math.round(ms);
}

/** The shortest of `1h30m`, `10m`, `30s`, `500ms` that says `ms` exactly enough for a message. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  // Round to whole seconds first, so 4m59.75s reads 5m, never 4m60s.
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s';
}

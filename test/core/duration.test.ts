import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.js';

describe('parseDuration', () => {
  it('reads Go-style durations', () => {
    expect(parseDuration('500ms', '--timeout')).toBe(500);
    expect(parseDuration('30s', '--timeout')).toBe(30_000);
    expect(parseDuration('10m', '--max-age')).toBe(600_000);
    expect(parseDuration('1h30m', '--max-age')).toBe(5_400_000);
    expect(parseDuration('1.5s', '--timeout')).toBe(1500);
  });

  it('refuses a bare number or garbage with the flag named', () => {
    expect(() => parseDuration('10', '--max-age')).toThrow('--max-age "10" is not a duration');
    expect(() => parseDuration('10 minutes', '--max-age')).toThrow(/not a duration/);
    expect(() => parseDuration('', '--timeout')).toThrow(/not a duration/);
  });
});

describe('formatDuration', () => {
  it('says a duration briefly', () => {
    expect(formatDuration(300)).toBe('300ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(600_000)).toBe('10m');
    expect(formatDuration(3_723_000)).toBe('1h2m3s');
  });

  it('carries rounded seconds into minutes and hours', () => {
    expect(formatDuration(299_750)).toBe('5m');
    expect(formatDuration(3_599_600)).toBe('1h');
    expect(formatDuration(119_400)).toBe('1m59s');
  });
});

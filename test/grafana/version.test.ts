import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { atLeast, compareVersions, inVersionRange, parseVersion } from '../../src/grafana/version.js';

describe('compareVersions', () => {
  it.each([
    ['12.2', '12.2.0', 0],
    ['v0.33.1', '0.33.1', 0],
    ['12.2.0-beta1', '12.2.0', -1],
    ['12.2.0', '12.1.9', 1],
    ['9.10.0', '9.9.0', 1],
    ['12.2.0-beta1', '12.2.0-beta2', -1],
    ['1.0.0-rc.2', '1.0.0-rc.10', -1],
    ['1.0.0-1', '1.0.0-alpha', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['11.6.0+security-01', '11.6.0', 0],
    ['13', '12.99.99', 1],
  ])('%s vs %s = %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
    expect(compareVersions(b, a)).toBe(-expected || 0);
  });

  it('refuses what is not a version, naming it', () => {
    expect(() => compareVersions('latest', '1.0.0')).toThrow(UserError);
    expect(() => compareVersions('1.0.0', '12.x')).toThrow(/not a version: "12\.x"/);
    expect(parseVersion('1.2.3.4')).toBeNull();
  });
});

describe('atLeast / inVersionRange', () => {
  it('treats a beta as older than its release', () => {
    expect(atLeast('12.2.0-beta1', '12.2')).toBe(false);
    expect(atLeast('12.2.1', '12.2')).toBe(true);
    expect(atLeast('v8.4.0', '8.4.0')).toBe(true);
  });

  it('includes from, excludes until, open ends reach everything', () => {
    expect(inVersionRange('9.2.5', { until: '9.3.0' })).toBe(true);
    expect(inVersionRange('9.3.0', { until: '9.3.0' })).toBe(false);
    expect(inVersionRange('9.3.0', { from: '9.3.0' })).toBe(true);
    expect(inVersionRange('1.0.0', {})).toBe(true);
  });
});

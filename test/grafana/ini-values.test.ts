import { describe, expect, it } from 'vitest';
import { parseIni } from '../../src/grafana/ini-parse.js';
import { interpolate, keyIn, keyString, lookupKey, parseGoBool, parseGoDuration, parseGoInt } from '../../src/grafana/ini-values.js';

const values = (map: Record<string, string>) => (name: string) => map[name];

describe('interpolate', () => {
  it('replaces %(name)s, every copy at once, and resolves chains', () => {
    expect(interpolate('%(a)s-%(a)s-%(b)s', values({ a: '1', b: '%(c)s', c: '3' }))).toBe('1-1-3');
  });

  it('stops at the first reference it cannot resolve, leaving the rest as written', () => {
    const lookup = values({ a: '1' });
    expect(interpolate('%(nope)s and %(a)s', lookup)).toBe('%(nope)s and %(a)s');
    expect(interpolate('%(a)s and %(nope)s', lookup)).toBe('1 and %(nope)s');
  });

  it('matches go-ini varPattern %\\(([^)]+)\\)s exactly', () => {
    const lookup = values({ a: 'A', 'x%(a': 'X', ' a ': 'S' });
    expect(interpolate('%()s %(a) %(a)x %(a)s', lookup)).toBe('%()s %(a) %(a)x A');
    expect(interpolate('%(x%(a)s', lookup)).toBe('X');
    expect(interpolate('%( a )s', lookup)).toBe('S');
    expect(interpolate('%(A)s', lookup)).toBe('%(A)s');
  });

  it('stops after 99 rounds', () => {
    expect(interpolate('%(a)s', values({ a: 'x%(a)s' }))).toBe('x'.repeat(99) + '%(a)s');
  });

  it('stops a value that doubles every round instead of exhausting memory', () => {
    const out = interpolate('%(a)s', values({ a: '%(a)s%(a)s' }));
    expect(out.length).toBeLessThanOrEqual(2 * (1 << 20));
    expect(out.length).toBeGreaterThan(1 << 20);
  });
});

describe('lookupKey / keyString', () => {
  const doc = parseIni(
    [
      'protocol = https',
      'k = %(k)s!',
      '[server]',
      'domain = g.example',
      'root_url = %(protocol)s://%(domain)s/',
      'self = %(self)s',
      'other = %(missing)s',
      '[auth]',
      'enabled = true',
      'enabled = false',
      '[auth.jwt]',
      'url = %(enabled)s',
      '[.hidden]',
      '',
    ].join('\n'),
    'f',
  );

  it('interpolates from the own section, then DEFAULT', () => {
    expect(keyString(doc, 'server', 'root_url')).toBe('https://g.example/');
    expect(keyString(doc, 'server', 'other')).toBe('%(missing)s');
  });

  it('resolves a self-reference through DEFAULT, and in DEFAULT repeats it 99 times', () => {
    expect(keyString(doc, 'server', 'self')).toBe('%(self)s');
    expect(keyString(doc, '', 'k')).toBe('%(k)s' + '!'.repeat(1 + 99));
  });

  it('returns the winning entry and where it was found, falling back to parent sections', () => {
    const found = lookupKey(doc, 'auth.jwt', 'enabled');
    expect([found.found, found.value, found.section, found.entry?.keySpan.line]).toEqual([true, 'false', 'auth', 10]);
    expect(keyString(doc, 'auth.jwt', 'url')).toBe('false');
    expect(keyString(doc, 'auth.jwt.deeper', 'url')).toBe('false');
  });

  it('has no DEFAULT fallback for lookups, except for a section named with a leading dot (its parent is "")', () => {
    expect(lookupKey(doc, 'server', 'protocol')).toEqual({ found: false, value: '', entry: null, section: null });
    expect(lookupKey(doc, '.hidden', 'protocol').section).toBe('DEFAULT');
    expect(lookupKey(doc, '', 'protocol').value).toBe('https');
  });

  it('finds nothing in a file go-ini failed to load', () => {
    const bad = parseIni('a = 1\nbad\n', 'f');
    expect(lookupKey(bad, 'DEFAULT', 'a').found).toBe(false);
  });
});

describe('parseGoBool', () => {
  it('accepts exactly go-ini parseBool set', () => {
    for (const s of ['1', 't', 'T', 'true', 'TRUE', 'True', 'YES', 'yes', 'Yes', 'y', 'ON', 'on', 'On']) expect(parseGoBool(s)).toBe(true);
    for (const s of ['0', 'f', 'F', 'false', 'FALSE', 'False', 'NO', 'no', 'No', 'n', 'OFF', 'off', 'Off']) expect(parseGoBool(s)).toBe(false);
    for (const s of ['', 'Y', 'N', 'tRUE', 'yES', 'oN', ' true', 'enabled', '2']) expect(parseGoBool(s)).toBeUndefined();
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['60m', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['300ms', 300],
    ['0', 0],
    ['-0', 0],
    ['+5s', 5000],
    ['-1s', -1000],
    ['1.s', 1000],
    ['.5s', 500],
    ['1us', 0.001],
    ['1µs', 0.001],
    ['1μs', 0.001],
    ['1500ns', 0.0015],
    ['2h45m30.5s', 9_930_500],
    ['0.0000000001h', 0.00036],
  ])('%s = %d ms', (s, ms) => {
    expect(parseGoDuration(s)).toBeCloseTo(ms, 9);
  });

  it.each(['', '60', '1d', '1H', '.s', '-', '+', '1.5', 's', '1 h', ' 1h', '1h ', '9223372036854775808ns', '2562048h', '99999999999999999999s'])(
    'rejects %j',
    (s) => {
      expect(parseGoDuration(s)).toBeUndefined();
    },
  );

  it('accepts the int64 edges as Go does', () => {
    expect(parseGoDuration('9223372036854775807ns')).toBe(9223372036854.775807);
    expect(parseGoDuration('-9223372036854775808ns')).toBe(-9223372036854.775808);
  });
});

describe('parseGoInt', () => {
  it('is strconv.Atoi by default (Key.Int, MustInt)', () => {
    expect(parseGoInt('3000')).toBe(3000);
    expect(parseGoInt('-12')).toBe(-12);
    expect(parseGoInt('+7')).toBe(7);
    expect(parseGoInt('007')).toBe(7);
    for (const s of ['', '-', '0x10', '1_000', '1e3', ' 1', '1.0', '9223372036854775808']) expect(parseGoInt(s)).toBeUndefined();
    expect(parseGoInt('-9223372036854775808')).toBe(-9223372036854775808);
  });

  it('is strconv.ParseInt(s, 0, 64) with base 0 (Key.Int64, MustInt64)', () => {
    expect(parseGoInt('0x1F', 0)).toBe(31);
    expect(parseGoInt('0o17', 0)).toBe(15);
    expect(parseGoInt('017', 0)).toBe(15);
    expect(parseGoInt('0b101', 0)).toBe(5);
    expect(parseGoInt('-0x10', 0)).toBe(-16);
    expect(parseGoInt('1_000', 0)).toBe(1000);
    expect(parseGoInt('0x_1f', 0)).toBe(31);
    expect(parseGoInt('0_7', 0)).toBe(7);
    expect(parseGoInt('0', 0)).toBe(0);
    for (const s of ['08', '0x', '0b', '_1', '1_', '1__0', '0x_', '0b2', 'ff', '+-1']) expect(parseGoInt(s, 0)).toBeUndefined();
  });
});

describe('keyIn', () => {
  it('keeps a value only when it is one of the candidates, case-sensitively', () => {
    const roles = ['Viewer', 'Editor', 'Admin'];
    expect(keyIn('Editor', 'Viewer', roles)).toBe('Editor');
    expect(keyIn('editor', 'Viewer', roles)).toBe('Viewer');
  });
});

// go-ini's read side (key.go, section.go, file.go of v1.67.0): `Section(s).Key(k).String()` with
// `%(name)s` interpolation and the dotted parent-section fallback, and the typed readers Grafana
// calls on the string it gets (MustBool, MustInt, MustDuration, In).
import { DEFAULT_SECTION } from './ini-parse.js';
import type { IniDocument, IniEntry } from './ini-types.js';

export interface KeyLookup {
  /** The key exists in the section or in a parent section. */
  found: boolean;
  /** Its `String()`, or `""` when not found. */
  value: string;
  /** The entry whose value go-ini kept (the last one written). */
  entry: IniEntry | null;
  /** The section the key was found in. */
  section: string | null;
}

/** go-ini's `_DEPTH_VALUES`: interpolation rounds. */
const MAX_ROUNDS = 99;
/**
 * Not go-ini: a value that doubles itself every round would reach 2^99 characters (Grafana runs
 * out of memory); expansion stops here instead.
 */
const MAX_INTERPOLATED_LENGTH = 1 << 20;

/** The leftmost match of go-ini's varPattern `%\(([^)]+)\)s`, found in one pass. */
function findReference(value: string): { text: string; name: string } | undefined {
  let close = -1;
  for (let start = value.indexOf('%('); start !== -1; start = value.indexOf('%(', start + 1)) {
    // The first `)` after this `%(` is also the first after every earlier `%(` that ended there.
    if (close < start + 2) close = value.indexOf(')', start + 2);
    if (close === -1) return undefined;
    if (close > start + 2 && value[close + 1] === 's') return { text: value.slice(start, close + 2), name: value.slice(start + 2, close) };
  }
  return undefined;
}

/**
 * go-ini's `transformValue`: replaces `%(name)s` with `lookup(name)`, leftmost first, every copy
 * of that reference at once, for up to 99 rounds; stops at the first name `lookup` does not know.
 */
export function interpolate(value: string, lookup: (name: string) => string | undefined): string {
  for (let round = 0; round < MAX_ROUNDS && value.length <= MAX_INTERPOLATED_LENGTH; round++) {
    const ref = findReference(value);
    if (!ref) break;
    const replacement = lookup(ref.name);
    if (replacement === undefined) break;
    value = value.split(ref.text).join(replacement);
  }
  return value;
}

type KeyIndex = Map<string, Map<string, IniEntry>>;
const indexes = new WeakMap<IniDocument, KeyIndex>();

/** Section → key → the entry whose value go-ini kept. Empty when the load failed. */
function keyIndex(doc: IniDocument): KeyIndex {
  let index = indexes.get(doc);
  if (!index) {
    index = new Map(doc.sections.map((s) => [s.name, new Map()]));
    if (!doc.error) for (const entry of doc.entries) index.get(entry.section)!.set(entry.key, entry);
    indexes.set(doc, index);
  }
  return index;
}

/** The entry go-ini kept for `[section] key` in that very section (the last one written), without parent fallback. */
export function keptEntry(doc: IniDocument, section: string, key: string): IniEntry | undefined {
  return keyIndex(doc).get(section)?.get(key);
}

/** go-ini's `Section.GetKey`: the section's own key, else the nearest existing parent (`a.b.c` → `a.b` → `a`; `.x` → DEFAULT). */
function getKey(index: KeyIndex, section: string, key: string): IniEntry | undefined {
  let name = section || DEFAULT_SECTION;
  for (;;) {
    const entry = index.get(name)?.get(key);
    if (entry) return entry;
    const dot = name.lastIndexOf('.');
    if (dot === -1) return undefined;
    name = name.slice(0, dot) || DEFAULT_SECTION;
  }
}

/** go-ini's `Key.String()` of a stored key: own section (or a parent), then DEFAULT; a key never resolves to itself. */
function entryString(index: KeyIndex, entry: IniEntry): string {
  return interpolate(entry.value, (name) => {
    const own = getKey(index, entry.section, name);
    return (own && own !== entry ? own : index.get(DEFAULT_SECTION)?.get(name))?.value;
  });
}

/** `file.Section(section).Key(key)` as Grafana reads it; `""` is the default section. No fallback to DEFAULT. */
export function lookupKey(doc: IniDocument, section: string, key: string): KeyLookup {
  const index = keyIndex(doc);
  const entry = getKey(index, section, key);
  if (!entry) return { found: false, value: '', entry: null, section: null };
  return { found: true, value: entryString(index, entry), entry, section: entry.section };
}

/** `file.Section(section).Key(key).String()`: `""` when the key is missing. */
export function keyString(doc: IniDocument, section: string, key: string): string {
  return lookupKey(doc, section, key).value;
}

/** go-ini's `parseBool` (key.go), behind `Key.Bool` and `MustBool`; `undefined` where `MustBool` falls back to its default. */
export function parseGoBool(s: string): boolean | undefined {
  switch (s) {
    case '1': case 't': case 'T': case 'true': case 'TRUE': case 'True': case 'YES': case 'yes': case 'Yes': case 'y': case 'ON': case 'on': case 'On':
      return true;
    case '0': case 'f': case 'F': case 'false': case 'FALSE': case 'False': case 'NO': case 'no': case 'No': case 'n': case 'OFF': case 'off': case 'Off':
      return false;
    default:
      return undefined;
  }
}

const NS_PER_UNIT: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const INT64_LIMIT = 1n << 63n;

/**
 * Go's `time.ParseDuration` (behind go-ini's `Key.Duration`/`MustDuration`), in milliseconds:
 * `[-+]?([0-9]*(\.[0-9]*)?unit)+` or a bare `0`; `undefined` where Go returns an error.
 */
export function parseGoDuration(s: string): number | undefined {
  let rest = s;
  const negative = rest[0] === '-';
  if (negative || rest[0] === '+') rest = rest.slice(1);
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?([^\d.]*)/.exec(rest)!;
    const [whole, digits = '', fraction = '', unitName = ''] = m;
    const hasPoint = whole.length > digits.length + unitName.length;
    if (digits === '' && fraction === '') return undefined; // no digits, e.g. ".s"
    const unit = NS_PER_UNIT[unitName];
    if (unit === undefined) return undefined; // missing or unknown unit
    if (digits.replace(/^0+/, '').length > 19) return undefined; // Go's leadingInt overflows
    const integer = BigInt(digits || '0');
    if (integer > INT64_LIMIT) return undefined;
    if (integer > INT64_LIMIT / unit) return undefined;
    let part = integer * unit;
    if (hasPoint) part += fractionNanos(fraction, unit);
    if (part > INT64_LIMIT) return undefined;
    total += part;
    if (total > INT64_LIMIT) return undefined;
    rest = rest.slice(whole.length);
  }
  if (!negative && total === INT64_LIMIT) return undefined;
  return Number(negative ? -total : total) / 1e6;
}

/** Go's leadingFraction then `uint64(float64(f) * (float64(unit) / scale))`: digits past int64 precision are dropped. */
function fractionNanos(digits: string, unit: bigint): bigint {
  let f = 0n;
  let scale = 1;
  for (const d of digits) {
    const next = f * 10n + BigInt(d);
    if (f > (INT64_LIMIT - 1n) / 10n || next > INT64_LIMIT) break;
    f = next;
    scale *= 10;
  }
  return f === 0n ? 0n : BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
}

/**
 * go-ini's integer readers: `Key.Int`/`MustInt` use `strconv.Atoi` (base 10, optional sign), and
 * `Key.Int64`/`MustInt64` use `strconv.ParseInt(s, 0, 64)` (pass `base` 0: `0x`, `0o`, `0b`,
 * leading `0` octal, `_` between digits). `undefined` where Go returns an error (syntax or outside int64).
 */
export function parseGoInt(s: string, base: 10 | 0 = 10): number | undefined {
  const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
  const unsigned = s.slice(sign.length);
  let radix = 10;
  let digits = unsigned;
  if (base === 0) {
    const prefixed = unsigned.length >= 3 && unsigned[0] === '0' ? PREFIX_RADIX[unsigned[1]!.toLowerCase()] : undefined;
    if (prefixed) [radix, digits] = [prefixed, unsigned.slice(2)];
    else if (unsigned[0] === '0') radix = 8;
    if (digits.includes('_')) {
      if (!UNDERSCORES_OK.test(unsigned)) return undefined;
      digits = digits.replaceAll('_', '');
    }
  }
  if (!DIGITS[radix]!.test(digits)) return undefined;
  let value = 0n;
  for (const d of digits) value = value * BigInt(radix) + BigInt(parseInt(d, 16));
  if (sign === '-') value = -value;
  return value >= INT64_LIMIT || value < -INT64_LIMIT ? undefined : Number(value);
}

const PREFIX_RADIX: Record<string, number> = { b: 2, o: 8, x: 16 };
const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^\d+$/, 16: /^[\da-fA-F]+$/ };
/** Go's strconv `underscoreOK`: `_` only between digits, or between a base prefix and a digit. */
const UNDERSCORES_OK = /^(0[bBoOxX]_?)?[\da-fA-F]+(_[\da-fA-F]+)*$/;

/** go-ini's `Key.In`: the value when it is one of `candidates` (case-sensitive), else `defaultValue`. */
export function keyIn(value: string, defaultValue: string, candidates: readonly string[]): string {
  return candidates.includes(value) ? value : defaultValue;
}

import { UserError } from '../core/errors.js';

/** A release version: `12.2`, `v0.33.1`, `12.2.0-beta1`, `11.6.0+security-01` (build metadata is ignored). */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`beta1` → ['beta1'], `rc.2` → ['rc', 2]); empty for a release. */
  pre: (string | number)[];
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** The parsed version, or null when `text` is not one. Missing minor/patch count as 0. */
export function parseVersion(text: string): Version | null {
  const m = VERSION.exec(text.trim());
  if (!m) return null;
  return {
    major: Number(m[1]),
    minor: Number(m[2] ?? 0),
    patch: Number(m[3] ?? 0),
    pre: m[4] ? m[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [],
  };
}

function mustParse(text: string): Version {
  const v = parseVersion(text);
  if (!v) throw new UserError(`not a version: ${JSON.stringify(text)}`, { hint: 'write it like 12.2.0 or v0.30.1' });
  return v;
}

/** Semver precedence of two pre-release identifiers: numbers before words, numbers by value, words by ASCII. */
function compareIdentifiers(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Semver order: -1, 0 or 1. A pre-release sorts before its release (`12.2.0-beta1` < `12.2.0`),
 * so a feature that shipped in 12.2.0 counts as absent from its betas (the conservative reading).
 * Throws a UserError when either side is not a version.
 */
export function compareVersions(a: string, b: string): number {
  const x = mustParse(a);
  const y = mustParse(b);
  const core = Math.sign(x.major - y.major) || Math.sign(x.minor - y.minor) || Math.sign(x.patch - y.patch);
  if (core !== 0) return core;
  if (x.pre.length === 0 || y.pre.length === 0) return Math.sign(y.pre.length - x.pre.length);
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const c = compareIdentifiers(x.pre[i]!, y.pre[i]!);
    if (c !== 0) return c;
  }
  return Math.sign(x.pre.length - y.pre.length);
}

/** Whether `version` is `min` or newer. */
export function atLeast(version: string, min: string): boolean {
  return compareVersions(version, min) >= 0;
}

/** A span of releases: `from` included, `until` excluded; an open end reaches every version on that side. */
export interface VersionRange {
  from?: string;
  until?: string;
}

export function inVersionRange(version: string, range: VersionRange): boolean {
  return (range.from === undefined || atLeast(version, range.from)) && (range.until === undefined || !atLeast(version, range.until));
}

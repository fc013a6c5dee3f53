/** Edit distance (insertions, deletions, substitutions, adjacent swaps), bounded for speed. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Three rolling rows, allocated once per call (a file with a million unknown keys calls this millions of times).
  const width = b.length + 1;
  let prevPrev = new Int32Array(width);
  let prev = new Int32Array(width);
  let row = new Int32Array(width);
  for (let j = 0; j < width; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      row[j] = d;
    }
    [prevPrev, prev, row] = [prev, row, prevPrev];
  }
  return prev[b.length]!;
}

/** Names compared without case, `-`, `_` or spaces; candidates repeat across calls, so their forms are kept. */
const normalized = new Map<string, string>();
function norm(s: string): string {
  let n = normalized.get(s);
  if (n === undefined) {
    n = s.toLowerCase().replace(/[-_\s]/g, '');
    if (normalized.size < 10_000) normalized.set(s, n);
  }
  return n;
}

/**
 * The closest candidate to a misspelled name, if close enough to be a likely typo (case and
 * `-`/`_` differences count as close). Undefined when nothing is plausibly meant.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase().replace(/[-_\s]/g, '');
  const budget = Math.max(1, Math.floor(Math.max(wanted.length, 3) / 4));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === name) return undefined;
    const distance = editDistance(wanted, norm(candidate), budget);
    if (distance <= budget && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

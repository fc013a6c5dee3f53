/** Rolling rows shared by every call (a file with a million unknown keys calls this millions of times); grown on demand. */
let rowBuffers: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Edit distance (insertions, deletions, substitutions, adjacent swaps), bounded for speed: once it must exceed
 * `max`, the result is some number above `max` rather than the exact distance.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const width = b.length + 1;
  if (rowBuffers[0].length < width) rowBuffers = [new Int32Array(width), new Int32Array(width), new Int32Array(width)];
  let prevPrev = rowBuffers[0];
  let prev = rowBuffers[1];
  let row = rowBuffers[2];
  for (let j = 0; j < width; j++) prev[j] = j;
  let prevMin = 0;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    // Only cells within `max` of the diagonal can stay within `max`; the cell either side of that band reads as past it.
    const lo = Math.max(1, i - max);
    const hi = Math.min(b.length, i + max);
    if (lo > 1) row[lo - 1] = max + 1;
    if (hi < b.length) row[hi + 1] = max + 1;
    let rowMin = lo === 1 ? i : max + 1;
    for (let j = lo; j <= hi; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      row[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // Every later cell builds on this row or the one before (a swap reaches back two rows): past `max` in both, it stays past.
    if (rowMin > max && prevMin > max) return max + 1;
    prevMin = rowMin;
    const spare = prevPrev;
    prevPrev = prev;
    prev = row;
    row = spare;
  }
  return prev[b.length]!;
}

/** Names compared without case, `-`, `_` or spaces, with the set of characters they use (see `unmatched`). */
interface Form {
  text: string;
  chars: number;
}

/** A 32-bit set of a string's characters, each folded into one of 32 buckets (by its code's low five bits). */
function charSet(text: string): number {
  let set = 0;
  for (let i = 0; i < text.length; i++) set |= 1 << (text.charCodeAt(i) & 31);
  return set;
}

function formOf(s: string): Form {
  const text = s.toLowerCase().replace(/[-_\s]/g, '');
  return { text, chars: charSet(text) };
}

/** Candidates repeat across calls, so their forms are kept. */
const candidateForms = new Map<string, Form>();
function candidateForm(s: string): Form {
  let form = candidateForms.get(s);
  if (form === undefined) {
    form = formOf(s);
    if (candidateForms.size < 10_000) candidateForms.set(s, form);
  }
  return form;
}

/**
 * How many characters of `text` fall in a bucket `other` does not use. Each must be substituted or deleted, one
 * edit each, so this is a lower bound of the edit distance: a cheap way to skip most hopeless candidates.
 */
function unmatched(text: string, other: number): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if ((other & (1 << (text.charCodeAt(i) & 31))) === 0) count++;
  return count;
}

/**
 * The closest candidate to a misspelled name, if close enough to be a likely typo (case and
 * `-`/`_` differences count as close). Undefined when nothing is plausibly meant.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = formOf(name);
  const budget = Math.max(1, Math.floor(Math.max(wanted.text.length, 3) / 4));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === name) return undefined;
    const form = candidateForm(candidate);
    if (unmatched(wanted.text, form.chars) > budget || unmatched(form.text, wanted.chars) > budget) continue;
    const distance = editDistance(wanted.text, form.text, budget);
    if (distance <= budget && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

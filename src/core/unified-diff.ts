// A line-based unified diff (Myers' O((N+M)D) algorithm), as `diff -u` prints it: `---`/`+++`
// headers, `@@ -l,s +l,s @@` hunks with 3 lines of context, `\ No newline at end of file`.

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Lines with their line ending kept, so a last line without one differs from the same line with it. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The shortest edit script from `a` to `b` (Myers 1986, with the trace kept for the walk back). */
function editScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
      let x = down ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk back through the trace: each step is a diagonal run, then one deletion or insertion.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const prev = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && prev[offset + k - 1]! < prev[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : prev[offset + prevK]!;
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      y--;
      ops.push({ kind: ' ', line: a[--x]! });
    }
    if (d > 0) {
      if (down) ops.push({ kind: '+', line: b[--y]! });
      else ops.push({ kind: '-', line: a[--x]! });
    }
  }
  return ops.reverse();
}

function printLine(op: Op): string {
  const body = op.line.endsWith('\n') ? op.line : `${op.line}\n\\ No newline at end of file\n`;
  return op.kind + body;
}

/** `l,s` as diff prints it: `l` alone for one line; for none, the line before the gap. */
function range(start: number, count: number): string {
  if (count === 1) return String(start + 1);
  return `${count === 0 ? start : start + 1},${count}`;
}

/** [first, last] indexes of the changes that share a hunk: those fewer than 2 * context unchanged lines apart. */
function changeGroups(ops: Op[], context: number): [number, number][] {
  const groups: [number, number][] = [];
  ops.forEach((op, i) => {
    if (op.kind === ' ') return;
    const group = groups.at(-1);
    if (group && i - group[1] <= 2 * context + 1) group[1] = i;
    else groups.push([i, i]);
  });
  return groups;
}

/**
 * The unified diff that turns `before` into `after`, or '' when they are equal. `context` lines of
 * unchanged text surround each change; changes closer than twice that share a hunk.
 */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, context = 3): string {
  if (before === after) return '';
  const ops = editScript(splitLines(before), splitLines(after));
  let out = `--- ${labels.from}\n+++ ${labels.to}\n`;
  for (const [first, last] of changeGroups(ops, context)) {
    const start = Math.max(0, first - context);
    const end = Math.min(ops.length, last + context + 1);
    const before = ops.slice(0, start);
    const hunk = ops.slice(start, end);
    const count = (list: Op[], skip: Op['kind']) => list.filter((op) => op.kind !== skip).length;
    out += `@@ -${range(count(before, '+'), count(hunk, '+'))} +${range(count(before, '-'), count(hunk, '-'))} @@\n`;
    out += hunk.map(printLine).join('');
  }
  return out;
}

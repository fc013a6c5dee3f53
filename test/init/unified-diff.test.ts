import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/core/unified-diff.js';

/** Applies a unified diff to `before`, checking every context and removed line against it. */
function applyPatch(before: string, patch: string): string {
  const lines = before.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const body = patch.split('\n').slice(2);
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < body.length; i++) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(body[i]!);
    if (!header) continue;
    const oldStart = Number(header[1]) - (header[2] === '0' ? 0 : 1);
    out.push(...lines.slice(at, oldStart));
    at = oldStart;
    for (i++; i < body.length && !body[i]!.startsWith('@@') && body[i] !== ''; i++) {
      const line = body[i]!;
      const noEol = body[i + 1] === '\\ No newline at end of file';
      const text = line.slice(1) + (noEol ? '' : '\n');
      if (noEol) i++;
      if (line[0] !== '+') expect(lines[at++]).toBe(text);
      if (line[0] !== '-') out.push(text);
    }
    i--;
  }
  return [...out, ...lines.slice(at)].join('');
}

function gnuDiff(before: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gp-diff-'));
  writeFileSync(join(dir, 'a'), before);
  writeFileSync(join(dir, 'b'), after);
  try {
    execFileSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')]);
    return '';
  } catch (err) {
    return String((err as { stdout: Buffer }).stdout).split('\n').slice(2).join('\n');
  }
}

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}\n`).join('');
const labels = { from: 'a/grafana.ini', to: 'b/grafana.ini' };
const body = (d: string) => d.split('\n').slice(2).join('\n');

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', labels)).toBe('');
  });

  it('prints the headers, then hunks with 3 lines of context, as diff -u does', () => {
    const before = numbered(20);
    const after = before.replace('line 3\n', 'LINE 3\n').replace('line 15\n', '').replace('line 19\n', 'line 19');
    const diff = unifiedDiff(before, after, labels);
    expect(diff.startsWith('--- a/grafana.ini\n+++ b/grafana.ini\n@@ -1,7 +1,7 @@\n line 0\n')).toBe(true);
    expect(body(diff)).toBe(gnuDiff(before, after));
  });

  it('joins changes that are at most 6 unchanged lines apart into one hunk, and splits them at 7', () => {
    const base = numbered(30);
    const near = base.replace('line 5\n', 'five\n').replace('line 12\n', 'twelve\n');
    const far = base.replace('line 5\n', 'five\n').replace('line 13\n', 'thirteen\n');
    expect(unifiedDiff(base, near, labels).match(/^@@/gm)).toHaveLength(1);
    expect(unifiedDiff(base, far, labels).match(/^@@/gm)).toHaveLength(2);
    expect(body(unifiedDiff(base, near, labels))).toBe(gnuDiff(base, near));
    expect(body(unifiedDiff(base, far, labels))).toBe(gnuDiff(base, far));
  });

  it('numbers insertions into an empty file and at the end as diff -u does', () => {
    expect(body(unifiedDiff('', 'a\nb\n', labels))).toBe(gnuDiff('', 'a\nb\n'));
    expect(body(unifiedDiff('a\n', 'a\nb\n', labels))).toBe(gnuDiff('a\n', 'a\nb\n'));
    expect(body(unifiedDiff('a\nb\nc\n', 'a\nc\n', labels))).toBe(gnuDiff('a\nb\nc\n', 'a\nc\n'));
    expect(body(unifiedDiff('x', 'x\n', labels))).toBe(gnuDiff('x', 'x\n'));
  });

  it('turns any text into any other (applying its hunks gives the new text)', () => {
    const text = fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', '\n', 'd\r\n', 'e'), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const diff = unifiedDiff(before, after, labels);
        expect(diff === '').toBe(before === after);
        if (diff) expect(applyPatch(before, diff)).toBe(after);
      }),
      { numRuns: 300 },
    );
  });

  it('is minimal: it never removes and re-adds more lines than diff -u', () => {
    const text = fc.array(fc.constantFrom('a\n', 'b\n', 'c\n'), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const changes = (d: string) => d.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l)).length;
        expect(changes(body(unifiedDiff(before, after, labels)))).toBe(changes(gnuDiff(before, after)));
      }),
      { numRuns: 60 },
    );
  });
});

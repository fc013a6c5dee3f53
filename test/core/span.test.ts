import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/core/span.js';

/** Line and column counted character by character. */
function naivePosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

describe('LineIndex', () => {
  it('gives every offset its line and column, whatever order the offsets are asked in', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\n', '\r', ' '), maxLength: 60 });
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 20 }), (t, picks) => {
        const index = new LineIndex(t, 'f');
        // In file order (the readers' case), then in the order given, then backwards.
        const offsets = Array.from({ length: t.length + 1 }, (_, i) => i);
        const order = [...offsets, ...picks.map((p) => p % (t.length + 1)), ...offsets.reverse()];
        for (const offset of order) expect(index.position(offset)).toEqual(naivePosition(t, offset));
      }),
    );
  });

  it('spans run from the start to the end position, an end before the start meaning the start', () => {
    const index = new LineIndex('ab\ncd\n\nef', 'f.ini');
    expect(index.span(1, 8)).toEqual({ file: 'f.ini', line: 1, column: 2, endLine: 4, endColumn: 2 });
    expect(index.span(4, 3)).toEqual({ file: 'f.ini', line: 2, column: 2, endLine: 2, endColumn: 2 });
    expect(index.span(6, 6)).toEqual({ file: 'f.ini', line: 3, column: 1, endLine: 3, endColumn: 1 });
  });
});

import { describe, expect, it } from 'vitest';
import { groupBy } from '../../src/core/group-by.js';

describe('groupBy', () => {
  it('keeps groups in first-seen order and items in input order', () => {
    const groups = groupBy(['b1', 'a1', 'b2', 'c1', 'a2'], (s) => s[0]!);
    expect([...groups]).toEqual([
      ['b', ['b1', 'b2']],
      ['a', ['a1', 'a2']],
      ['c', ['c1']],
    ]);
  });

  it('gives an empty map for no items', () => {
    expect(groupBy([], String).size).toBe(0);
  });
});

// plainData against yaml's own toJS (yaml 2.9.1): wherever it answers, the data must be what
// `node.toJS(doc, { maxAliasCount: 100 })` gives, own properties and all (util.isDeepStrictEqual).
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { NOT_PLAIN, plainData } from '../../src/pomerium/plain-data.js';
import { YAML_OPTIONS } from '../../src/pomerium/read.js';
import { blockYaml, editedBlockYaml } from '../helpers/yaml-arbitrary.js';

/** Converts the document both ways; says whether plainData answered. */
function agrees(text: string): boolean {
  const doc = parseDocument(text, YAML_OPTIONS);
  const mine = plainData(doc.contents);
  if (mine === NOT_PLAIN) return false;
  const theirs: unknown = doc.contents === null ? null : doc.contents.toJS(doc, { maxAliasCount: 100 });
  if (!isDeepStrictEqual(mine, theirs)) throw new Error(`plainData differs from toJS for ${JSON.stringify(text)}: ${JSON.stringify(mine)} / ${JSON.stringify(theirs)}`);
  return true;
}

describe('plainData', () => {
  it('gives what toJS gives for generated and edited YAML, or leaves it to toJS', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.oneof(blockYaml, editedBlockYaml), (text) => {
        if (agrees(text)) answered++;
      }),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(500); // the property is not vacuous
  });

  it('keeps inherited names and colliding keys as toJS does (own properties, the last one wins)', () => {
    for (const text of ['__proto__: {polluted: 1}\n', 'toString: 1\nconstructor: 2\n', '1: a\n"1": b\n', '~: a\n"": b\n', 'true: 1\n1.0: x\n', '[a: 1]\n']) expect(agrees(text)).toBe(true);
    const data = plainData(parseDocument('__proto__: {polluted: 1}\n', YAML_OPTIONS).contents) as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['__proto__']);
  });

  it('leaves aliases, anchors, tags, merge keys and collection keys to toJS', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 's: !!set {a, b}\n', 'o: !!omap [a: 1]\n', '<<: {a: 1}\nb: 2\n', '? [a]\n: 1\n', 'x: !!binary aGk=\n']) {
      expect({ text, data: plainData(parseDocument(text, YAML_OPTIONS).contents) }).toEqual({ text, data: NOT_PLAIN });
    }
  });
});

// The fast reader against yaml itself (issue 14): wherever parseDocumentFast answers, its document must be
// the one yaml's parseDocument gives (yaml 2.9.1, the version in package-lock.json), node by node: class,
// value, scalar type, source, format, and all three offsets of every range. Where yaml reports an error or
// a warning, the fast reader must not answer. The expected values are yaml's own output, computed here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { parseDocumentFast } from '../../src/pomerium/fast-document.js';
import { YAML_OPTIONS } from '../../src/pomerium/read.js';
import { blockYaml, editedBlockYaml } from '../helpers/yaml-arbitrary.js';

/** Everything a node says that readers may use (comments aside: no reader of Pomerium files uses them). */
function shape(node: unknown): unknown {
  if (isScalar(node)) {
    const v = node.value;
    const value = typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? `number:${String(Object.is(v, -0) ? '-0' : v)}` : v;
    return { scalar: value, type: node.type, range: node.range, source: node.source, format: node.format, minFractionDigits: node.minFractionDigits, tag: node.tag, anchor: node.anchor };
  }
  if (isMap(node)) return { map: node.items.map((p) => [shape(p.key), shape(p.value)]), range: node.range, flow: node.flow, tag: node.tag, anchor: node.anchor };
  if (isSeq(node)) return { seq: node.items.map(shape), range: node.range, flow: node.flow, tag: node.tag, anchor: node.anchor };
  return { other: String(node) };
}

const documentShape = (doc: Document.Parsed) => ({ contents: shape(doc.contents), range: doc.range, docStart: doc.directives.docStart, toJS: JSON.stringify(doc.toJS({ maxAliasCount: 100 })) });

/** Checks one text; says whether the fast reader answered. */
function agrees(text: string): boolean {
  const fast = parseDocumentFast(text, YAML_OPTIONS);
  if (!fast) return false;
  const yaml = parseDocument(text, YAML_OPTIONS);
  if (yaml.errors.length + yaml.warnings.length > 0) throw new Error(`parseDocumentFast answered where yaml says ${[...yaml.errors, ...yaml.warnings].map((e) => e.code)}: ${JSON.stringify(text)}`);
  const [mine, theirs] = [JSON.stringify(documentShape(fast)), JSON.stringify(documentShape(yaml))];
  if (mine !== theirs) throw new Error(`parseDocumentFast differs from yaml for ${JSON.stringify(text)}\n fast: ${mine}\n yaml: ${theirs}`);
  return true;
}

describe('parseDocumentFast', () => {
  it("answers the issue's 10,000-route config exactly as yaml does", () => {
    const lines = ['signing_key_file: /pomerium/signing-key.pem', 'routes:'];
    for (let i = 0; i < 10_000; i++) lines.push(`  - from: https://app-${i}.example.com`, `    to: http://app-${i}:8080`, '    policy:', '      - allow:', '          or:', '            - domain:', '                is: example.com');
    expect(agrees(lines.join('\n') + '\n')).toBe(true);
  });

  it('answers for the block-style YAML files of this repository exactly as yaml does, and leaves the rest to yaml', () => {
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' }).split('\n').filter(Boolean);
    const answered = files.filter((f) => agrees(readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8')));
    // Most are block style; anchors, block scalars, some comment placements and errors fall back.
    expect(answered.length).toBeGreaterThan(files.length / 2);
  });

  it('agrees with yaml on generated block YAML, or does not answer', () => {
    let answered = 0;
    fc.assert(
      fc.property(blockYaml, (text) => {
        if (agrees(text)) answered++;
      }),
      { numRuns: 1500 },
    );
    expect(answered).toBeGreaterThan(300); // the property is not vacuous
  });

  it('agrees with yaml on edited block YAML (errors included: it must then not answer)', () => {
    fc.assert(
      fc.property(editedBlockYaml, (text) => void agrees(text)),
      { numRuns: 3000 },
    );
  });

  it('answers for one-line flow collections, a leading --- and indented comment lines, as yaml reads them', () => {
    for (const text of [
      // A comment deeper than its mapping joins the value before it (yaml moves that value's range end); one at the items' column stays before the next item.
      'routes:\n  - from: https://a.example.com\n    to: http://a:80\n      # about to\n  # the next route\n  - from: https://b.example.com\n    # its destination\n    to: http://b:80\n',
      '---\nallowed_users: []\nroutes:\n  - from: https://a.example.com\n    to: [http://a:80, "http://b:80,2"]  # weighted\n    policy: [{allow: {or: [{email: {is: x@example.com}}]}}]\n',
      '# config\n---\nroutes:\n- {from: https://a.example.com, to: http://a:80, pass_identity_headers: true}\n- from: https://b.example.com\n  to: [ http://b:80, ]\n',
    ]) {
      expect({ text, agrees: agrees(text) }).toEqual({ text, agrees: true });
    }
  });

  it('leaves to yaml what it does not model', () => {
    for (const text of [
      'a: &x 1\nb: *x\n', // anchors and aliases
      'a: !!str 1\n', // tags
      'a: [1,\n  2]\n', // flow collections over several lines
      'a: [b: 1]\n', // a compact pair in a flow sequence
      '[a, b]\n', // a document that is one flow collection (JSON)
      'a: |\n  text\n', // block scalars
      '? a\n: 1\n', // explicit keys
      'a: 1\n---\nb: 2\n', // document markers other than one leading `---`
      '--- a: 1\n',
      '---\n---\na: 1\n',
      'a: 1\n...\n',
      '%YAML 1.2\n---\na: 1\n',
      'a:\n  b: 1\n  # c\n', // a comment that stays in the mapping it closes moves the mapping's end
      'a:\tb\n', // tabs
      'a: 1\r\nb: 2\r\n', // CRs
      '<<: {a: 1}\n',
      'a: 1\na: 2\n', // yaml: duplicate key error
      'just a scalar\n',
      '',
      '- a\n-\n- b\n', // an empty sequence item
      `${'k'.repeat(1030)}: v\n`, // yaml: KEY_OVER_1024_CHARS
      'a: "x\ny"\n', // yaml: a quoted line not indented enough
      'a: "\\z"\n', // yaml: BAD_DQ_ESCAPE
    ]) {
      expect({ text, fast: parseDocumentFast(text, YAML_OPTIONS) }).toEqual({ text, fast: null });
    }
  });
});

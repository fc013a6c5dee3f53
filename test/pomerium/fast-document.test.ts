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

const documentShape = (doc: Document.Parsed) => ({ contents: shape(doc.contents), range: doc.range, toJS: JSON.stringify(doc.toJS({ maxAliasCount: 100 })) });

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

/** Scalars the fast reader models: each of yaml's core schema tags (null, bool, int in three bases, float, .inf, .nan), quoting and escapes, indicators inside plain text. */
const SCALARS = [
  'a', 'b c', 'https://app.example.com/p?q=1&r=2#frag', 'http://grafana:3000', 'x/*', '^/api/.*$', 'a#b', 'a:b', '-a', '--', '@x', '`x', '%x', 'é', '😀', '',
  '0', '1', '-1', '+1', '007', '1_000', '0x1F', '0X1f', '0o17', '0o8', '0b1', '1.50', '.5', '5.', '1e3', '-1.5E-3', '.inf', '-.Inf', '+.INF', '.nan', '.NaN',
  'true', 'True', 'TRUE', 'false', 'FALSE', 'yes', 'no', 'on', 'null', 'Null', 'NULL', '~', 'nulls', 'truex',
  "'q'", "'it''s'", "''", "' a '", '"d"', '""', '"a\\tb"', '"\\u00e9"', '"x\\ny"', '"\\x41"', '"a\\\nb"', '"#not comment"', "'multi\n  line'", '"multi\n  line"',
  'multi\n  line', 'a\n\n  b',
];
/** Scalars it leaves to yaml, or that are errors: indicators, anchors, tags, flow and block collections. */
const TRICKY = ['a #b', 'a: b', '- a', '"', "'", '#', ':', '[a]', '{a: 1}', '*x', '&x v', '!x v', '!!str 1', '|', '>', '|\n  text', '? a', '<<'];
const KEYS = ['a', 'from', 'to', 'policy', 'b c', '"q"', "'s'", '1', 'true', 'null', '~', '-x', 'a.b', '<<', 'ü', 'k', 'k'.repeat(1030), `"${'q'.repeat(1030)}"`];

type Tree = string | { map: [string, Tree][] } | { seq: Tree[] };

/** A document: a mapping or a sequence at the top (a document that is one scalar is left to yaml), scalars mostly modelled ones. */
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree; map: Tree; seq: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: fc.constantFrom(...SCALARS), weight: 8 },
    { arbitrary: fc.constantFrom(...TRICKY), weight: 1 },
    { arbitrary: tie('map'), weight: 3 },
    { arbitrary: tie('seq'), weight: 3 },
  ),
  map: fc.record({ map: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { minLength: 1, maxLength: 4 }) }),
  seq: fc.record({ seq: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
})).node.filter((t) => typeof t !== 'string');

/** Layout choices: indentation width, comments after values, blank lines, column-0 and indented comment lines, trailing spaces, a sequence indented or not under its key. */
const layout = fc.record({ indent: fc.integer({ min: 1, max: 4 }), comment: fc.nat({ max: 5 }), blank: fc.nat({ max: 5 }), lineComment: fc.nat({ max: 7 }), trailing: fc.nat({ max: 5 }), seqInline: fc.boolean(), seed: fc.nat() });

function render(node: Tree, opts: { indent: number; comment: number; blank: number; lineComment: number; trailing: number; seqInline: boolean; seed: number }): string {
  let seed = opts.seed;
  const chance = (oneIn: number) => oneIn > 0 && (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % (oneIn + 2) === 0;
  const lines: string[] = [];
  const end = (line: string) => line + (chance(opts.trailing) ? '  ' : '') + (chance(opts.comment) ? ' # note' : '');
  const extras = (col: number) => {
    if (chance(opts.blank)) lines.push('');
    if (chance(opts.lineComment)) lines.push(`${' '.repeat(chance(6) ? col : 0)}# line`);
  };
  const walk = (n: Tree, col: number, prefix: string) => {
    if (typeof n === 'string') return void lines.push(end(prefix + n));
    const items: [string | null, Tree][] = 'map' in n ? n.map : n.seq.map((v) => [null, v]);
    items.forEach(([key, value], i) => {
      const lead = i === 0 ? prefix : ' '.repeat(col);
      const head = key === null ? `${lead}- ` : `${lead}${key}:`;
      if (typeof value === 'string') walk(value, col, key === null ? head : `${head} `);
      else if (key === null) walk(value, col + 2, head);
      else {
        lines.push(end(head));
        const inner = 'seq' in value && opts.seqInline ? col : col + opts.indent;
        walk(value, inner, ' '.repeat(inner));
      }
      extras(col);
    });
  };
  walk(node, 0, '');
  return lines.join('\n') + (chance(3) ? '' : '\n');
}

const EDITS = ['\n', ' ', '  ', ':', ': ', '-', '- ', '#', ' #', "'", '"', '\t', '?', 'x'];
const edit = fc.record({ at: fc.nat(), drop: fc.nat({ max: 3 }), insert: fc.constantFrom('', ...EDITS) });

describe('parseDocumentFast', () => {
  it("answers the issue's 10,000-route config exactly as yaml does", () => {
    const lines = ['signing_key_file: /pomerium/signing-key.pem', 'routes:'];
    for (let i = 0; i < 10_000; i++) lines.push(`  - from: https://app-${i}.example.com`, `    to: http://app-${i}:8080`, '    policy:', '      - allow:', '          or:', '            - domain:', '                is: example.com');
    expect(agrees(lines.join('\n') + '\n')).toBe(true);
  });

  it('answers for the block-style YAML files of this repository exactly as yaml does, and leaves the rest to yaml', () => {
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' }).split('\n').filter(Boolean);
    const answered = files.filter((f) => agrees(readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8')));
    // Most are block style; flow collections, anchors, block scalars, indented comments and errors fall back.
    expect(answered.length).toBeGreaterThan(files.length / 2);
  });

  it('agrees with yaml on generated block YAML, or does not answer', () => {
    let answered = 0;
    fc.assert(
      fc.property(tree, layout, (t, l) => {
        if (agrees(render(t, l))) answered++;
      }),
      { numRuns: 1500 },
    );
    expect(answered).toBeGreaterThan(300); // the property is not vacuous
  });

  it('agrees with yaml on edited block YAML (errors included: it must then not answer)', () => {
    fc.assert(
      fc.property(tree, layout, fc.array(edit, { minLength: 1, maxLength: 4 }), (t, l, edits) => {
        let text = render(t, l);
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.drop);
        }
        agrees(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves to yaml what it does not model', () => {
    for (const text of [
      'a: &x 1\nb: *x\n', // anchors and aliases
      'a: !!str 1\n', // tags
      'a: [1, 2]\n', // flow collections
      'a: |\n  text\n', // block scalars
      '? a\n: 1\n', // explicit keys
      '---\na: 1\n', // document markers
      'a: 1\n---\nb: 2\n',
      '%YAML 1.2\n---\na: 1\n',
      'a:\n  b: 1\n  # indented comment\n', // yaml moves a range end over it
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

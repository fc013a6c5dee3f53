// Random block-style YAML documents for differential tests against yaml itself: trees of mappings and
// sequences whose scalars cover yaml's core schema, quoting and escapes, laid out with random
// indentation, comments, blank lines and trailing spaces; optionally edited at random places.
import fc from 'fast-check';

/** Scalars the fast reader models: each of yaml's core schema tags (null, bool, int in three bases, float, .inf, .nan), quoting and escapes, indicators inside plain text. */
const SCALARS = [
  'a', 'b c', 'https://app.example.com/p?q=1&r=2#frag', 'http://grafana:3000', 'x/*', '^/api/.*$', 'a#b', 'a:b', '-a', '--', '@x', '`x', '%x', 'é', '😀', '',
  '0', '1', '-1', '+1', '007', '1_000', '0x1F', '0X1f', '0o17', '0o8', '0b1', '1.50', '.5', '5.', '1e3', '-1.5E-3', '.inf', '-.Inf', '+.INF', '.nan', '.NaN',
  'true', 'True', 'TRUE', 'false', 'FALSE', 'yes', 'no', 'on', 'null', 'Null', 'NULL', '~', 'nulls', 'truex',
  "'q'", "'it''s'", "''", "' a '", '"d"', '""', '"a\\tb"', '"\\u00e9"', '"x\\ny"', '"\\x41"', '"a\\\nb"', '"#not comment"', "'multi\n  line'", '"multi\n  line"',
  'multi\n  line', 'a\n\n  b',
];
/** Flow collections, placed where scalars go: on one line (modelled) or several (left to yaml), trailing commas, compact pairs. */
const FLOW = ['[]', '{}', '[ ]', '{ }', '[a, b]', '[ a , "b" ]', '[a,b]', '[a ,b]', '[a, b,]', '{a: 1, b: [2, 3]}', '{a: b}', '{ a: b }', '[{x: 1}]', '[1, 2.5, true, null, ~, 0x1F]', "['q', \"d\"]", '{"a":1}', '{a: 1, a: 2}', '[a: 1]', '{a}', '{a: }', '[a,\n  b]', '{a: [b, {c: d}]}', '[a]  # c', '[a] x'];
/** Scalars it leaves to yaml, or that are errors: indicators, anchors, aliases, tags, block scalars, explicit keys, merge keys. */
const TRICKY = ['a #b', 'a: b', '- a', '"', "'", '#', ':', '*x', '&x v', '!x v', '!!str 1', '|', '>', '|\n  text', '? a', '<<'];
const KEYS = ['a', 'from', 'to', 'policy', 'b c', '"q"', "'s'", '1', '"1"', 'true', 'null', '~', '-x', 'a.b', '<<', 'ü', 'k', '__proto__', 'toString', 'k'.repeat(1030), `"${'q'.repeat(1030)}"`];

type Tree = string | { map: [string, Tree][] } | { seq: Tree[] };

/** A document: a mapping or a sequence at the top (a document that is one scalar is left to yaml), scalars mostly modelled ones. */
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree; map: Tree; seq: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: fc.constantFrom(...SCALARS), weight: 8 },
    { arbitrary: fc.constantFrom(...TRICKY), weight: 1 },
    { arbitrary: fc.constantFrom(...FLOW), weight: 2 },
    { arbitrary: tie('map'), weight: 3 },
    { arbitrary: tie('seq'), weight: 3 },
  ),
  map: fc.record({ map: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { minLength: 1, maxLength: 4 }) }),
  seq: fc.record({ seq: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
})).node.filter((t) => typeof t !== 'string');

/** Layout choices: a leading `---` line, indentation width, comments after values, blank lines, column-0 and indented comment lines, trailing spaces, a sequence indented or not under its key. */
type Layout = { head: string; indent: number; comment: number; blank: number; lineComment: number; trailing: number; seqInline: boolean; seed: number };

const layout: fc.Arbitrary<Layout> = fc.record({ head: fc.constantFrom('', '', '---\n', '# head\n\n---\n', '--- # c\n\n', '---  \n'), indent: fc.integer({ min: 1, max: 4 }), comment: fc.nat({ max: 5 }), blank: fc.nat({ max: 5 }), lineComment: fc.nat({ max: 7 }), trailing: fc.nat({ max: 5 }), seqInline: fc.boolean(), seed: fc.nat() });

function render(node: Tree, opts: Layout): string {
  let seed = opts.seed;
  const chance = (oneIn: number) => oneIn > 0 && (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % (oneIn + 2) === 0;
  const lines: string[] = [];
  const end = (line: string) => line + (chance(opts.trailing) ? '  ' : '') + (chance(opts.comment) ? ' # note' : '');
  const extras = (col: number) => {
    if (chance(opts.blank)) lines.push('');
    // Comment lines at column 0, at the items' column, or just off it, or deeper: yaml places each differently.
    if (chance(opts.lineComment)) lines.push(`${' '.repeat(Math.max(0, [0, col, col, col - 1, col + 1, col + 2, col + 4][(seed >>> 3) % 7]!))}# line`);
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
  return opts.head + lines.join('\n') + (chance(3) ? '' : '\n');
}

/** Edits that break or bend a document: indentation, indicators, quotes, tabs. */
const EDITS = ['\n', ' ', '  ', ':', ': ', '-', '- ', '#', ' #', "'", '"', '\t', '?', 'x'];
const edit = fc.record({ at: fc.nat(), drop: fc.nat({ max: 3 }), insert: fc.constantFrom('', ...EDITS) });

/** A block-style document (it parses, unless a tricky scalar breaks it). */
export const blockYaml: fc.Arbitrary<string> = fc.tuple(tree, layout).map(([t, l]) => render(t, l));

/** A block-style document edited at one to four random places (often no longer valid YAML). */
export const editedBlockYaml: fc.Arbitrary<string> = fc.tuple(blockYaml, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) => {
  for (const e of edits) {
    const at = e.at % (text.length + 1);
    text = text.slice(0, at) + e.insert + text.slice(at + e.drop);
  }
  return text;
});

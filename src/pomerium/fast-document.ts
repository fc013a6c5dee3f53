// yaml's parseDocument, for large block-style files, at about a third of the cost (issue 14): js-yaml's
// event parser finds the structure and the source offsets, and this module builds from them the same
// yaml nodes, ranges and scalar values yaml's composer would (yaml 2.9, src/compose/*), resolving
// every plain scalar with yaml's own schema tags. It answers only for the YAML it models exactly and
// returns null for anything else (flow collections over several lines or as the whole document,
// anchors, aliases, tags, block scalars, explicit keys, directives, document markers but one leading
// `---`, several documents, a comment line that yaml keeps inside a closing collection or after a
// flow one, empty sequence items, a comment after an empty value, tabs, CRs, merge keys, duplicate
// keys, anything js-yaml refuses), so the caller falls back to yaml's own parse. A differential test
// (test/pomerium/fast-document.test.ts) holds it to yaml's output node by node, range by range.
//
// The document carries no comments (nothing that reads Pomerium files uses them) and is read-only.
import * as jsYaml from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';
import { columnOf, nextLineStart } from '../core/span.js';
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isScalar, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

// Bound once: in the bundle, js-yaml is a CommonJS module whose every export read is a getter call.
const { EVENT_ID, SCALAR_STYLE, getScalarValue, parseEvents } = jsYaml;

type Options = ParseOptions & DocumentOptions & SchemaOptions;
type Range = [number, number, number];

/**
 * Text-level features whose ranges or meaning the events do not show: tabs and CRs (yaml's
 * whitespace rules differ from js-yaml's), a byte-order mark, directives, document end markers and
 * `---` other than one alone on the document's first line (see LEADING_DOCUMENT_START), and explicit
 * `?` keys.
 */
const UNMODELLED_TEXT = /[\t\r\uFEFF]|^(?:%|\.\.\.|---(?:[^ \n]|[ ]+[^ #\n]))|^[ ]*(?:-[ ]+)*\?(?:[ ]|$)/m;
/** `---` alone on the first line that is not blank or a comment: the document's start (yaml's range starts there). */
const LEADING_DOCUMENT_START = /^(?:[ ]*(?:#[^\n]*)?\n)*(?=---)/y;
const DOCUMENT_START = /^---/gm;

interface Frame {
  node: YAMLMap | YAMLSeq;
  /** A mapping's key that waits for its value. */
  key: Scalar | null;
  /** A large mapping's key values so far (see hasKey). */
  keys: Set<unknown> | null;
  /** Where the collection starts, and where its last child's node ends (that child's range[2]). */
  start: number;
  end: number;
  /** Where its items begin in `children`. */
  base: number;
  /** A flow collection (`[...]`, `{...}`), all on one line. */
  flow: boolean;
}

/**
 * The document yaml's `parseDocument(text, options)` returns, built from js-yaml's events; null when
 * the text uses YAML this module does not model (the caller then parses with yaml).
 */
export function parseDocumentFast(text: string, options: Options): Document.Parsed | null {
  if (UNMODELLED_TEXT.test(text)) return null;
  const markers = text.match(DOCUMENT_START)?.length ?? 0;
  LEADING_DOCUMENT_START.lastIndex = 0;
  const leading = LEADING_DOCUMENT_START.exec(text);
  if (markers > 1 || (markers === 1 && !leading)) return null;
  const docStart = leading ? leading[0].length : -1;
  let events: Event[];
  try {
    events = parseEvents(text, {});
  } catch {
    return null; // yaml reports it, in its own words
  }
  const doc = new Document(undefined, options) as Document.Parsed;
  const stringTag = (doc.schema as unknown as Record<symbol, ScalarTag>)[SCALAR_TAG]!;
  // findScalarTagByTest (yaml src/compose/compose-scalar.ts): the first default tag whose test
  // matches, a key also trying the tags that apply to keys only (merge's `<<`).
  const scalarTags = doc.schema.tags.filter((t) => !t.collection && (t as ScalarTag).test) as ScalarTag[];
  const valueTags = scalarTags.filter((t) => t.default === true);
  const keyTags = scalarTags.filter((t) => t.default === true || t.default === 'key');
  let failed = false;
  const onError = () => (failed = true);

  /** composeScalar for an untagged scalar; null where yaml would report an error, or for a merge key. */
  const scalarOf = (value: string, plain: boolean, atKey: boolean): Scalar | null => {
    let tag = stringTag;
    if (plain) {
      for (const t of atKey ? keyTags : valueTags) {
        if (t.test!.test(value)) {
          tag = t;
          break;
        }
      }
    }
    if (tag.tag === MERGE_TAG) return null;
    failed = false;
    let resolved: unknown;
    try {
      resolved = tag.resolve(value, onError, doc.options);
    } catch {
      return null;
    }
    if (failed) return null;
    const scalar = isScalar(resolved) ? resolved : new Scalar(resolved);
    scalar.source = value;
    if (tag.format) scalar.format = tag.format;
    return scalar;
  };

  const stack: Frame[] = [];
  // The items of the open collections, innermost last: each gets an array of its exact size when it
  // closes (pushing into its own would leave room for 16 in every one of tens of thousands).
  const children: (Scalar | YAMLMap | YAMLSeq | Pair)[] = [];
  let documents = 0;
  let root: YAMLMap | YAMLSeq | null = null;
  let lastEmpty = false;
  /** The last value read into a block collection: comment lines after it may move its node end (see comments()). */
  let open: { node: Scalar | YAMLMap | YAMLSeq; frame: Frame } | null = null;
  /** The deepest indentation of the comment lines left between that value and the next node (-1: none). */
  let trailing = -1;

  /**
   * The comment lines after the last value, as yaml's parser places them (src/parse/parser.ts):
   * each one indented deeper than the value's collection, with only blank lines before it since the
   * value, joins the value's end (atIndentedComment; its range end moves past it), the rest wait for
   * the next node and are checked as collections close (see the POP case).
   */
  const comments = (): boolean => {
    const { node, frame } = open!;
    open = null;
    const column = columnOf(text, frame.start);
    let joining = true;
    for (let at = node.range![2]; at < text.length; ) {
      let first = at;
      while (text[first] === ' ') first++;
      if (text[first] === '\n') {
        at = first + 1;
        continue;
      }
      if (text[first] !== '#') break; // the next node's line
      const end = nextLineStart(text, first);
      if (joining && first - at > column) {
        if (!(node instanceof Scalar)) return false; // a flow collection's end: left to yaml
        node.range![2] = frame.end = end;
      } else {
        joining = false;
        trailing = Math.max(trailing, first - at);
      }
      at = end;
    }
    return true;
  };

  /** Adds a finished child (a scalar or a collection) to the collection on top of the stack. */
  const add = (node: Scalar | YAMLMap | YAMLSeq, end: number): boolean => {
    const top = stack.at(-1);
    if (!top) return false;
    top.end = end;
    if (top.node instanceof YAMLSeq) {
      children.push(node);
      return true;
    }
    if (top.key === null) {
      if (!(node instanceof Scalar)) return false; // a collection as a key
      top.key = node;
      return true;
    }
    children.push(new Pair(top.key, node));
    top.key = null;
    return true;
  };

  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    // Read once: dropping it lets a large file's events be collected while its nodes are built (peak memory).
    (events as unknown[])[i] = undefined;
    if (open && !comments()) return null;
    // Comment lines before a node are its own (a key's or item's comment): they move no range.
    if (event.type !== EVENT_ID.POP) trailing = -1;
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1 || event.explicitStart !== docStart >= 0 || event.explicitEnd || event.directives.length > 0) return null;
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (event.anchorStart !== -1 || event.tagStart !== -1) return null;
        const top = stack.at(-1);
        if (top && top.node instanceof YAMLMap && top.key === null) return null; // a collection as a key
        const isMap = event.type === EVENT_ID.MAPPING;
        const flow = event.style !== BLOCK;
        // A flow mapping starts at its `{` (a `[a: 1]` pair has none), and a block collection inside a flow one cannot be.
        if (flow ? text[event.start] !== (isMap ? '{' : '[') : top?.flow) return null;
        const node = isMap ? new YAMLMap(doc.schema) : new YAMLSeq(doc.schema);
        if (flow) node.flow = true;
        stack.push({ node, key: null, keys: null, start: event.start, end: flow ? event.start + 1 : event.start, base: children.length, flow });
        break;
      }
      case EVENT_ID.SCALAR: {
        const top = stack.at(-1);
        if (!top) return null; // a document that is one scalar
        const atKey = top.node instanceof YAMLMap && top.key === null;
        const type = TYPES[event.style];
        const range = type && rangeOf(text, event, top, atKey);
        if (!range) return null;
        const scalar = scalarOf(event.valueStart === -1 ? '' : getScalarValue(text, event), type === 'PLAIN', atKey);
        if (!scalar) return null;
        scalar.range = range;
        scalar.type = type;
        lastEmpty = range[0] === range[2];
        if (atKey && hasKey(top, children, scalar.value)) return null; // yaml reports the duplicate key
        if (!add(scalar, range[2])) return null;
        if (!atKey && !top.flow) open = { node: scalar, frame: top };
        break;
      }
      case EVENT_ID.POP: {
        const frame = stack.pop();
        if (!frame) break; // the document's end
        if (frame.key !== null || (frame.flow && stack.length === 0)) return null; // a document that is one flow collection: JSON, left to yaml
        // Comment lines left after a collection's last value move up as it closes only if it is at
        // column 0 or they are all less indented than it; else they stay in it and move its range end.
        if (trailing >= 0 && !frame.flow) {
          const column = columnOf(text, frame.start);
          if (column > 0 && trailing >= column) return null;
        }
        const range = frame.flow ? flowRange(text, frame, stack.at(-1)?.flow ?? false) : ([frame.start, frame.end, frame.end] as Range);
        if (!range) return null;
        frame.node.range = range;
        if (frame.flow) lastEmpty = false;
        frame.node.items = children.slice(frame.base) as typeof frame.node.items;
        children.length = frame.base;
        if (stack.length === 0) root = frame.node;
        else if (!add(frame.node, range[2])) return null;
        if (frame.flow && !stack.at(-1)!.flow) open = { node: frame.node, frame: stack.at(-1)! };
        break;
      }
      default:
        return null; // an alias
    }
  }
  if (documents !== 1 || !root || stack.length > 0) return null;
  doc.contents = root as YAMLMap.Parsed | YAMLSeq.Parsed;
  // The blank and comment lines after the last value are the document's end, unless that value is
  // empty: yaml then keeps them in the pair's separator (src/parse/parser.ts blockMap, compose-doc.ts).
  // It starts at the line of its first node (earlier blank and comment lines belong to the stream).
  // With `---`, there (src/compose/compose-doc.ts: the marker is the document's first token).
  const lineStart = root.range![0] - columnOf(text, root.range![0]);
  doc.range = [docStart >= 0 ? docStart : lineStart, root.range![1], lastEmpty ? root.range![1] : text.length];
  if (docStart >= 0) doc.directives.docStart = true;
  return doc;
}

/**
 * Whether the open mapping of `frame` (its pairs are `pairs` from frame.base) already has this key
 * value, then remembers it. yaml's uniqueKeys compares key values with === (src/compose/
 * util-map-includes.ts); a Set also takes two NaN keys as one, which only sends such a file to yaml.
 * Small mappings (most) are searched, large ones get a Set.
 */
function hasKey(frame: Frame, pairs: readonly unknown[], value: unknown): boolean {
  if (!frame.keys && pairs.length - frame.base < 16) {
    for (let i = frame.base; i < pairs.length; i++) if ((pairs[i] as Pair<Scalar>).key.value === value) return true;
    return false;
  }
  frame.keys ??= new Set(pairs.slice(frame.base).map((pair) => (pair as Pair<Scalar>).key.value));
  if (frame.keys.has(value)) return true;
  frame.keys.add(value);
  return false;
}

/** yaml's merge tag (`<<` with `merge: true`): its keys are data yaml merges, left to yaml. */
const MERGE_TAG = 'tag:yaml.org,2002:merge';
/** yaml keeps the schema's string tag under this symbol (src/nodes/identity.ts SCALAR). */
const SCALAR_TAG = Symbol.for('yaml.scalar');
const BLOCK = 1; // js-yaml COLLECTION_STYLE.BLOCK
/** yaml refuses a `:` more than 1024 characters after the start of an implicit key (src/compose/resolve-block-map.ts); a margin keeps the boundary with yaml. */
const MAX_IMPLICIT_KEY = 1000;

interface ScalarTag {
  tag: string;
  default?: boolean | 'key';
  collection?: string;
  format?: string;
  test?: RegExp;
  resolve: (value: string, onError: (message: string) => void, options: unknown) => unknown;
}

const TYPES: Record<number, Scalar.Type | undefined> = {
  [SCALAR_STYLE.PLAIN]: 'PLAIN',
  [SCALAR_STYLE.SINGLE_QUOTED]: 'QUOTE_SINGLE',
  [SCALAR_STYLE.DOUBLE_QUOTED]: 'QUOTE_DOUBLE',
};

/**
 * A scalar's yaml range, or null where it is not modelled. yaml's ranges (src/compose/resolve-flow-scalar.ts,
 * util-empty-scalar-position.ts): [start, end of the text (after a closing quote), end of the node],
 * where a value's node end takes in the spaces, comment and newline after it on its line (a key's
 * does not); an empty value sits after its `:` and the spaces that follow.
 */
function rangeOf(text: string, event: ScalarEvent, top: Frame, atKey: boolean): Range | null {
  if (event.anchorStart !== -1 || event.tagStart !== -1) return null;
  if (event.valueStart === -1) {
    // An empty value after a key in a block mapping; an empty key, sequence item or flow value is left to yaml.
    if (atKey || top.flow || !(top.node instanceof YAMLMap) || !top.key) return null;
    let at = top.key.range![1];
    while (text[at] === ' ') at++;
    if (text[at] !== ':') return null;
    at++;
    while (text[at] === ' ') at++;
    // A comment between an empty value and the next node may become the empty node's comment and
    // move its range end (resolveProps, depending on what follows): left to yaml.
    if (text[at] === '#' || commentBeforeNextNode(text, nextLineStart(text, at))) return null;
    return [at, at, at];
  }
  const quoted = event.style !== SCALAR_STYLE.PLAIN;
  const start = quoted ? event.valueStart - 1 : event.valueStart;
  const valueEnd = quoted ? event.valueEnd + 1 : event.valueEnd;
  if (start === valueEnd) return null;
  if (atKey) {
    let colon = valueEnd;
    while (text[colon] === ' ') colon++;
    if (colon - start > MAX_IMPLICIT_KEY) return null; // yaml: KEY_OVER_1024_CHARS
    return [start, valueEnd, valueEnd];
  }
  const end = nodeEnd(text, valueEnd, top.flow);
  return end === -1 ? null : [start, valueEnd, end];
}

/**
 * Where a value's node ends after its text ends at `valueEnd`: in a flow collection after the
 * spaces that follow; in a block one after the spaces, a comment and the newline on its line
 * (src/compose/resolve-end.ts over the value token's end). -1 where something else follows.
 */
function nodeEnd(text: string, valueEnd: number, inFlow: boolean): number {
  let end = valueEnd;
  while (text[end] === ' ') end++;
  if (inFlow) return end;
  if (text[end] === '#' || text[end] === '\n') return nextLineStart(text, end);
  return end === text.length ? end : -1; // something after the value that yaml may read otherwise
}

/**
 * A one-line flow collection's range: from its bracket to after the closing one (after the last
 * item's end, the spaces and a trailing comma), then as any value's (nodeEnd). Null for one that
 * spans lines or closes anywhere else.
 */
function flowRange(text: string, frame: Frame, inFlow: boolean): Range | null {
  let close = frame.end;
  while (text[close] === ' ') close++;
  if (text[close] === ',' && close > frame.start + 1) {
    close++;
    while (text[close] === ' ') close++;
  }
  if (text[close] !== (frame.node instanceof YAMLMap ? '}' : ']')) return null;
  const lineBreak = text.indexOf('\n', frame.start);
  if (lineBreak !== -1 && lineBreak < close) return null;
  const end = nodeEnd(text, close + 1, inFlow);
  return end === -1 ? null : [frame.start, close + 1, end];
}

/** Whether a comment line comes before the next line with a node, blank lines skipped. */
function commentBeforeNextNode(text: string, from: number): boolean {
  for (let at = from; at < text.length; at = nextLineStart(text, at)) {
    let first = at;
    while (text[first] === ' ') first++;
    if (text[first] === '#') return true;
    if (text[first] !== '\n' && first < text.length) return false;
  }
  return false;
}

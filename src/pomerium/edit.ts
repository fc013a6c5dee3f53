// Comment-keeping edits of a Pomerium config: the yaml Document API finds the nodes, and the edit
// splices text at their positions, so every line but the edited ones stays byte for byte (comments,
// quoting, indentation, CRLF). JSON configs stay JSON: flow collections get JSON text.
import { isMap, isScalar, isSeq, parseDocument, stringify, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../core/errors.js';
import { columnOf, LineIndex, nextLineStart } from '../core/span.js';
import { YAML_OPTIONS, yamlErrorMessage } from './read.js';

interface Splice {
  at: number;
  end: number;
  text: string;
}

function parseForEdit(text: string, file: string): Document {
  const doc = parseDocument(text, YAML_OPTIONS);
  const first = doc.errors[0];
  if (first) {
    throw new UserError(yamlErrorMessage(first.message), {
      span: new LineIndex(text, file).span(first.pos[0], first.pos[1]),
      hint: 'fix the YAML first; the file was not changed',
    });
  }
  return doc;
}

function apply(text: string, splices: Splice[]): string {
  return [...splices].sort((a, b) => b.at - a.at).reduce((t, s) => t.slice(0, s.at) + s.text + t.slice(s.end), text);
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The offset just after the line that holds `offset` (after its line break, or the end of the text). */

/** Inserts whole lines after the line holding `offset`, adding a line break first if the file lacks a final one. */
function insertLinesAfter(text: string, offset: number, lines: string[]): Splice {
  const eol = eolOf(text);
  const at = nextLineStart(text, offset);
  const lead = at === text.length && text !== '' && !text.endsWith('\n') ? eol : '';
  return { at, end: at, text: lead + lines.map((l) => l + eol).join('') };
}

/** A value on one line after `key: ` in block YAML. */
function inlineYaml(value: unknown): string {
  const text = stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
  return text.includes('\n') ? JSON.stringify(value) : text;
}

/** The top-level pair for `key` (case-insensitive, the last one wins, as Viper reads it). */
function topLevelPair(doc: Document, key: string): Pair<Node, Node | null> | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  return (root.items as Pair<Node, Node | null>[]).findLast((p) => isScalar(p.key) && String(p.key.value).toLowerCase() === key);
}

/** The route items in Pomerium's merged order: `policy` entries, then `routes`. */
function routeItems(doc: Document): Node[] {
  return ['policy', 'routes'].flatMap((key) => {
    const list = topLevelPair(doc, key)?.value;
    return isSeq(list) ? (list.items as Node[]) : [];
  });
}

/**
 * Sets `key: value` on the route at `routeIndex` (merged order, so routes from the legacy `policy`
 * list count first). Replaces the value if the route has the key, else adds it after the route's
 * last key (a key only merged in with `<<` gets an explicit one that overrides it).
 */
export function setRouteOption(text: string, file: string, routeIndex: number, key: string, value: unknown): string {
  const doc = parseForEdit(text, file);
  const item = routeItems(doc)[routeIndex];
  if (!isMap(item)) {
    throw new UserError(item ? `route #${routeIndex} is not written as a mapping here (an alias?); edit it where it is defined` : `there is no route #${routeIndex}`, { file });
  }
  const existing = (item.items as Pair<Node, Node | null>[]).findLast((p) => isScalar(p.key) && String(p.key.value).toLowerCase() === key.toLowerCase());
  const valueNode = existing?.value;
  if (existing && valueNode?.range) {
    const [start, end] = valueNode.range;
    const rendered = item.flow ? JSON.stringify(value) : inlineYaml(value);
    // `key:` with nothing after it: the empty value sits right after the colon.
    return apply(text, [{ at: start, end, text: start === end ? ` ${rendered}` : rendered }]);
  }
  return apply(text, [item.flow ? addToFlowMap(text, item, key, value) : addToBlockMap(text, item, key, value)]);
}

function addToFlowMap(text: string, map: YAMLMap, key: string, value: unknown): Splice {
  const close = text.lastIndexOf('}', map.range![1] - 1);
  const pair = `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  return { at: close, end: close, text: map.items.length > 0 ? `, ${pair}` : pair };
}

function addToBlockMap(text: string, map: YAMLMap, key: string, value: unknown): Splice {
  const pairs = map.items as Pair<Node, Node | null>[];
  const indent = columnOf(text, pairs[0]!.key.range![0]);
  const last = pairs[pairs.length - 1]!;
  const end = Math.max(last.key.range![1], last.value?.range?.[1] ?? 0);
  return insertLinesAfter(text, end - 1, [`${' '.repeat(indent)}${key}: ${inlineYaml(value)}`]);
}

/** `route` as block YAML list item lines, indented by `indent` spaces. */
function blockItem(route: Record<string, unknown>, indent: number): string[] {
  return stringify([route], { lineWidth: 0 }).trimEnd().split('\n').map((line) => ' '.repeat(indent) + line);
}

/**
 * Adds a route at the end of the `routes` list, creating `routes:` when the file has none. The
 * route is written in the style of its surroundings: block YAML, or JSON inside flow collections.
 */
export function appendRoute(text: string, file: string, route: Record<string, unknown>): string {
  const doc = parseForEdit(text, file);
  const root = doc.contents;
  const pair = topLevelPair(doc, 'routes');
  if (root !== null && !isMap(root) && !(isScalar(root) && root.value === null)) {
    throw new UserError('the top level of this Pomerium config is not a mapping; cannot add a route', { file });
  }
  if (isMap(root) && root.flow) {
    if (!pair) return apply(text, [addToFlowMap(text, root, 'routes', [route])]);
    if (isSeq(pair.value)) return apply(text, [addToFlowSeq(text, pair.value, route)]);
  }
  if (!pair) {
    const base = isMap(root) && root.items.length > 0 ? columnOf(text, (root.items[0] as Pair<Node>).key.range![0]) : 0;
    return apply(text, [insertLinesAfter(text, text.length, [`${' '.repeat(base)}routes:`, ...blockItem(route, base + 2)])]);
  }
  const list = pair.value;
  if (isSeq(list) && list.flow) return apply(text, [addToFlowSeq(text, list, route)]);
  if (isSeq(list)) return apply(text, [insertLinesAfter(text, list.range![1] - 1, blockItem(route, columnOf(text, list.range![0])))]);
  if (list === null || (isScalar(list) && list.value === null)) {
    if (isMap(root) && root.flow && list?.range) return apply(text, [{ at: list.range[0], end: list.range[1], text: JSON.stringify([route]) }]);
    // `routes:` or `routes: ~`: drop the null (and the blanks before it) and put the list under the key.
    const remove: Splice[] = list?.range ? [{ at: text.slice(0, list.range[0]).trimEnd().length, end: list.range[1], text: '' }] : [];
    return apply(text, [...remove, insertLinesAfter(text, pair.key.range![1], blockItem(route, columnOf(text, pair.key.range![0]) + 2))]);
  }
  throw new UserError('`routes` is not a list; fix it before adding a route', { file });
}

function addToFlowSeq(text: string, seq: Node, route: Record<string, unknown>): Splice {
  const close = text.lastIndexOf(']', seq.range![1] - 1);
  const json = JSON.stringify(route);
  return { at: close, end: close, text: isSeq(seq) && seq.items.length > 0 ? `, ${json}` : json };
}

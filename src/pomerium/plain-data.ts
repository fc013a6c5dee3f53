// `node.toJS(doc)` without yaml's per-call context, for what configs hold. read.ts turns every route's
// `policy` into plain data; for 10,000 routes yaml's general conversion (a context and an anchors Map
// per call, a merge-key check per pair) cost more than the rest of the route's reading (issue 14).
import { isMap, isScalar, isSeq, type Node } from 'yaml';

/** Returned where only yaml converts a node exactly: an alias, an anchor, a tag, a `<<` key, a key that is not a scalar. */
export const NOT_PLAIN: unique symbol = Symbol('not plain');

/**
 * What `node.toJS(doc)` returns (yaml 2.9 src/nodes/toJS.ts and addPairToJSMap.ts, `keep` on): a
 * scalar's value, an array, an object keyed by String(key) ('' for a null key, an inherited name such
 * as `__proto__` defined as an own property); or NOT_PLAIN.
 */
export function plainData(node: Node | null): unknown {
  if (node === null) return null;
  if (node.anchor || node.tag) return NOT_PLAIN;
  if (isScalar(node)) return node.value;
  if (isSeq(node)) {
    const out: unknown[] = [];
    for (const item of node.items) {
      const value = plainData(item as Node | null);
      if (value === NOT_PLAIN) return NOT_PLAIN;
      out.push(value);
    }
    return out;
  }
  if (!isMap(node)) return NOT_PLAIN; // an alias
  const out: Record<string, unknown> = {};
  for (const pair of node.items) {
    const key = pair.key as Node | null;
    if (!isScalar(key) || key.anchor || key.tag) return NOT_PLAIN;
    const k = key.value;
    if ((typeof k === 'object' && k !== null) || typeof k === 'symbol' || k === '<<') return NOT_PLAIN;
    const name = k === null ? '' : String(k);
    const value = plainData(pair.value as Node | null);
    if (value === NOT_PLAIN) return NOT_PLAIN;
    if (name in out) Object.defineProperty(out, name, { value, writable: true, enumerable: true, configurable: true });
    else out[name] = value;
  }
  return out;
}

// Kubernetes manifests as kubectl reads them: one or more files, each a stream of YAML documents,
// `List` kinds (`kind: List`, `IngressList`, ...) unwrapped into their `items`. Positions are kept:
// every object carries its YAML node and the line index of its file.
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type YAMLMap } from 'yaml';
import { LineIndex, type Span } from '../core/span.js';
import { YAML_OPTIONS, yamlErrorMessage } from '../pomerium/read.js';

export interface ManifestFile {
  file: string;
  text: string;
}

/** One Kubernetes object, with what it takes to point at its lines. */
export interface ManifestObject {
  file: string;
  apiVersion: string;
  kind: string;
  name: string | null;
  namespace: string | null;
  node: YAMLMap;
  doc: Document;
  /** Where a node's text is, in this object's file. */
  spanOf(node: Node | null | undefined): Span | null;
}

export interface Manifests {
  objects: ManifestObject[];
  /** YAML syntax errors: kubectl refuses the whole file. */
  errors: { message: string; span: Span | null }[];
}

/** Whether a text is a Kubernetes manifest (some document has top-level `apiVersion` and `kind`), not a Pomerium config. */
export function looksLikeManifest(text: string): boolean {
  return /^apiVersion:/m.test(text) && /^kind:/m.test(text);
}

/** The value of `key` in a mapping (null when absent or not a mapping). */
export function field(map: Node | null | undefined, key: string): Node | null {
  if (!isMap(map)) return null;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return (pair?.value as Node | null | undefined) ?? null;
}

/** A field's scalar value as a string, or null. */
export function text(node: Node | null | undefined): string | null {
  return isScalar(node) && node.value !== null ? String(node.value) : null;
}

/** The value at a path of mapping keys. */
export function path(map: Node | null | undefined, ...keys: string[]): Node | null {
  let node: Node | null = (map as Node | null | undefined) ?? null;
  for (const key of keys) node = field(node, key);
  return node;
}

function toObject(map: YAMLMap, doc: Document, file: string, spanOf: ManifestObject['spanOf']): ManifestObject | null {
  const apiVersion = text(field(map, 'apiVersion'));
  const kind = text(field(map, 'kind'));
  if (apiVersion === null || kind === null) return null;
  const metadata = field(map, 'metadata');
  return { file, apiVersion, kind, name: text(field(metadata, 'name')), namespace: text(field(metadata, 'namespace')), node: map, doc, spanOf };
}

/** Reads every object of every file, in order. Total: syntax errors are returned, never thrown. */
export function readManifests(files: readonly ManifestFile[]): Manifests {
  const result: Manifests = { objects: [], errors: [] };
  for (const { file, text: source } of files) {
    const index = new LineIndex(source, file);
    const spanOf = (node: Node | null | undefined) => (node?.range ? index.span(node.range[0], node.range[1]) : null);
    for (const doc of parseAllDocuments(source, YAML_OPTIONS)) {
      for (const e of doc.errors) result.errors.push({ message: yamlErrorMessage(e.message), span: index.span(e.pos[0], e.pos[1]) });
      if (doc.errors.length > 0 || !isMap(doc.contents)) continue;
      const object = toObject(doc.contents, doc, file, spanOf);
      if (!object) continue;
      const items = field(object.node, 'items');
      if (object.kind.endsWith('List') && isSeq(items)) {
        for (const item of items.items) if (isMap(item)) result.objects.push(...[toObject(item, doc, file, spanOf)].filter((o) => o !== null));
      } else {
        result.objects.push(object);
      }
    }
  }
  return result;
}

// Deployments, StatefulSets and DaemonSets among the manifests: the Grafana container's environment
// (`env:` values, `envFrom:` a ConfigMap or Secret among the same manifests), the files it mounts from
// a ConfigMap or Secret (`volumeMounts`), and the images (for the versions deployed).
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Span } from '../core/span.js';
import { field, path, text, type ManifestObject } from './manifests.js';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Pod']);
export const GRAFANA_IMAGE = /^(?:[\w.-]+(?::\d+)?\/)?(?:docker\.io\/)?grafana\/grafana(?:-oss|-enterprise)?(?:[:@]|$)/;
export const POMERIUM_IMAGE = /^(?:[\w.-]+(?::\d+)?\/)?(?:docker\.io\/)?pomerium\/(?:pomerium|ingress-controller)(?:[:@]|$)/;

export interface WorkloadEnvVar {
  name: string;
  value: string;
  nameSpan: Span;
  valueSpan: Span;
}

export interface ContainerImage {
  image: string;
  span: Span | null;
}

export interface GrafanaWorkload {
  object: ManifestObject;
  image: ContainerImage | null;
  env: WorkloadEnvVar[];
  /** Container path -> text, for files mounted from a ConfigMap/Secret of the same manifests. */
  files: Map<string, { text: string; span: Span | null }>;
}

function podSpec(object: ManifestObject): Node | null {
  return object.kind === 'Pod' ? field(object.node, 'spec') : path(object.node, 'spec', 'template', 'spec');
}

function containers(object: ManifestObject): Node[] {
  const list = field(podSpec(object), 'containers');
  return isSeq(list) ? (list.items as Node[]) : [];
}

/** Every container image of the workloads, with its line. */
export function workloadImages(objects: readonly ManifestObject[]): ContainerImage[] {
  return objects
    .filter((o) => WORKLOADS.has(o.kind))
    .flatMap((o) => containers(o).map((c) => ({ image: text(field(c, 'image')) ?? '', span: o.spanOf(field(c, 'image')) })))
    .filter((i) => i.image !== '');
}

/** A ConfigMap's `data` / a Secret's `stringData` and (base64) `data`, with the line of each key's value. */
function dataOf(objects: readonly ManifestObject[], kind: 'ConfigMap' | 'Secret', name: string, namespace: string | null): Map<string, { text: string; keySpan: Span | null; valueSpan: Span | null }> {
  const out = new Map<string, { text: string; keySpan: Span | null; valueSpan: Span | null }>();
  const object = objects.find((o) => o.kind === kind && o.name === name && (o.namespace ?? null) === (namespace ?? null)) ?? objects.find((o) => o.kind === kind && o.name === name);
  if (!object) return out;
  for (const [key, base64] of [['data', kind === 'Secret'], ['stringData', false]] as const) {
    const data = field(object.node, key);
    if (!isMap(data)) continue;
    for (const pair of data.items) {
      if (!isScalar(pair.key) || !isScalar(pair.value) || pair.value.value === null) continue;
      const raw = String(pair.value.value);
      const value = base64 ? Buffer.from(raw.replace(/\s/g, ''), 'base64').toString('utf8') : raw;
      out.set(String(pair.key.value), { text: value, keySpan: object.spanOf(pair.key as Node), valueSpan: object.spanOf(pair.value as Node) });
    }
  }
  return out;
}

/** The first workload running Grafana's image, read for its environment and mounted files. */
export function readGrafanaWorkload(objects: readonly ManifestObject[]): GrafanaWorkload | null {
  for (const object of objects) {
    if (!WORKLOADS.has(object.kind)) continue;
    const container = containers(object).find((c) => GRAFANA_IMAGE.test(text(field(c, 'image')) ?? ''));
    if (!container) continue;
    const imageNode = field(container, 'image');
    const workload: GrafanaWorkload = { object, image: { image: text(imageNode)!, span: object.spanOf(imageNode) }, env: [], files: new Map() };
    const ns = object.namespace;
    // envFrom first: `env` entries win over them (Kubernetes: "values defined by an Env with a duplicate key take precedence").
    const envFrom = field(container, 'envFrom');
    for (const source of isSeq(envFrom) ? (envFrom.items as Node[]) : []) {
      const prefix = text(field(source, 'prefix')) ?? '';
      for (const [kind, ref] of [['ConfigMap', 'configMapRef'], ['Secret', 'secretRef']] as const) {
        const name = text(path(source, ref, 'name'));
        if (name === null) continue;
        for (const [key, entry] of dataOf(objects, kind, name, ns)) {
          const keySpan = entry.keySpan ?? object.spanOf(source)!;
          workload.env.push({ name: prefix + key, value: entry.text, nameSpan: keySpan, valueSpan: entry.valueSpan ?? keySpan });
        }
      }
    }
    const env = field(container, 'env');
    for (const item of isSeq(env) ? (env.items as Node[]) : []) {
      const nameNode = field(item, 'name');
      const name = text(nameNode);
      if (name === null) continue;
      const valueNode = field(item, 'value');
      let value = text(valueNode);
      let valueSpan = object.spanOf(valueNode);
      for (const [kind, ref] of [['ConfigMap', 'configMapKeyRef'], ['Secret', 'secretKeyRef']] as const) {
        const refNode = path(item, 'valueFrom', ref);
        const source = text(field(refNode, 'name'));
        const key = text(field(refNode, 'key'));
        const found = source !== null && key !== null ? dataOf(objects, kind, source, ns).get(key) : undefined;
        if (found) {
          value = found.text;
          valueSpan = found.valueSpan;
        }
      }
      if (value === null) continue; // from a source not among these manifests: unknown here
      const nameSpan = object.spanOf(nameNode)!;
      const at = workload.env.findIndex((e) => e.name === name);
      const entry = { name, value, nameSpan, valueSpan: valueSpan ?? nameSpan };
      if (at >= 0) workload.env.splice(at, 1, entry);
      else workload.env.push(entry);
    }
    // volumeMounts of ConfigMap/Secret volumes: each key is a file under mountPath (or the one subPath file).
    const volumes = field(podSpec(object), 'volumes');
    const mounts = field(container, 'volumeMounts');
    for (const mount of isSeq(mounts) ? (mounts.items as Node[]) : []) {
      const mountPath = text(field(mount, 'mountPath'));
      const volumeName = text(field(mount, 'name'));
      const subPath = text(field(mount, 'subPath'));
      const volume = isSeq(volumes) ? (volumes.items as Node[]).find((v) => text(field(v, 'name')) === volumeName) : undefined;
      if (!mountPath || !volume) continue;
      const configMap = text(path(volume, 'configMap', 'name'));
      const secret = text(path(volume, 'secret', 'secretName'));
      const data = configMap ? dataOf(objects, 'ConfigMap', configMap, ns) : secret ? dataOf(objects, 'Secret', secret, ns) : null;
      if (!data) continue;
      for (const [key, entry] of data) {
        if (subPath !== null && key !== subPath) continue;
        const file = subPath !== null ? mountPath : `${mountPath.replace(/\/+$/, '')}/${key}`;
        workload.files.set(file, { text: entry.text, span: entry.valueSpan });
      }
    }
    return workload;
  }
  return null;
}

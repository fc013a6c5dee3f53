// The Ingress that Grafana's Helm chart renders (grafana/helm-charts charts/grafana/templates/ingress.yaml,
// checked at grafana-10.5.15), read as the Pomerium Ingress Controller reads it when its class is
// Pomerium's: one route per `ingress.hosts` entry, `ingress.path` with `ingress.pathType`, the
// `ingress.annotations` (ingress.pomerium.io/*) as route options. It is built from the values file's own
// nodes, so every position is a values line.
import { isMap, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { LineIndex } from '../core/span.js';
import type { PomeriumModel } from '../pomerium/model-types.js';
import { emptyModel, YAML_OPTIONS } from '../pomerium/read.js';
import { readPomeriumIngress } from './ingress.js';
import { field, path, text, type ManifestObject } from './manifests.js';

/** values.yaml defaults of the chart (grafana-10.5.15). */
const DEFAULT_PATH = '/';
const DEFAULT_PATH_TYPE = 'Prefix';
const DEFAULT_HOST = 'chart-example.local';
const DEFAULT_SERVICE_PORT = 80;

function map(entries: [string, Node | null][]): YAMLMap {
  const m = new YAMLMap();
  for (const [key, value] of entries) if (value !== null) m.items.push(new Pair(new Scalar(key), value));
  return m;
}

function seq(items: Node[]): YAMLSeq {
  const s = new YAMLSeq();
  s.items.push(...items);
  return s;
}

/** The chart's values: the top level, or `grafana:` when Grafana is a subchart (kube-prometheus-stack). */
function chartValues(root: Node | null): Node | null {
  if (isMap(field(root, 'ingress'))) return root;
  const sub = field(root, 'grafana');
  return isMap(field(sub, 'ingress')) ? sub : null;
}

/** Null unless the values enable an Ingress of the Pomerium class (`ingressClassName` or the old class annotation). */
export function grafanaChartIngress(source: string, file: string): PomeriumModel | null {
  const doc = parseDocument(source, YAML_OPTIONS);
  if (doc.errors.length > 0) return null;
  const values = chartValues(doc.contents as Node | null);
  const ingress = field(values, 'ingress');
  if (text(field(ingress, 'enabled')) !== 'true') return null;
  const index = new LineIndex(source, file);
  const spanOf = (node: Node | null | undefined) => (node?.range ? index.span(node.range[0], node.range[1]) : null);
  const located = (value: string | number, at: Node | null): Scalar => {
    const s = new Scalar(value);
    if (at?.range) s.range = at.range;
    return s;
  };

  const ingressKey = (isMap(values) ? values.items.find((p) => isScalar(p.key) && p.key.value === 'ingress')?.key : null) as Node | null;
  const hostsNode = field(ingress, 'hosts');
  const hosts: Node[] = isSeq(hostsNode) ? (hostsNode.items as Node[]) : [located(DEFAULT_HOST, ingressKey)];
  const pathNode = field(ingress, 'path') ?? located(DEFAULT_PATH, ingressKey);
  const pathTypeNode = field(ingress, 'pathType') ?? located(DEFAULT_PATH_TYPE, ingressKey);
  const portNode = path(values, 'service', 'port') ?? located(DEFAULT_SERVICE_PORT, ingressKey);
  // The chart's Service is `<release>-grafana` (grafana.fullname); the release name is not in the values.
  const backend = map([['service', map([['name', located('grafana', ingressKey)], ['port', map([['number', portNode]])]])]]);
  const pathItem = map([['path', pathNode], ['pathType', pathTypeNode], ['backend', backend]]);
  const rules = seq(hosts.map((host) => map([['host', host], ['http', map([['paths', seq([pathItem])]])]])));
  const node = map([
    ['apiVersion', new Scalar('networking.k8s.io/v1')],
    ['kind', new Scalar('Ingress')],
    ['metadata', map([['name', new Scalar('grafana')], ['annotations', field(ingress, 'annotations')]])],
    ['spec', map([['ingressClassName', field(ingress, 'ingressClassName')], ['rules', rules]])],
  ]);
  const object: ManifestObject = { file, apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'grafana', namespace: null, node, doc, spanOf };
  const className = text(field(ingress, 'ingressClassName')) ?? text(field(field(ingress, 'annotations'), 'kubernetes.io/ingress.class'));
  if (className !== 'pomerium') return null;
  return { ...emptyModel(file), routes: readPomeriumIngress(object, [], 0).routes };
}

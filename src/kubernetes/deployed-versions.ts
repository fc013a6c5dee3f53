// The Grafana and Pomerium releases the files deploy: compose `image:`, a workload's container image,
// Grafana's chart `image.tag`, Pomerium's chart `image.tag`. Version-dependent rules use them when
// --grafana-version / --pomerium-version are not given; a floating tag (latest, main, a digest) says so.
import { isMap, parseDocument, type Node } from 'yaml';
import { readCompose } from '../compose/project.js';
import { LineIndex, type Span } from '../core/span.js';
import { YAML_OPTIONS } from '../pomerium/read.js';
import { readManifests } from './manifests.js';
import { CHART_DEFAULT_IMAGE_TAG, looksLikePomeriumChartValues } from './pomerium-chart.js';
import { field, path, text } from './manifests.js';
import { GRAFANA_IMAGE, POMERIUM_IMAGE, workloadImages } from './workloads.js';

export type Product = 'Grafana' | 'Pomerium';

export interface DeployedVersion {
  product: Product;
  /** `x.y.z` without a `v`; null for a floating tag (the newest release is assumed). */
  version: string | null;
  /** The tag as written (or `@sha256:…` for a digest). */
  tag: string;
  span: Span | null;
  /** Why the version is a guess, when it is (a floating or partial tag, the chart's default image). */
  note?: string;
}

interface Files {
  pomerium?: { file: string; text: string } | null;
  pomeriumValues?: { file: string; text: string } | null;
  grafanaValues?: { file: string; text: string } | null;
  compose?: { file: string; text: string; vars: Record<string, string | undefined>; readFile(path: string): string | null } | null;
  kubernetes?: { source: string; files: { file: string; text: string }[] } | null;
}

/** A tag read as a release: `10.4.2`, `v0.28.0`, `10.4.2-ubuntu`; `10.4` is a floating minor. */
export function versionOfTag(product: Product, tag: string, span: Span | null): DeployedVersion {
  const full = /^v?(\d+\.\d+\.\d+)(?:[-+].*)?$/.exec(tag);
  if (full) return { product, version: full[1]!, tag, span };
  const partial = /^v?(\d+)\.(\d+)(?:[-+].*)?$/.exec(tag);
  if (partial) return { product, version: `${partial[1]}.${partial[2]}.0`, tag, span, note: `the image tag ${tag} is a floating tag (it follows the newest ${partial[1]}.${partial[2]}.x)` };
  return { product, version: null, tag, span, note: `the image tag ${tag} is a floating tag, so the newest release is assumed` };
}

/** `repo/name:tag` or `repo/name@sha256:…` -> the tag part (`latest` when none, as docker pulls). */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

function valuesTag(source: string, file: string, sub: string): { tag: string; span: Span | null } | null {
  const doc = parseDocument(source, YAML_OPTIONS);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
  const root = doc.contents as Node;
  const values = isMap(field(root, sub)) && !field(root, 'image') ? field(root, sub) : root;
  const node = path(values, 'image', 'tag');
  const tag = text(node);
  if (!tag || !node?.range) return null;
  return { tag, span: new LineIndex(source, file).span(node.range[0], node.range[1]) };
}

/** What the files deploy, per product (the first found: compose, manifests, chart values). */
export function deployedVersions(files: Files): Partial<Record<Product, DeployedVersion>> {
  const found: Partial<Record<Product, DeployedVersion>> = {};
  const add = (product: Product, image: string, span: Span | null) => {
    found[product] ??= versionOfTag(product, imageTag(image), span);
  };
  if (files.compose) {
    const project = readCompose(files.compose.text, files.compose.file, files.compose);
    if (project.grafana?.image) add('Grafana', project.grafana.image, project.grafana.imageSpan ?? null);
    if (project.pomerium?.image) add('Pomerium', project.pomerium.image, project.pomerium.imageSpan ?? null);
  }
  if (files.kubernetes) {
    for (const { image, span } of workloadImages(readManifests(files.kubernetes.files).objects)) {
      if (GRAFANA_IMAGE.test(image)) add('Grafana', image, span);
      if (POMERIUM_IMAGE.test(image)) add('Pomerium', image, span);
    }
  }
  if (files.grafanaValues && !found.Grafana) {
    const tag = valuesTag(files.grafanaValues.text, files.grafanaValues.file, 'grafana');
    if (tag) found.Grafana = versionOfTag('Grafana', tag.tag, tag.span);
  }
  const chart = files.pomeriumValues ?? (files.pomerium && looksLikePomeriumChartValues(files.pomerium.text) ? files.pomerium : null);
  if (chart && !found.Pomerium) {
    const tag = valuesTag(chart.text, chart.file, 'pomerium');
    found.Pomerium = tag
      ? versionOfTag('Pomerium', tag.tag, tag.span)
      : { ...versionOfTag('Pomerium', CHART_DEFAULT_IMAGE_TAG, null), note: `${chart.file} sets no image.tag: the default image of the chart's last release (34.0.1)` };
  }
  return found;
}

/**
 * "Grafana 10.4.2, from docker-compose.yml:12"; a guess says so: "Grafana 13.2.0 assumed, from
 * values.yaml:3: the image tag latest is a floating tag, so the newest release is assumed (--grafana-version says)".
 */
export function describeVersion(v: DeployedVersion, assumed: string): string {
  const where = v.span ? `, from ${v.span.file}:${v.span.line}` : '';
  if (!v.note) return `${v.product} ${v.version ?? assumed}${where}`;
  return `${v.product} ${v.version ?? assumed} assumed${where}: ${v.note} (--${v.product.toLowerCase()}-version says otherwise)`;
}

// A docker-compose file as `docker compose` reads it, for what this tool needs: the Grafana and Pomerium
// services, their environment (list or map form, `env_file`, `.env` interpolation) with positions at the
// compose lines, and the config files they mount from the host.
import { dirname, join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { parseEnvFile } from '../core/env-file.js';
import { LineIndex, type Span } from '../core/span.js';
import { YAML_OPTIONS, yamlErrorMessage } from '../pomerium/read.js';
import { interpolate } from './interpolate.js';

export interface ComposeEnvVar {
  name: string;
  /** null: taken from the shell that runs compose (`- NAME` or `NAME:`), unknown here. */
  value: string | null;
  nameSpan: Span;
  valueSpan: Span;
}

export interface ComposeService {
  name: string;
  nameSpan: Span | null;
  image: string | null;
  /** What the container gets: `env_file` entries, then `environment` (which wins), by name. */
  env: Map<string, ComposeEnvVar>;
  imageSpan?: Span | null;
  /** Bind mounts: host path (relative to the working folder) -> path in the container. */
  binds?: { path: string; target: string; span: Span | null }[];
}

export interface MountedFile {
  /** The host path as compose resolves it (relative to the compose file's folder). */
  path: string;
  /** The path inside the container. */
  target: string;
  span: Span | null;
  /** null when the host file is not readable here. */
  text: string | null;
}

export interface ComposeProject {
  file: string;
  grafana: ComposeService | null;
  pomerium: ComposeService | null;
  /** The Pomerium config file the Pomerium service mounts (`--config`, default /pomerium/config.yaml). */
  pomeriumConfig: MountedFile | null;
  /** The grafana.ini the Grafana service mounts at $GF_PATHS_CONFIG (default /etc/grafana/grafana.ini). */
  grafanaIni: MountedFile | null;
  /** env_file files read (for excerpts and disable comments). */
  envFiles: { file: string; text: string }[];
  /** YAML syntax errors: compose refuses the file. */
  errors: { message: string; span: Span | null }[];
  /** `${VAR:?}` failures and unset variables. */
  problems: { message: string; span: Span | null; severity: 'error' | 'warning' }[];
  /** Services written without the `services:` key (a fragment): read as services, and said once. */
  fragment?: { side: 'compose'; file: string; message: string; hint: string; span: Span | null; whole: false } | null;
}

export interface ComposeInputs {
  /** Variables for interpolation: the `.env` beside the compose file (and the shell, when asked). */
  vars: Readonly<Record<string, string | undefined>>;
  /** Reads a host file (a path relative to the working folder); null when it cannot be read. */
  readFile(path: string): string | null;
}

/** A scalar's text after interpolation (null when absent). */
type Resolve = (node: Node | null | undefined) => string | null;

const GRAFANA_IMAGE = /^(?:docker\.io\/)?grafana\/grafana(?:-oss|-enterprise)?(?:[:@]|$)/;
const POMERIUM_IMAGE = /^(?:docker\.io\/)?pomerium\/pomerium(?:[:@]|$)/;
const POMERIUM_DEFAULT_CONFIG = '/pomerium/config.yaml';
const GRAFANA_DEFAULT_CONFIG = '/etc/grafana/grafana.ini';

export function readCompose(text: string, file: string, inputs: ComposeInputs): ComposeProject {
  const index = new LineIndex(text, file);
  const spanOf = (node: Node | null | undefined) => (node?.range ? index.span(node.range[0], node.range[1]) : null);
  const doc = parseDocument(text, YAML_OPTIONS);
  const project: ComposeProject = { file, grafana: null, pomerium: null, pomeriumConfig: null, grafanaIni: null, envFiles: [], errors: [], problems: [] };
  for (const e of doc.errors) project.errors.push({ message: yamlErrorMessage(e.message), span: index.span(e.pos[0], e.pos[1]) });
  if (doc.errors.length > 0) return project;

  /** A scalar's value after interpolation; problems are reported at the scalar. */
  const interpolateAt = (value: string, span: Span | null): string => {
    const result = interpolate(value, inputs.vars);
    if (result.error) project.problems.push({ message: result.error, span, severity: 'error' });
    for (const name of new Set(result.unset)) project.problems.push({ message: `the ${name} variable is not set: compose uses an empty string`, span, severity: 'warning' });
    return result.value;
  };
  const resolve: Resolve = (node) => {
    if (!isScalar(node) || node.value === null) return null;
    return typeof node.value === 'string' ? interpolateAt(node.value, spanOf(node)) : String(node.value);
  };
  const folder = dirname(file);
  const mounted = (service: Pair, target: string): MountedFile | null => mount(service.value as Node, target, folder, resolve, spanOf, inputs);

  let services = (doc.contents as Node | null) && isMap(doc.contents) ? (doc.contents.get('services', true) as Node | undefined) : undefined;
  // A fragment: services at the top level (copied out of a larger file), each a mapping with an image or a build.
  if (!services && isMap(doc.contents) && doc.contents.items.length > 0 && doc.contents.items.every((p) => isMap(p.value) && (p.value.has('image') || p.value.has('build')))) {
    services = doc.contents;
    project.fragment = {
      side: 'compose',
      file,
      whole: false,
      span: spanOf(doc.contents.items[0]!.key as Node),
      message: 'these services are not under a `services:` key (a fragment: docker compose refuses such a file); they were read as the services',
      hint: 'put them under `services:` in the real compose file',
    };
  }
  for (const pair of isMap(services) ? services.items : []) {
    if (!isScalar(pair.key) || !isMap(pair.value)) continue;
    const name = String(pair.key.value);
    const image = resolve(pair.value.get('image', true) as Node | undefined);
    const isGrafana = image !== null ? GRAFANA_IMAGE.test(image) : name === 'grafana';
    const isPomerium = image !== null ? POMERIUM_IMAGE.test(image) : name === 'pomerium';
    if ((!isGrafana || project.grafana) && (!isPomerium || project.pomerium)) continue;
    const service: ComposeService = { name, nameSpan: spanOf(pair.key as Node), image, imageSpan: spanOf(pair.value.get('image', true) as Node | undefined), env: new Map(), binds: binds(pair.value, folder, resolve, spanOf) };
    for (const envFile of envFiles(pair.value.get('env_file', true) as Node | undefined, resolve)) {
      const path = join(folder, envFile);
      const source = inputs.readFile(path);
      if (source === null) continue;
      project.envFiles.push({ file: path, text: source });
      for (const e of parseEnvFile(source, path).entries) service.env.set(e.name, { name: e.name, value: e.value, nameSpan: e.nameSpan, valueSpan: e.valueSpan });
    }
    for (const v of environment(pair.value.get('environment', true) as Node | undefined, index, spanOf, resolve, interpolateAt, inputs.vars)) service.env.set(v.name, v);
    if (isGrafana && !project.grafana) {
      project.grafana = service;
      project.grafanaIni = mounted(pair, service.env.get('GF_PATHS_CONFIG')?.value ?? GRAFANA_DEFAULT_CONFIG);
    } else {
      project.pomerium = service;
      project.pomeriumConfig = mounted(pair, configFlag(pair.value.get('command', true) as Node | undefined, resolve) ?? POMERIUM_DEFAULT_CONFIG);
    }
  }
  return project;
}

function envFiles(node: Node | undefined, resolve: Resolve): string[] {
  const items = isSeq(node) ? node.items : node ? [node] : [];
  return items
    .map((item) => resolve(isMap(item) ? (item.get('path', true) as Node | undefined) : (item as Node)))
    .filter((p): p is string => p !== null);
}

/** `environment:` as a list (`- NAME=value`, `- NAME`) or a map (`NAME: value`, `NAME:`). */
function environment(
  node: Node | undefined,
  index: LineIndex,
  spanOf: (n: Node | null | undefined) => Span | null,
  resolve: Resolve,
  interpolateAt: (value: string, span: Span | null) => string,
  vars: Readonly<Record<string, string | undefined>>,
): ComposeEnvVar[] {
  const out: ComposeEnvVar[] = [];
  if (isSeq(node)) {
    for (const item of node.items) {
      if (!isScalar(item) || item.value === null || !item.range) continue;
      const raw = String(item.value);
      const eq = raw.indexOf('=');
      const name = eq < 0 ? raw : raw.slice(0, eq);
      // The name starts where the scalar's text does (after an opening quote).
      const start = item.range[0] + (item.type === 'PLAIN' ? 0 : 1);
      const nameSpan = index.span(start, start + name.length);
      const valueSpan = eq < 0 ? nameSpan : index.span(start + eq + 1, item.range[1] - (item.type === 'PLAIN' ? 0 : 1));
      const value = eq < 0 ? (vars[name] ?? null) : interpolateAt(raw.slice(eq + 1), spanOf(item));
      out.push({ name, value, nameSpan, valueSpan });
    }
  } else if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      const nameSpan = spanOf(pair.key as Node)!;
      const valueNode = pair.value as Node | null;
      const isNull = !valueNode || (isScalar(valueNode) && valueNode.value === null);
      out.push({ name, value: isNull ? (vars[name] ?? null) : resolve(valueNode), nameSpan, valueSpan: spanOf(valueNode) ?? nameSpan });
    }
  }
  return out;
}

/** `--config PATH`, `--config=PATH` or the old `-config PATH` in the service's command. */
function configFlag(node: Node | undefined, resolve: Resolve): string | null {
  const words = isSeq(node) ? node.items.map((i) => resolve(i as Node) ?? '') : (resolve(node) ?? '').split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const m = /^--?config(?:=(.*))?$/.exec(words[i]!);
    if (m) return m[1] ?? words[i + 1] ?? null;
  }
  return null;
}

/** The host file bind-mounted at `target` (short `./a:/b:ro` or long `{type: bind, source, target}` syntax). */
function mount(
  service: Node,
  target: string,
  folder: string,
  resolve: Resolve,
  spanOf: (n: Node | null | undefined) => Span | null,
  inputs: ComposeInputs,
): MountedFile | null {
  const bind = binds(service, folder, resolve, spanOf).find((b) => b.target === target);
  return bind ? { path: bind.path, target, span: bind.span, text: inputs.readFile(bind.path) } : null;
}

/** Every bind mount of a service (short `./a:/b:ro` or long `{type: bind, source, target}` syntax); named volumes are not host files. */
function binds(service: Node, folder: string, resolve: Resolve, spanOf: (n: Node | null | undefined) => Span | null): NonNullable<ComposeService['binds']> {
  const volumes = isMap(service) ? (service.get('volumes', true) as Node | undefined) : undefined;
  const out: NonNullable<ComposeService['binds']> = [];
  for (const item of isSeq(volumes) ? volumes.items : []) {
    let source: string | null;
    let to: string | null;
    if (isMap(item)) {
      source = resolve(item.get('source', true) as Node | undefined);
      to = resolve(item.get('target', true) as Node | undefined);
    } else {
      [source = null, to = null] = (resolve(item as Node) ?? '').split(':');
    }
    if (source === null || to === null || !/^[./~]/.test(source)) continue;
    out.push({ path: source.startsWith('/') ? source : join(folder, source), target: to.replace(/\/+$/, ''), span: spanOf(item as Node) });
  }
  return out;
}

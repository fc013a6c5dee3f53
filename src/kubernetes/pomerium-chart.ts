// The values of Pomerium's own Helm chart (pomerium/pomerium-helm, charts/pomerium), read into the
// PomeriumModel as the chart renders its config.yaml: `pomerium.config.static` + `config.extraOpts`
// (toYaml at the top level) + `pomerium.config.dynamic` (the routes) in templates/_helpers.tpl.
//
// Chart versions, from the tags in pomerium/pomerium-helm (the chart's last release is 34.0.1,
// 2023-05-30, Pomerium v0.22; its README marks Helm installs deprecated in favour of the manifests
// of the Ingress Controller, which `--pomerium DIR` reads as Kubernetes manifests):
// - 25.0.0 .. 34.0.1: `config.routes` renders as `routes:`, plus an authenticate route when
//   `authenticate.proxied` (default true) and not `ingressController.enabled`;
// - 5.0.0 .. 24.x: `config.policy` renders as `policy:` (the authenticate route when not `ingress.enabled`).
// Both: a string routes value goes through `tpl`, a list through `tpl (toYaml ...)`;
// `authenticate_service_url` is `proxy.authenticateServiceUrl` or https://<authenticate.name|authenticate>.<config.rootDomain>;
// the signing key reaches the pods as SIGNING_KEY from a Secret the chart generates (25.0.0+), so
// `signing_key` in extraOpts is overridden and the key is not readable here unless
// `config.generateSigningKey: false` with `config.signingKey` (signing-key-secret.yaml).
import { isMap, isScalar, isSeq, parseDocument, Pair, Scalar, YAMLMap, type Document, type Node } from 'yaml';
import { LineIndex, type Located, type Span } from '../core/span.js';
import type { PomeriumModel, PomeriumRoute } from '../pomerium/model-types.js';
import { emptyModel, readPomeriumOptions, YAML_OPTIONS, yamlErrorMessage, type ReadContext } from '../pomerium/read.js';
import { field, path, text } from './manifests.js';

/** values.yaml default of the last chart release (34.0.1). */
const DEFAULT_ROOT_DOMAIN = 'corp.beyondperimeter.com';
/** `image.tag` default of chart 34.0.1 (values.yaml), the Pomerium a values file without a tag runs there. */
export const CHART_DEFAULT_IMAGE_TAG = 'v0.22.1';

/** Keys only the chart's `config:` has (values.yaml of 25.0.0..34.0.1 and the older `policy` charts). */
const CONFIG_KEYS = ['rootDomain', 'routes', 'policy', 'existingSecret', 'existingPolicy', 'extraOpts', 'generateSigningKey', 'sharedSecret', 'cookieSecret', 'existingSigningKeySecret', 'insecure'];

/** Something the reader saw but could not read; doctor reports it once (`input/not-read`). */
export interface UnreadPart {
  message: string;
  hint: string;
  span: Span | null;
  /** The Pomerium routes could not be read: "no routes" would be a false finding. */
  routes: boolean;
}

export interface PomeriumChartValues {
  file: string;
  model: PomeriumModel;
  /** `image.tag` (null: the chart's default image). */
  imageTag: Located<string> | null;
  /** The signing key is in a Secret the chart generates or names: not readable here ("could not check"). */
  signingKeyInSecret: boolean;
  /** `extraEnv` (every Pomerium pod) and `proxy.deployment.extraEnv`, which override the config as Pomerium's environment. */
  env: Record<string, string>;
  envSpans: Map<string, { nameSpan: Span; valueSpan: Span }>;
  unread: UnreadPart[];
}

/** Models whose signing key is in the chart's Secret (mint, explain and fetch-jwks say so instead of "no key"). */
const KEY_IN_SECRET = new WeakSet<PomeriumModel>();
export function markKeyInChartSecret(model: PomeriumModel): PomeriumModel {
  KEY_IN_SECRET.add(model);
  return model;
}
export function keyInChartSecret(model: PomeriumModel): boolean {
  return KEY_IN_SECRET.has(model);
}

/** The chart's values: the top level, or `pomerium:` when Pomerium is a subchart. */
function chartRoot(root: Node | null | undefined): YAMLMap | null {
  if (!isMap(root)) return null;
  const isChart = (m: Node | null) => isMap(field(m, 'config')) && CONFIG_KEYS.some((k) => field(field(m, 'config'), k) !== null);
  if (isChart(root)) return root;
  const sub = field(root, 'pomerium');
  return isMap(sub) && isChart(sub) ? sub : null;
}

/** Whether a text is values for Pomerium's chart (a `config:` mapping with the chart's keys), not a Pomerium config. */
export function looksLikePomeriumChartValues(source: string): boolean {
  if (!/^(?:pomerium:\s*\n\s+)?config:\s*(?:#.*)?$/m.test(source) && !/^\s{2,4}config:\s*(?:#.*)?$/m.test(source)) return false;
  const doc = parseDocument(source, YAML_OPTIONS);
  return doc.errors.length === 0 && chartRoot(doc.contents as Node | null) !== null;
}

const TEMPLATE = /\{\{-?\s*(.*?)\s*-?\}\}/g;
/** The one template users write in chart routes that this reader resolves: the chart's own rootDomain. */
const ROOT_DOMAIN_TEMPLATE = /^\.Values\.config\.rootDomain$/;

export function readPomeriumChartValues(source: string, file: string): PomeriumChartValues {
  const index = new LineIndex(source, file);
  const spanOf = (node: Node | null | undefined) => (node?.range ? index.span(node.range[0], node.range[1]) : null);
  const doc = parseDocument(source, YAML_OPTIONS);
  const model = emptyModel(file);
  const result: PomeriumChartValues = { file, model, imageTag: null, signingKeyInSecret: true, env: {}, envSpans: new Map(), unread: [] };
  for (const e of doc.errors) model.errors.push({ message: yamlErrorMessage(e.message), span: index.span(e.pos[0], e.pos[1]) });
  const values = doc.errors.length === 0 ? chartRoot(doc.contents as Node | null) : null;
  if (!values) return result;

  const config = field(values, 'config');
  const rootDomainNode = field(config, 'rootDomain');
  const rootDomain = text(rootDomainNode) ?? DEFAULT_ROOT_DOMAIN;
  const configKeySpan = spanOf(values.items.find((p) => isScalar(p.key) && p.key.value === 'config')?.key as Node | undefined);

  if (text(field(config, 'existingSecret'))) {
    result.unread.push({
      message: `config.existingSecret: the chart takes Pomerium's whole config.yaml from the Secret ${JSON.stringify(text(field(config, 'existingSecret')))}, which is not in this file`,
      hint: 'pass that config.yaml with --pomerium (e.g. `kubectl get secret NAME -o jsonpath="{.data.config\\.yaml}" | base64 -d > config.yaml`)',
      span: spanOf(field(config, 'existingSecret')),
      routes: true,
    });
    return result;
  }

  // The rendered top level, built from this file's own nodes so every position stays a values line.
  const top = new YAMLMap();
  const add = (key: string, node: Node) => top.items.push(new Pair(new Scalar(key), node));
  const located = (value: string, at: Node | null | undefined): Scalar => {
    const s = new Scalar(value);
    if (at?.range) s.range = at.range;
    return s;
  };
  const authName = text(field(field(values, 'authenticate'), 'name')) || text(path(values, 'ingress', 'authenticate', 'name')) || 'authenticate';
  const authenticateHost = `${authName}.${rootDomain}`;
  const urlNode = path(values, 'proxy', 'authenticateServiceUrl');
  add('authenticate_service_url', text(urlNode) ? (urlNode as Node) : located(`https://${authenticateHost}`, rootDomainNode ?? findKey(values, 'config')));
  const extraOpts = field(config, 'extraOpts');
  if (isMap(extraOpts)) for (const pair of extraOpts.items) top.items.push(pair);

  const routesKey: 'routes' | 'policy' = field(config, 'routes') !== null || field(config, 'policy') === null ? 'routes' : 'policy';
  const routesNode = field(config, routesKey);
  let routesDoc: Document = doc;
  let routesSpanOf = spanOf;
  if (isScalar(routesNode) && typeof routesNode.value === 'string' && routesNode.value.trim() !== '') {
    // A string is YAML text the chart passes through `tpl`: read it where it sits in this file.
    const inner = innerYaml(source, routesNode, rootDomain);
    if ('unread' in inner) {
      result.unread.push({ message: `config.${routesKey} is a template (${inner.unread}); the chart renders it with tpl, which is not done here`, hint: renderHint(file), span: spanOf(routesNode), routes: true });
    } else {
      routesDoc = inner.doc;
      routesSpanOf = (node) => (node?.range ? index.span(node.range[0], node.range[1]) : null);
      if (inner.doc.contents) add(routesKey, inner.doc.contents as Node);
    }
  } else if (routesNode !== null) {
    const template = firstTemplate(routesNode);
    if (template) result.unread.push({ message: `config.${routesKey} holds a template (${template}); the chart renders it with tpl, which is not done here`, hint: renderHint(file), span: spanOf(routesNode), routes: true });
    else add(routesKey, substituteRootDomain(routesNode, rootDomain));
  }
  if (text(field(config, 'existingPolicy'))) {
    result.unread.push({
      message: `config.existingPolicy: the routes come from the Secret ${JSON.stringify(text(field(config, 'existingPolicy')))}, which is not in this file`,
      hint: 'pass the rendered config with --pomerium (e.g. `helm template … | grafana-pomerium doctor --pomerium -`)',
      span: spanOf(field(config, 'existingPolicy')),
      routes: true,
    });
  }

  const ctx: ReadContext = { doc: routesDoc === doc ? doc : routesDoc, spanOf: (n) => routesSpanOf(n) ?? spanOf(n), problems: model.valueProblems };
  readPomeriumOptions(ctx, top, model);

  // _helpers.tpl `pomerium.config.dynamic`: the chart adds the authenticate service's own route.
  const proxied = field(field(values, 'authenticate'), 'proxied');
  const proxiedOn = !(isScalar(proxied) && proxied.value === false);
  const controllerOn = text(path(values, 'ingressController', 'enabled')) === 'true';
  const ingressOn = routesKey === 'policy' && text(path(values, 'ingress', 'enabled')) !== 'false';
  if (proxiedOn && !controllerOn && !ingressOn && !result.unread.some((u) => u.routes)) {
    const scheme = text(field(config, 'insecure')) === 'true' ? 'http' : 'https';
    model.routes.push(authenticateRoute(model.routes.length, routesKey, authenticateHost, scheme, spanOf(rootDomainNode) ?? configKeySpan));
  }

  // The signing key: SIGNING_KEY from the chart's Secret beats signing_key in the config (env wins in Viper).
  const generate = field(config, 'generateSigningKey');
  const signingKeyNode = field(config, 'signingKey');
  const ownKey = isScalar(generate) && generate.value === false && !text(field(config, 'existingSigningKeySecret')) ? text(signingKeyNode) : null;
  model.signingKey = ownKey ? { kind: 'inline', span: spanOf(signingKeyNode), text: ownKey } : null;
  result.signingKeyInSecret = ownKey === null && model.signingKeyFile === null;
  // The shared secret also comes from a chart Secret (envFrom), never from this file's extraOpts.
  model.sharedSecret = null;
  model.sharedSecretFile = null;

  for (const envMap of [field(values, 'extraEnv'), path(values, 'proxy', 'deployment', 'extraEnv')]) {
    if (!isMap(envMap)) continue;
    for (const pair of envMap.items) {
      if (!isScalar(pair.key) || !isScalar(pair.value) || pair.value.value === null) continue;
      const name = String(pair.key.value);
      result.env[name] = String(pair.value.value);
      result.envSpans.set(name, { nameSpan: spanOf(pair.key as Node)!, valueSpan: spanOf(pair.value as Node) ?? spanOf(pair.key as Node)! });
    }
  }

  const tagNode = path(values, 'image', 'tag');
  if (text(tagNode)) result.imageTag = { value: text(tagNode)!, span: spanOf(tagNode) };
  return result;
}

function findKey(map: YAMLMap, key: string): Node | null {
  return (map.items.find((p) => isScalar(p.key) && p.key.value === key)?.key as Node | undefined) ?? null;
}

function renderHint(file: string): string {
  return `render the chart first and check what it gives, e.g. \`helm template pomerium pomerium/pomerium -f ${file} --show-only templates/secret.yaml\`, then pass its config.yaml with --pomerium`;
}

/** The first `{{ }}` in a node's strings that is not the chart's rootDomain (which is resolved). */
function firstTemplate(node: Node): string | null {
  let found: string | null = null;
  const visit = (n: unknown) => {
    if (found) return;
    if (isScalar(n) && typeof n.value === 'string') {
      for (const m of n.value.matchAll(TEMPLATE)) if (!ROOT_DOMAIN_TEMPLATE.test(m[1]!)) found ??= m[0];
    } else if (isMap(n) || isSeq(n)) {
      for (const item of n.items) {
        if (isMap(n)) visit((item as Pair).value);
        else visit(item);
      }
    }
  };
  visit(node);
  return found;
}

/** `{{ .Values.config.rootDomain }}` in route strings, replaced as tpl would (the scalars keep their positions). */
function substituteRootDomain(node: Node, rootDomain: string): Node {
  const visit = (n: unknown) => {
    if (isScalar(n) && typeof n.value === 'string') n.value = n.value.replace(TEMPLATE, (whole, inner: string) => (ROOT_DOMAIN_TEMPLATE.test(inner) ? rootDomain : whole));
    else if (isMap(n)) for (const p of n.items) visit(p.value);
    else if (isSeq(n)) for (const i of n.items) visit(i);
  };
  visit(node);
  return node;
}

/**
 * A block scalar's YAML, parsed where it sits: the rest of the file blanked to spaces (newlines kept),
 * so every node's range is an offset into the values file.
 */
function innerYaml(source: string, node: Scalar, rootDomain: string): { doc: Document } | { unread: string } {
  const templates = [...String(node.value).matchAll(TEMPLATE)].filter((m) => !ROOT_DOMAIN_TEMPLATE.test(m[1]!));
  if (templates.length > 0) return { unread: templates[0]![0] };
  if (!node.range || (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED')) {
    const doc = parseDocument(String(node.value), YAML_OPTIONS);
    return doc.errors.length > 0 ? { unread: 'YAML text that does not parse' } : { doc: positionless(doc, node) };
  }
  const [start, end] = node.range;
  const headerEnd = source.indexOf('\n', start);
  let blanked = source.slice(0, end).replace(/[^\n]/g, ' ');
  blanked = blanked.slice(0, headerEnd + 1) + source.slice(headerEnd + 1, end);
  // Replacing the template shifts later columns of its line only; lines stay where they are.
  blanked = blanked.replace(TEMPLATE, (whole, inner: string) => (ROOT_DOMAIN_TEMPLATE.test(inner) ? rootDomain : whole));
  const doc = parseDocument(blanked, YAML_OPTIONS);
  if (doc.errors.length > 0) return { unread: 'YAML text that does not parse' };
  return { doc };
}

/** A flow or quoted string's YAML has no positions of its own: every node points at the string. */
function positionless(doc: Document, at: Scalar): Document {
  const visit = (n: unknown) => {
    if (!n || typeof n !== 'object') return;
    const node = n as Node;
    if ('range' in node) node.range = at.range ?? null!;
    if (isMap(node)) for (const p of node.items) {
      visit(p.key);
      visit(p.value);
    }
    else if (isSeq(node)) for (const i of node.items) visit(i);
  };
  visit(doc.contents);
  return doc;
}

function authenticateRoute(index: number, list: 'routes' | 'policy', host: string, scheme: string, span: Span | null): PomeriumRoute {
  return {
    index,
    list,
    origin: 'file',
    span,
    from: { value: `https://${host}`, span },
    to: { value: [{ url: `${scheme}://pomerium-authenticate.default.svc.cluster.local`, weight: null }], span },
    prefix: null,
    path: null,
    passIdentityHeaders: null,
    jwtIssuerFormat: null,
    preserveHostHeader: null,
    hostRewrite: null,
    hostRewriteHeader: null,
    tlsSkipVerify: null,
    allowPublicUnauthenticatedAccess: { value: true, span },
    allowAnyAuthenticatedUser: null,
    allowedDomains: null,
    allowedUsers: null,
    policy: null,
    keys: [],
  };
}

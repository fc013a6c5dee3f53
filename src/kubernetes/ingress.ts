// Ingress objects as the Pomerium Ingress Controller turns them into routes
// (IC:pomerium/ingress_to_route.go, ingress_annotations.go, proto.go; reference pomerium.md section 4).
import { isMap, isScalar, isSeq, parse, type Node } from 'yaml';
import type { Located, Span } from '../core/span.js';
import type { KeyRef, PomeriumRoute } from '../pomerium/model-types.js';
import { yamlErrorMessage } from '../pomerium/read.js';
import { field, path, text, type ManifestObject } from './manifests.js';

export const ANNOTATION_PREFIX = 'ingress.pomerium.io/';
const CONTROLLER = 'pomerium.io/ingress-controller';

/** Route options (`baseAnnotations`) and policy options (`policyAnnotations`) the controller copies into the route. */
const ROUTE_OPTIONS = [
  'allow_any_authenticated_user', 'allow_public_unauthenticated_access', 'allow_spdy', 'allow_upgrades', 'allow_websockets',
  'bearer_token_format', 'circuit_breaker_thresholds', 'cors_allow_preflight', 'depends_on', 'description',
  'enable_google_cloud_serverless_authentication', 'health_checks', 'healthy_panic_threshold', 'host_path_regex_rewrite_pattern',
  'host_path_regex_rewrite_substitution', 'host_rewrite', 'host_rewrite_header', 'idle_timeout', 'idp_access_token_allowed_audiences',
  'load_balancing_policy', 'logo_url', 'name', 'outlier_detection', 'pass_identity_headers', 'prefix_rewrite', 'preserve_host_header',
  'regex_rewrite_pattern', 'regex_rewrite_substitution', 'remove_request_headers', 'rewrite_response_headers', 'set_request_headers',
  'set_response_headers', 'timeout', 'tls_server_name', 'tls_skip_verify',
  'allowed_domains', 'allowed_idp_claims', 'allowed_users', 'policy',
];
/** Secret references, MCP, tunnels and the annotations the controller reads elsewhere. */
const OTHER_ANNOTATIONS = [
  'tls_client_secret', 'tls_custom_ca_secret', 'tls_downstream_client_ca_secret', 'kubernetes_service_account_token_secret',
  'set_request_headers_secret', 'set_response_headers_secret', 'mcp_server_upstream_oauth2_secret', 'identity_provider_secret',
  'mcp_server', 'mcp_server_max_request_bytes', 'mcp_server_upstream_oauth2_token_url', 'mcp_server_upstream_oauth2_auth_url',
  'mcp_server_upstream_oauth2_scopes', 'mcp_server_path', 'mcp_client', 'upstream_tunnel', 'upstream_tunnel_ssh_policy',
  'path_regex', 'secure_upstream', 'tcp_upstream', 'udp_upstream', 'ssh_upstream', 'service_proxy_upstream', 'subtle_allow_empty_host',
];
export const KNOWN_ANNOTATIONS: readonly string[] = [...ROUTE_OPTIONS, ...OTHER_ANNOTATIONS];
const ROUTE_OPTION_SET = new Set(ROUTE_OPTIONS);
/** Annotations the controller refuses by name, with its pointer to why. */
export const UNSUPPORTED_ANNOTATIONS: Readonly<Record<string, string>> = {
  allowed_groups: 'https://docs.pomerium.com/docs/overview/upgrading#idp-directory-sync',
};
/** protobuf `bool` route fields: protojson takes only JSON true/false. */
const BOOL_OPTIONS = new Set([
  'allow_any_authenticated_user', 'allow_public_unauthenticated_access', 'allow_spdy', 'allow_websockets', 'cors_allow_preflight',
  'enable_google_cloud_serverless_authentication', 'pass_identity_headers', 'preserve_host_header', 'tls_skip_verify',
]);

/** One `ingress.pomerium.io/*` annotation as written. */
export interface Annotation {
  /** The name after the prefix, e.g. `pass_identity_headers`. */
  option: string;
  keySpan: Span | null;
  valueSpan: Span | null;
  /** The value as the controller gets it; for a value that is not a YAML string (the API server refuses those), its text. */
  value: string;
  /** Whether the manifest wrote a string (annotations are map[string]string). */
  isString: boolean;
  /** What the manifest wrote, when not a string: `boolean`, `number`, `null`, `mapping`, `list`. */
  writtenAs: string;
}

export interface PomeriumIngress {
  object: ManifestObject;
  annotations: Annotation[];
  routes: PomeriumRoute[];
  /** Values the controller refuses (it then skips the whole Ingress). */
  problems: { message: string; span: Span | null }[];
}

/** The ingress class names the Pomerium controller serves: `pomerium`, plus IngressClass objects naming its controller. */
export function pomeriumClassNames(objects: readonly ManifestObject[]): Set<string> {
  const names = new Set(['pomerium']);
  for (const o of objects) {
    if (o.kind === 'IngressClass' && o.name && text(path(o.node, 'spec', 'controller')) === CONTROLLER) names.add(o.name);
  }
  return names;
}

function annotationNodes(object: ManifestObject): { key: Node; value: Node | null; name: string }[] {
  const map = path(object.node, 'metadata', 'annotations');
  if (!isMap(map)) return [];
  return map.items.flatMap((p) => (isScalar(p.key) ? [{ key: p.key as Node, value: (p.value as Node | null) ?? null, name: String(p.key.value) }] : []));
}

export function isPomeriumIngress(object: ManifestObject, classNames: ReadonlySet<string>): boolean {
  if (object.kind !== 'Ingress') return false;
  const className = text(path(object.node, 'spec', 'ingressClassName')) ?? text(annotationNodes(object).find((a) => a.name === 'kubernetes.io/ingress.class')?.value);
  return className !== null && classNames.has(className);
}

function writtenAs(node: Node | null): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  const value = isScalar(node) ? node.value : null;
  return value === null ? 'null' : `a ${typeof value}`;
}

function readAnnotations(object: ManifestObject): Annotation[] {
  return annotationNodes(object)
    .filter((a) => a.name.startsWith(ANNOTATION_PREFIX))
    .map((a) => {
      const isString = isScalar(a.value) && typeof a.value.value === 'string';
      return {
        option: a.name.slice(ANNOTATION_PREFIX.length),
        keySpan: object.spanOf(a.key),
        valueSpan: object.spanOf(a.value) ?? object.spanOf(a.key),
        value: isScalar(a.value) && a.value.value !== null ? String(a.value.value) : '',
        isString,
        writtenAs: isString ? 'a string' : writtenAs(a.value),
      };
    });
}

/** The route options decoded as the controller does: each value parsed as YAML, then checked against the option's protobuf type. */
function decodeOptions(annotations: readonly Annotation[], problems: PomeriumIngress['problems']): Map<string, Located<unknown>> {
  const options = new Map<string, Located<unknown>>();
  for (const a of annotations) {
    if (!ROUTE_OPTION_SET.has(a.option)) continue;
    let value: unknown;
    try {
      // gopkg.in/yaml.v3 into `any`: YAML 1.2 core types (true/false, not yes/no).
      value = a.option === 'policy' ? a.value : parse(a.value, { schema: 'core', logLevel: 'error' });
    } catch (err) {
      problems.push({ message: `${ANNOTATION_PREFIX}${a.option}: ${yamlErrorMessage((err as Error).message)}`, span: a.valueSpan });
      continue;
    }
    // An empty (or `null`, `~`) value decodes to JSON null, which protojson takes as "not set".
    if (value === null) continue;
    if (BOOL_OPTIONS.has(a.option) && typeof value !== 'boolean') {
      problems.push({ message: `${ANNOTATION_PREFIX}${a.option}: ${JSON.stringify(a.value)} is not true or false, so the controller refuses the Ingress`, span: a.valueSpan });
      continue;
    }
    options.set(a.option, { value, span: a.valueSpan });
  }
  return options;
}

function typed<T>(option: Located<unknown> | undefined, check: (v: unknown) => v is T): Located<T> | null {
  return option && check(option.value) ? (option as Located<T>) : null;
}
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

/** The Service port a backend names: its number, or a named port looked up in the Service (when the manifests have it). */
function backendPort(backend: Node | null, objects: readonly ManifestObject[], namespace: string, service: string): string | null {
  const number = text(path(backend, 'port', 'number'));
  if (number !== null) return number;
  const name = text(path(backend, 'port', 'name'));
  // The controller looks the Service up by namespace and name (`GetServicePortByName`), wherever it was applied from.
  const svc = objects.find((o) => o.kind === 'Service' && o.name === service && (o.namespace ?? 'default') === namespace);
  const ports = path(svc?.node, 'spec', 'ports');
  const port = isSeq(ports) ? ports.items.find((p) => text(field(p as Node, 'name')) === name) : undefined;
  return text(field(port as Node | undefined, 'port'));
}

/** One route per host and path, as `ruleToRoute`/`pathToRoute` build them; `first` is the index of the first. */
export function readPomeriumIngress(object: ManifestObject, objects: readonly ManifestObject[], first: number): PomeriumIngress {
  const annotations = readAnnotations(object);
  const problems: PomeriumIngress['problems'] = [];
  const options = decodeOptions(annotations, problems);
  const flag = (option: string) => annotations.find((a) => a.option === option)?.value.toLowerCase() === 'true';
  const scheme = flag('secure_upstream') ? 'https' : 'http';
  const namespace = object.namespace ?? 'default';
  // Only the route options are Pomerium route keys; secure_upstream and the *_secret annotations are the controller's own.
  const keys: KeyRef[] = annotations.filter((a) => ROUTE_OPTION_SET.has(a.option)).map((a) => ({ name: a.option, span: a.keySpan, valueSpan: a.valueSpan }));
  const bool = (option: string) => typed(options.get(option), isBool);

  const routes: PomeriumRoute[] = [];
  const rules = path(object.node, 'spec', 'rules');
  for (const rule of isSeq(rules) ? rules.items : []) {
    const hostNode = field(rule as Node, 'host');
    const host = text(hostNode);
    const paths = path(rule as Node, 'http', 'paths');
    if (host === null || !isSeq(paths)) continue; // the controller refuses these ("host is required", "rules.http is required")
    for (const item of paths.items) {
      const pathNode = field(item as Node, 'path');
      const pathType = text(field(item as Node, 'pathType'));
      const backend = path(item as Node, 'backend', 'service');
      const serviceNode = field(backend, 'name');
      const service = text(serviceNode);
      const port = service === null ? null : backendPort(backend, objects, namespace, service);
      const pathValue: Located<string> | null = pathNode ? { value: text(pathNode) ?? '', span: object.spanOf(pathNode) } : null;
      routes.push({
        index: first + routes.length,
        list: 'routes',
        origin: 'ingress',
        span: object.spanOf(item as Node),
        from: { value: `https://${host}`, span: object.spanOf(hostNode) },
        to: service === null ? null : { value: [{ url: `${scheme}://${service}.${namespace}.svc.cluster.local${port ? `:${port}` : ''}`, weight: null }], span: object.spanOf(serviceNode) },
        prefix: pathType === 'Exact' ? null : pathValue,
        path: pathType === 'Exact' ? pathValue : null,
        passIdentityHeaders: bool('pass_identity_headers'),
        jwtIssuerFormat: null, // no annotation for it (reference pomerium.md 1.8)
        preserveHostHeader: bool('preserve_host_header'),
        hostRewrite: typed(options.get('host_rewrite'), isString),
        hostRewriteHeader: options.get('host_rewrite_header') ?? null,
        tlsSkipVerify: bool('tls_skip_verify'),
        allowPublicUnauthenticatedAccess: bool('allow_public_unauthenticated_access'),
        allowAnyAuthenticatedUser: bool('allow_any_authenticated_user'),
        allowedDomains: typed(options.get('allowed_domains'), isStringList),
        allowedUsers: typed(options.get('allowed_users'), isStringList),
        policy: options.has('policy') ? { value: parsePolicy(options.get('policy')!.value as string), span: options.get('policy')!.span } : null,
        keys,
      });
    }
  }
  return { object, annotations, routes, problems };
}

/** The PPL policy annotation is YAML or JSON text; kept as parsed data, or as the text when it does not parse. */
function parsePolicy(source: string): unknown {
  try {
    return parse(source, { schema: 'core', logLevel: 'error' });
  } catch {
    return source;
  }
}

// The Grafana Ingress for the Pomerium Ingress Controller (reference pomerium.md section 4): the route's
// host, path, policy and backend, with the annotations Grafana's JWT sign-in needs. Annotation values are
// strings (the API server takes only map[string]string), so `"true"` is quoted.
import { stringify } from 'yaml';
import { UserError } from '../core/errors.js';
import { ANNOTATION_PREFIX } from '../kubernetes/ingress.js';
import type { PomeriumRoute } from '../pomerium/model-types.js';
import type { GrafanaRoute } from './settings.js';

/** The Kubernetes Service a route's `to` names: `svc`, `svc.ns`, `svc.ns.svc` or `svc.ns.svc.cluster.local`. */
export interface Backend {
  service: string;
  namespace: string | null;
  port: number;
  secure: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function backendOf(route: PomeriumRoute): Backend {
  const to = route.to?.value[0]?.url;
  const refuse = (why: string): never => {
    throw new UserError(`the route's to ${to ?? '(none)'} ${why}: an Ingress backend is a Kubernetes Service`, { span: route.to?.span ?? route.span });
  };
  if (!to) return refuse('is missing');
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    return refuse('is not a URL');
  }
  const labels = url.hostname.split('.');
  const [service = '', namespace] = labels;
  const suffix = labels.slice(2).join('.');
  if (!DNS_LABEL.test(service) || service === 'localhost' || (labels.length > 2 && suffix !== 'svc' && suffix !== 'svc.cluster.local') || (namespace !== undefined && !DNS_LABEL.test(namespace))) {
    refuse('is not a Service name');
  }
  const secure = url.protocol === 'https:';
  return { service, namespace: namespace ?? null, port: url.port ? Number(url.port) : secure ? 443 : 80, secure };
}

/** The annotations for the route: identity headers and the original Host for Grafana, and the route's policy. */
export function grafanaAnnotations(route: PomeriumRoute, backend: Backend): Record<string, string> {
  const annotations: Record<string, string> = {};
  const set = (option: string, value: string) => (annotations[`${ANNOTATION_PREFIX}${option}`] = value);
  set('pass_identity_headers', 'true');
  set('preserve_host_header', 'true');
  if (backend.secure) set('secure_upstream', 'true');
  if (route.policy) set('policy', typeof route.policy.value === 'string' ? route.policy.value : stringify(route.policy.value, { lineWidth: 0 }));
  if (route.allowedDomains) set('allowed_domains', JSON.stringify(route.allowedDomains.value));
  if (route.allowedUsers) set('allowed_users', JSON.stringify(route.allowedUsers.value));
  if (route.allowAnyAuthenticatedUser?.value) set('allow_any_authenticated_user', 'true');
  return annotations;
}

/** The Ingress object, as data. */
function grafanaIngress(route: GrafanaRoute): Record<string, unknown> {
  const backend = backendOf(route.route);
  const path = route.route.path ? { path: route.route.path.value, pathType: 'Exact' } : { path: route.route.prefix?.value || '/', pathType: 'Prefix' };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: backend.service,
      ...(backend.namespace ? { namespace: backend.namespace } : {}),
      annotations: grafanaAnnotations(route.route, backend),
    },
    spec: {
      ingressClassName: 'pomerium',
      tls: [{ hosts: [route.hostname], secretName: `${backend.service}-tls` }],
      rules: [{ host: route.hostname, http: { paths: [{ ...path, backend: { service: { name: backend.service, port: { number: backend.port } } } }] } }],
    },
  };
}

export function renderIngress(route: GrafanaRoute, header: readonly string[]): string {
  return `${header.map((line) => `# ${line}\n`).join('')}\n${stringify(grafanaIngress(route), { lineWidth: 0 })}`;
}

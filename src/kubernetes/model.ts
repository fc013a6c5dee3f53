// Kubernetes manifests -> the same PomeriumModel a config.yaml gives: the `Pomerium` resource for the
// global options, one route per Ingress host and path. Positions point at the manifests' own lines.
import type { PomeriumModel } from '../pomerium/model-types.js';
import { emptyModel } from '../pomerium/read.js';
import { isPomeriumIngress, pomeriumClassNames, readPomeriumIngress, type PomeriumIngress } from './ingress.js';
import { readManifests, type ManifestFile, type Manifests } from './manifests.js';
import { isPomeriumResource, readPomeriumResource, type PomeriumResource } from './pomerium-crd.js';
import { readGrafanaWorkload, type GrafanaWorkload, type WorkloadEnvVar } from './workloads.js';

/** The controller's `--pomerium-config` default: the `Pomerium` object it reads. */
const DEFAULT_RESOURCE_NAME = 'global';

export interface KubernetesConfig {
  /** The file or folder given. */
  source: string;
  /** `manifests.errors` holds YAML syntax errors (kubectl refuses the file); the command reports them. */
  manifests: Manifests;
  /** Ingresses of the Pomerium ingress class. */
  ingresses: PomeriumIngress[];
  resource: PomeriumResource | null;
  model: PomeriumModel;
  /** The Deployment/StatefulSet running Grafana, when the manifests hold one. */
  grafanaWorkload: GrafanaWorkload | null;
  /** Its environment (`env`, `envFrom` of ConfigMaps/Secrets among the manifests), at the manifests' lines. */
  grafanaEnv: WorkloadEnvVar[];
}

export function readKubernetes(source: string, files: readonly ManifestFile[]): KubernetesConfig {
  const manifests = readManifests(files);
  const { objects } = manifests;
  const classNames = pomeriumClassNames(objects);
  const resources = objects.filter(isPomeriumResource);
  const resourceObject = resources.find((o) => o.name === DEFAULT_RESOURCE_NAME) ?? resources[0];
  const resource = resourceObject ? readPomeriumResource(resourceObject) : null;

  const ingresses: PomeriumIngress[] = [];
  let routeCount = 0;
  for (const object of objects) {
    if (!isPomeriumIngress(object, classNames)) continue;
    const ingress = readPomeriumIngress(object, objects, routeCount);
    routeCount += ingress.routes.length;
    ingresses.push(ingress);
  }

  const model: PomeriumModel = {
    ...emptyModel(files.length === 1 ? files[0]!.file : source),
    authenticateServiceUrl: resource?.authenticateUrl ?? null,
    passIdentityHeaders: resource?.passIdentityHeaders ?? null,
    jwtClaimsHeaders: resource?.jwtClaimHeaders ?? null,
    routes: ingresses.flatMap((i) => i.routes),
  };
  const grafanaWorkload = readGrafanaWorkload(objects);
  return { source, manifests, ingresses, resource, model, grafanaWorkload, grafanaEnv: grafanaWorkload?.env ?? [] };
}

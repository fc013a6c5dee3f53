// The `Pomerium` custom resource (ingress.pomerium.io/v1, IC:apis/ingress/v1/pomerium_types.go): the global
// settings the Ingress Controller gives Pomerium. Secrets stay in Kubernetes: only their reference is read.
import { isMap, isScalar } from 'yaml';
import type { Located, Span } from '../core/span.js';
import { field, path, text, type ManifestObject } from './manifests.js';

export interface PomeriumResource {
  object: ManifestObject;
  /** `spec.authenticate.url` (null: the hosted authenticate service). */
  authenticateUrl: Located<string> | null;
  /** `spec.passIdentityHeaders`: the default for every Ingress (since IC v0.25.0). */
  passIdentityHeaders: Located<boolean> | null;
  /** `spec.jwtClaimHeaders`: header -> claim. */
  jwtClaimHeaders: Located<Record<string, string>> | null;
  /** `spec.secrets`: `namespace/name` of the Secret holding shared_secret, cookie_secret and signing_key. */
  secrets: Located<string> | null;
  /** Values the CRD schema refuses (kubectl apply fails). */
  problems: { message: string; span: Span | null }[];
}

export function isPomeriumResource(object: ManifestObject): boolean {
  return object.kind === 'Pomerium' && object.apiVersion.startsWith('ingress.pomerium.io/');
}

export function readPomeriumResource(object: ManifestObject): PomeriumResource {
  const spec = field(object.node, 'spec');
  const problems: PomeriumResource['problems'] = [];
  const located = <T>(value: T, node: Parameters<ManifestObject['spanOf']>[0]): Located<T> => ({ value, span: object.spanOf(node) });

  const urlNode = path(spec, 'authenticate', 'url');
  const url = text(urlNode);
  if (url !== null && !url.startsWith('https://')) problems.push({ message: 'spec.authenticate.url must match ^https://', span: object.spanOf(urlNode) });

  const passNode = field(spec, 'passIdentityHeaders');
  let passIdentityHeaders: Located<boolean> | null = null;
  if (isScalar(passNode) && typeof passNode.value === 'boolean') passIdentityHeaders = located(passNode.value, passNode);
  else if (passNode && !(isScalar(passNode) && passNode.value === null)) {
    problems.push({ message: 'spec.passIdentityHeaders must be a boolean (true or false, unquoted)', span: object.spanOf(passNode) });
  }

  const claimsNode = field(spec, 'jwtClaimHeaders');
  let jwtClaimHeaders: Located<Record<string, string>> | null = null;
  if (isMap(claimsNode)) {
    const map: Record<string, string> = {};
    for (const pair of claimsNode.items) if (isScalar(pair.key) && isScalar(pair.value)) map[String(pair.key.value)] = String(pair.value.value);
    jwtClaimHeaders = located(map, claimsNode);
  } else if (claimsNode) {
    problems.push({ message: 'spec.jwtClaimHeaders must be a mapping of header names to claims', span: object.spanOf(claimsNode) });
  }

  const secretsNode = field(spec, 'secrets');
  const secrets = text(secretsNode);
  return {
    object,
    authenticateUrl: url === null ? null : located(url, urlNode),
    passIdentityHeaders,
    jwtClaimHeaders,
    secrets: secrets === null ? null : located(secrets, secretsNode),
    problems,
  };
}

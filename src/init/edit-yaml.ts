// init --write on the YAML forms: Grafana Helm values, an Ingress manifest, a compose file. The yaml
// Document API keeps comments and quoting; a file with YAML errors is refused, never rewritten.
import { isMap, isScalar, isSeq, parseAllDocuments, Scalar, type Document, type Node } from 'yaml';
import { UserError } from '../core/errors.js';
import { LineIndex } from '../core/span.js';
import { readCompose } from '../compose/project.js';
import { YAML_OPTIONS, yamlErrorMessage } from '../pomerium/read.js';
import { backendOf, grafanaAnnotations } from './render-ingress.js';
import { gfVariables } from './render-env.js';
import { grafanaEnvName } from '../grafana/env-overrides.js';
import { helmScalar } from './render-helm.js';
import { keysToRemove, type GrafanaRoute, type GrafanaSetting } from './settings.js';

function parseForEdit(text: string, file: string): Document[] {
  const docs = parseAllDocuments(text, YAML_OPTIONS);
  for (const doc of docs) {
    const first = doc.errors[0];
    if (first) throw new UserError(yamlErrorMessage(first.message), { span: new LineIndex(text, file).span(first.pos[0], first.pos[1]), hint: 'fix the YAML first; the file was not changed' });
  }
  return docs;
}

/** The documents back as text, with the file's own list indentation (`key:\n- item` or `key:\n  - item`). */
function print(text: string, docs: readonly Document[]): string {
  const indentSeq = !/^( *)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(text);
  return docs.map((d) => d.toString({ lineWidth: 0, indentSeq })).join('');
}

/** A double-quoted string node: for strings that must stay strings (`"true"`) and compose values. */
function quoted(value: string): Scalar {
  const node = new Scalar(value);
  node.type = 'QUOTE_DOUBLE';
  return node;
}

/** Sets a value unless it is already there (so a value written as the user likes it stays as it is). */
function setValue(doc: Document, path: readonly string[], value: string | boolean, node: unknown = value): void {
  if (doc.getIn(path) !== value) doc.setIn(path, node);
}

/**
 * Helm values: the settings under `grafana.ini:` (one level, dotted section keys), what `keysToRemove`
 * names removed, and a nested `auth: jwt:` map (which the chart renders as garbage under [auth])
 * moved to `auth.jwt:`, its other keys kept.
 */
export function editHelmValues(text: string, file: string, settings: readonly GrafanaSetting[]): string {
  const docs = parseForEdit(text, file);
  const doc = docs[0];
  if (!doc || !(isMap(doc.contents) || doc.contents === null)) throw new UserError('the Helm values file is not a mapping', { file });
  const nested = doc.getIn(['grafana.ini', 'auth', 'jwt'], true);
  if (isMap(nested)) {
    for (const pair of nested.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : null;
      if (key !== null && !doc.hasIn(['grafana.ini', 'auth.jwt', key])) doc.setIn(['grafana.ini', 'auth.jwt', key], pair.value);
    }
    doc.deleteIn(['grafana.ini', 'auth', 'jwt']);
  }
  for (const { section, key } of keysToRemove(settings)) if (doc.hasIn(['grafana.ini', section, key])) doc.deleteIn(['grafana.ini', section, key]);
  for (const s of settings) setValue(doc, ['grafana.ini', s.section, s.key], helmScalar(s.value));
  return print(text, docs);
}

/** The Ingress whose rules serve the route's host: the Pomerium annotations Grafana needs, as strings. */
export function editIngress(text: string, file: string, route: GrafanaRoute): string {
  const docs = parseForEdit(text, file);
  const serves = (doc: Document) => {
    const rules = doc.getIn(['spec', 'rules']);
    return doc.get('kind') === 'Ingress' && isSeq(rules) && rules.items.some((r) => isMap(r) && r.get('host') === route.hostname);
  };
  const doc = docs.find(serves);
  if (!doc) throw new UserError(`no Ingress in ${file} serves ${route.hostname}`, { file, hint: 'print a new one with --format ingress' });
  const annotations = grafanaAnnotations(route.route, backendOf(route.route));
  // The route's access policy is the user's decision: only the options Grafana's sign-in needs are set.
  for (const [name, value] of Object.entries(annotations)) {
    if (value === 'true' && !name.endsWith('allow_any_authenticated_user')) setValue(doc, ['metadata', 'annotations', name], value, quoted(value));
  }
  return print(text, docs);
}

/** The compose file's Grafana service: its `environment:` (map or list form) gets the `GF_*` variables. */
export function editCompose(text: string, file: string, settings: readonly GrafanaSetting[], grafanaVersion: string): string {
  const docs = parseForEdit(text, file);
  const doc = docs[0];
  const service = readCompose(text, file, { vars: {}, readFile: () => null }).grafana?.name;
  if (!doc || service === undefined) throw new UserError(`${file} has no Grafana service`, { file, hint: 'print the environment block with --format compose' });
  const path = ['services', service, 'environment'];
  const environment = doc.getIn(path) as Node | undefined;
  // The variables of keys --write removes (as for grafana.ini and Helm values), e.g. GF_AUTH_JWT_AUTO_ASSIGN_ORG_ROLE.
  for (const { section, key } of keysToRemove(settings)) {
    const name = grafanaEnvName(section, key);
    if (isSeq(environment)) environment.items = environment.items.filter((i) => !(isScalar(i) && String(i.value).split('=')[0] === name));
    else if (doc.hasIn([...path, name])) doc.deleteIn([...path, name]);
  }
  for (const v of gfVariables(settings, grafanaVersion)) {
    const escaped = v.value.replaceAll('$', () => '$$');
    if (!isSeq(environment)) {
      setValue(doc, [...path, v.name], escaped, quoted(escaped));
      continue;
    }
    const item = `${v.name}=${escaped}`;
    const at = environment.items.findIndex((i) => isScalar(i) && String(i.value).split('=')[0] === v.name);
    if (at < 0) environment.items.push(doc.createNode(item));
    else if ((environment.items[at] as Scalar).value !== item) environment.items[at] = doc.createNode(item);
  }
  return print(text, docs);
}

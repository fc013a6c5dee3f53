// Grafana Helm chart values -> the grafana.ini the chart renders (charts/grafana/templates/_config.tpl;
// reference grafana.md 5.2) read by the same go-ini parser, with every position moved back to the
// values.yaml line that produced it; plus the `env:` the pod gets (grafana.md 5.3).
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { LineIndex, type Span } from '../core/span.js';
import { YAML_OPTIONS, yamlErrorMessage } from '../pomerium/read.js';
import { parseIni } from './ini-parse.js';
import type { IniDocument } from './ini-types.js';

/** A `GF_*` (or other) variable the values file sets, as the pod will see it. */
export interface HelmEnvEntry {
  name: string;
  value: string;
  /** From `env:` or `envRenderSecret:` (a Secret the chart renders from the values). */
  from: 'env' | 'envRenderSecret';
  nameSpan: Span;
  valueSpan: Span;
}

/** Environment the pod gets from somewhere this file does not hold: names (or whole sources) known, values not. */
export interface HelmUnknownEnv {
  /** The variable name, or null when a whole Secret/ConfigMap is loaded (`envFromSecret`). */
  name: string | null;
  from: 'envValueFrom' | 'envFromSecret' | 'envFromSecrets' | 'envFromConfigMaps';
  /** The Secret or ConfigMap, when named. */
  source: string | null;
  span: Span | null;
}

export interface HelmValues {
  file: string;
  /** The rendered grafana.ini as go-ini reads it; spans and offsets point into the values file. */
  doc: IniDocument;
  /** The grafana.ini text the chart writes into its ConfigMap. */
  rendered: string;
  /** Entries nested below a section (`auth: {jwt: {...}}`): the chart writes them as one `key = map[...]` line. */
  nested: { section: string; key: string; keySpan: Span | null }[];
  env: HelmEnvEntry[];
  unknownEnv: HelmUnknownEnv[];
  /** YAML syntax errors and values of the wrong shape. */
  errors: { message: string; span: Span | null }[];
}

/** Where a rendered line came from in the values file. */
interface LineOrigin {
  keySpan: Span | null;
  valueSpan: Span | null;
  start: number;
  end: number;
  /**
   * When the rendered value is the scalar's text verbatim (one line, no escapes): where it starts in the values
   * file and the column it starts at in the rendered line, so a position inside the value maps exactly.
   */
  verbatim: { offset: number; column: number } | null;
}

/** Go's `%v` of a value Helm decoded from YAML (numbers are float64, maps print as `map[k:v]` with sorted keys). */
export function goPrint(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number') return goFloat(value);
  if (Array.isArray(value)) return `[${value.map(goPrint).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${goPrint(v)}`).join(' ')}]`;
  }
  return String(value);
}

/** `strconv.FormatFloat(f, 'g', -1, 64)`: shortest digits, exponent form from 1e+06 up and below 1e-04. */
function goFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(n.toPrecision(17)))));
  if (exp < -4 || exp >= 6) {
    const [mantissa, e] = n.toExponential().split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return String(n);
}

/** sprig `toJson`: Go's json.Marshal, which escapes <, > and & for HTML. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A template action `{{ … }}`, with its whitespace-trim markers (Go text/template `{{- ` and ` -}}`). */
const TEMPLATE_ACTION = /(\s*)\{\{(-\s)?\s*([^{}]*?)\s*(\s-)?\}\}(\s*)/g;
const VALUES_REFERENCE = /^\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)$/;

/**
 * _config.tpl writes a string value through `tpl $elemVal $` (grafana/helm-charts charts/grafana/templates/_config.tpl,
 * tag grafana-10.5.15), so `{{ .Values.x.y }}` is rendered from the chart's values. Those references are rendered
 * here; any other action stays as written (doctor cannot evaluate it: see `hasTemplate`).
 */
export function renderTpl(text: string, values: unknown): string {
  if (!text.includes('{{')) return text;
  return text.replace(TEMPLATE_ACTION, (whole, before: string, trimLeft: string | undefined, action: string, trimRight: string | undefined, after: string) => {
    const ref = VALUES_REFERENCE.exec(action);
    let found: unknown = values;
    for (const name of ref ? ref[1]!.slice(1).split('.') : []) {
      found = found !== null && typeof found === 'object' && !Array.isArray(found) ? (found as Record<string, unknown>)[name] : undefined;
    }
    if (!ref || found === undefined || (found !== null && typeof found === 'object')) return whole;
    // A missing key prints "<no value>" in Go templates; null prints the same.
    const printed = found === null ? '<no value>' : goPrint(found);
    return `${trimLeft ? '' : before}${printed}${trimRight ? '' : after}`;
  });
}

/** Whether a rendered value still holds a template action doctor could not evaluate. */
export function hasTemplate(value: string): boolean {
  return /\{\{[^{}]*\}\}/.test(value);
}

/** One `key = value` line as _config.tpl writes it (strings through `tpl`). */
function renderEntry(key: string, value: unknown, values: unknown): string {
  if (value === null || value === undefined) return `${key} =`;
  if (Array.isArray(value)) return `${key} = ${goJson(value)}`;
  if (typeof value === 'string') return `${key} = ${renderTpl(value, values)}`;
  return `${key} = ${goPrint(value)}`;
}

function sortedPairs(map: Node | null): Pair[] {
  if (!isMap(map)) return [];
  return [...map.items].filter((p) => isScalar(p.key)).sort((a, b) => {
    const x = String((a.key as { value: unknown }).value);
    const y = String((b.key as { value: unknown }).value);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function keyName(pair: Pair): string {
  return String((pair.key as { value: unknown }).value);
}

/** The values subtree holding the chart's values: the top level, or `grafana:` when Grafana is a subchart (kube-prometheus-stack). */
function chartValues(root: Node | null): Node | null {
  if (!isMap(root)) return null;
  if (root.has('grafana.ini') || root.has('env')) return root;
  const sub = root.get('grafana', true) as Node | undefined;
  return isMap(sub) && (sub.has('grafana.ini') || sub.has('env')) ? sub : root;
}

export function readHelmValues(text: string, file: string): HelmValues {
  const index = new LineIndex(text, file);
  const spanOf = (node: Node | null | undefined) => (node?.range ? index.span(node.range[0], node.range[1]) : null);
  const yaml = parseDocument(text, YAML_OPTIONS);
  const errors: HelmValues['errors'] = yaml.errors.map((e) => ({ message: yamlErrorMessage(e.message), span: index.span(e.pos[0], e.pos[1]) }));
  const values = yaml.errors.length === 0 ? chartValues(yaml.contents as Node | null) : null;
  const ini = isMap(values) ? ((values.get('grafana.ini', true) as Node | undefined) ?? null) : null;
  if (ini !== null && !isMap(ini) && !(isScalar(ini) && ini.value === null)) errors.push({ message: '`grafana.ini` must be a mapping of sections', span: spanOf(ini) });

  const lines: string[] = [];
  const origins: LineOrigin[] = [];
  const nested: HelmValues['nested'] = [];
  const emit = (rendered: string, pair: Pair) => {
    const key = pair.key as Node;
    const value = (pair.value as Node | null) ?? null;
    const origin: LineOrigin = {
      keySpan: spanOf(key),
      valueSpan: spanOf(value),
      start: key.range?.[0] ?? 0,
      end: value?.range?.[1] ?? key.range?.[1] ?? 0,
      verbatim: verbatimValue(text, value, keyName(pair)),
    };
    for (const line of rendered.split('\n')) {
      lines.push(line);
      origins.push(origin);
    }
  };
  const toJS = (pair: Pair) => (pair.value === null ? null : (pair.value as Node).toJS(yaml));
  const valuesJS: unknown = values === null ? null : (values as Node).toJS(yaml);
  const pairs = sortedPairs(ini);
  // _config.tpl: first the non-map entries (the default section), then one `[section]` per map entry.
  for (const pair of pairs) if (!isMap(pair.value)) emit(renderEntry(keyName(pair), toJS(pair), valuesJS), pair);
  for (const section of pairs) {
    if (!isMap(section.value)) continue;
    emit(`[${keyName(section)}]`, { ...section, value: null } as Pair);
    for (const pair of sortedPairs(section.value as Node)) {
      if (isMap(pair.value)) nested.push({ section: keyName(section), key: keyName(pair), keySpan: spanOf(pair.key as Node) });
      emit(renderEntry(keyName(pair), toJS(pair), valuesJS), pair);
    }
  }
  const rendered = lines.join('\n');
  const doc = remap(parseIni(rendered, file), text, index, origins);
  const { env, unknownEnv } = readEnv(values, spanOf, yaml);
  return { file, doc, rendered, nested, env, unknownEnv, errors };
}

/** Where a string scalar's value sits verbatim in the values text (plain, or quoted without escapes), for `key = value`. */
function verbatimValue(text: string, node: Node | null, key: string): LineOrigin['verbatim'] {
  // A value `tpl` rendered is not the scalar's text any more.
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range || node.value.includes('{{')) return null;
  const offset = node.range[0] + (node.type === 'PLAIN' ? 0 : 1);
  return text.slice(offset, offset + node.value.length) === node.value
    ? { offset, column: key.length + 4 }
    : null;
}

/** The go-ini result of the rendered text, every position moved to the values line it came from. */
function remap(parsed: IniDocument, text: string, index: LineIndex, origins: readonly LineOrigin[]): IniDocument {
  const fallback = index.span(0, 0);
  const at = (span: Span) => origins[span.line - 1];
  /** A span inside a rendered value: exact when the value is verbatim in the values file, else the whole scalar. */
  const inValue = (span: Span): Span | null => {
    const origin = at(span);
    const v = origin?.verbatim;
    if (!v || span.endLine !== span.line) return origin?.valueSpan ?? null;
    return index.span(v.offset + span.column - v.column, v.offset + span.endColumn - v.column);
  };
  return {
    ...parsed,
    origin: 'helm-values',
    text,
    index,
    bom: false,
    error: parsed.error && { message: parsed.error.message, span: at(parsed.error.span)?.valueSpan ?? at(parsed.error.span)?.keySpan ?? fallback },
    entries: parsed.entries.map((e) => {
      const origin = at(e.keySpan);
      const keySpan = origin?.keySpan ?? fallback;
      const valueSpan = (e.value === '' ? origin?.valueSpan : inValue(e.valueSpan)) ?? keySpan;
      const cutComment = e.cutComment && { text: e.cutComment.text, span: inValue(e.cutComment.span) ?? valueSpan };
      return { ...e, keySpan, valueSpan, start: origin?.start ?? 0, end: origin?.end ?? 0, cutComment };
    }),
    headers: parsed.headers.map((h) => {
      const origin = at(h.span);
      return { ...h, span: origin?.keySpan ?? fallback, start: origin?.start ?? 0, end: origin?.end ?? 0 };
    }),
    comments: [],
  };
}

function readEnv(values: Node | null, spanOf: (n: Node | null | undefined) => Span | null, yaml: ReturnType<typeof parseDocument>) {
  const env: HelmEnvEntry[] = [];
  const unknownEnv: HelmUnknownEnv[] = [];
  if (!isMap(values)) return { env, unknownEnv };
  const section = (name: string) => (values.get(name, true) as Node | undefined) ?? null;
  for (const from of ['env', 'envRenderSecret'] as const) {
    for (const pair of isMap(section(from)) ? (section(from) as { items: Pair[] }).items : []) {
      if (!isScalar(pair.key)) continue;
      const valueNode = (pair.value as Node | null) ?? null;
      const value = valueNode === null ? null : valueNode.toJS(yaml);
      if (value === null) continue; // the chart skips null values
      const keySpan = spanOf(pair.key as Node)!;
      env.push({ name: keyName(pair), value: goPrint(value), from, nameSpan: keySpan, valueSpan: spanOf(valueNode) ?? keySpan });
    }
  }
  const valueFrom = section('envValueFrom');
  if (isMap(valueFrom)) {
    for (const pair of valueFrom.items) {
      const ref = pair.value as Node | null;
      const source = ['secretKeyRef', 'configMapKeyRef'].map((r) => (isMap(ref) ? ref.getIn([r, 'name']) : undefined)).find((n) => n !== undefined);
      unknownEnv.push({ name: keyName(pair), from: 'envValueFrom', source: source === undefined ? null : String(source), span: spanOf(pair.key as Node) });
    }
  }
  const fromSecret = section('envFromSecret');
  if (isScalar(fromSecret) && fromSecret.value) unknownEnv.push({ name: null, from: 'envFromSecret', source: String(fromSecret.value), span: spanOf(fromSecret) });
  for (const from of ['envFromSecrets', 'envFromConfigMaps'] as const) {
    const list = section(from);
    for (const item of isSeq(list) ? list.items : []) {
      const name = isMap(item) ? item.get('name') : undefined;
      unknownEnv.push({ name: null, from, source: name === undefined ? null : String(name), span: spanOf(item as Node) });
    }
  }
  return { env, unknownEnv };
}

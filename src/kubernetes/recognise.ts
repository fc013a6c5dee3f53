// What a file handed to the tool is, when it is not the form the flag expects: a template that must be
// rendered first, a Terraform file, an ini inside a shell heredoc, a fragment. One clear finding for
// it beats a cascade of YAML or ini errors from reading it as something it is not.
import { isMap, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { LineIndex, type Span } from '../core/span.js';
import type { PomeriumModel } from '../pomerium/model-types.js';
import { emptyModel, readPomeriumOptions, YAML_OPTIONS } from '../pomerium/read.js';
import { parseDocumentOnce } from '../pomerium/parse-once.js';

export interface UnreadInput {
  /** Which side the file was meant for. */
  side: 'pomerium' | 'grafana' | 'compose';
  file: string;
  message: string;
  hint: string;
  span: Span | null;
  /** Nothing of the file was read (false: read, with this said about it). */
  whole: boolean;
  /** What was recognised, when the reader may still read it (simple Terraform). */
  kind?: 'terraform';
}

type Side = UnreadInput['side'];

const FLAG: Record<Side, string> = { pomerium: '--pomerium', grafana: '--grafana', compose: '--compose' };

/** `{{ ... }}` at the start of a line (`{{- if }}`, `{{ include }}`) or inside YAML that does not parse is a Go/Helm template. */
const GO_BLOCK = /^[ \t]*\{\{-?\s*(?:if|else|end|range|with|define|include|template|toYaml|\/\*|-)/m;
const GO_ANY = /\{\{-?[^}]*\}\}/;
const JINJA = /\{%-?\s*\w+[^%]*%\}|\{#[^#]*#\}/;
const TERRAFORM = /^\s*(?:resource|data)\s+"(pomerium_\w+)"\s+"[^"]*"\s*\{/m;
const HEREDOC = /<<-?\s*(['"]?)([A-Za-z_][\w]*)\1/;

function spanAt(text: string, file: string, offset: number, length: number): Span {
  return new LineIndex(text, file).span(offset, offset + length);
}

function renderHint(side: Side, kind: 'helm' | 'jinja'): string {
  const flag = FLAG[side];
  return kind === 'helm'
    ? `render it first, e.g. \`helm template RELEASE CHART -f values.yaml | grafana-pomerium doctor ${flag} -\``
    : `render it first (e.g. \`ansible -m template\`, or the tool that fills it), then pass the result: \`... | grafana-pomerium doctor ${flag} -\``;
}

/**
 * Whether `text`, given with the flag for `side`, is a form this tool cannot read as that flag's file;
 * null when it should be read as usual.
 */
export function recogniseUnreadable(text: string, file: string, side: Side): UnreadInput | null {
  // Each pattern needs its opening characters: a substring test spares large configs the regex scans.
  const jinja = text.includes('{%') || text.includes('{#') ? JINJA.exec(text) : null;
  if (jinja) {
    return { side, file, whole: true, span: spanAt(text, file, jinja.index, jinja[0].length), message: `this looks like a Jinja template (${jinja[0].slice(0, 40)}), not a ${what(side)}; it is not read`, hint: renderHint(side, 'jinja') };
  }
  const go = !text.includes('{{') ? null : (GO_BLOCK.exec(text) ?? (GO_ANY.test(text) && !parsesAsYamlOrIni(text, side) ? GO_ANY.exec(text) : null));
  if (go) {
    const at = go.index + (go[0].length - go[0].trimStart().length);
    const shown = (/\{\{[^\n]*?\}\}/.exec(text.slice(at))?.[0] ?? go[0].trim()).slice(0, 60);
    return { side, file, whole: true, span: spanAt(text, file, at, go[0].trim().length), message: `this looks like a Helm/Go template (${shown}), not a ${what(side)}; it is not read`, hint: renderHint(side, 'helm') };
  }
  // Point at the route or settings resource when there is one, else the first Pomerium resource.
  const tf = !text.includes('"pomerium_') ? null : (/^\s*resource\s+"(pomerium_(?:route|settings))"\s+"[^"]*"\s*\{/m.exec(text) ?? TERRAFORM.exec(text));
  if (tf) {
    const at = tf.index + (tf[0].length - tf[0].trimStart().length);
    return {
      side,
      file,
      whole: true,
      kind: 'terraform',
      span: spanAt(text, file, at, tf[0].trim().length),
      message: `this is Terraform (${tf[1]}, Pomerium Zero/Enterprise provider), not a ${what(side)}; it is not read`,
      hint: 'give the route and settings as a Pomerium config.yaml with --pomerium (the same option names: from, to, pass_identity_headers, jwt_claims_headers), or check them in the Zero console',
    };
  }
  return null;
}

function what(side: Side): string {
  return side === 'grafana' ? 'grafana.ini' : side === 'compose' ? 'compose file' : 'Pomerium config';
}

function parsesAsYamlOrIni(text: string, side: Side): boolean {
  if (side === 'grafana') return true; // braces in an ini value are just text to go-ini
  return parseDocumentOnce(text, YAML_OPTIONS).errors.length === 0;
}

/**
 * A grafana.ini written inside a shell heredoc (`cat > grafana.ini <<EOF ... EOF`, a Dockerfile RUN, an
 * entrypoint script): the body, with every other line blanked so lines keep their numbers. Null when
 * the text has no heredoc holding a `[section]`.
 */
export function iniFromHeredoc(text: string): { body: string; startLine: number; marker: string } | null {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = HEREDOC.exec(lines[i]!);
    if (!m || /^\s*[;#]/.test(lines[i]!)) continue;
    const marker = m[2]!;
    const end = lines.findIndex((l, j) => j > i && l.trim() === marker);
    if (end < 0) continue;
    const body = lines.slice(i + 1, end);
    if (!body.some((l) => /^\s*\[[^\]]+\]\s*$/.test(l))) continue;
    const kept = lines.map((l, j) => (j > i && j < end ? l : ''));
    return { body: kept.join('\n'), startLine: i + 2, marker };
  }
  return null;
}

/** A YAML text whose top level is a list of route mappings (a `routes:` value without its key). */
export function isBareRouteList(text: string): boolean {
  const doc = parseDocumentOnce(text, YAML_OPTIONS);
  const root = doc.contents as Node | null;
  return doc.errors.length === 0 && isSeq(root) && root.items.length > 0 && root.items.every((i) => isMap(i) && i.items.some((p) => isScalar(p.key) && p.key.value === 'from'));
}

/** A bare route list read as the `routes:` of a config, positions at its own lines. */
export function readBareRouteList(text: string, file: string): PomeriumModel {
  const model = emptyModel(file);
  const index = new LineIndex(text, file);
  const doc = parseDocumentOnce(text, YAML_OPTIONS);
  const top = new YAMLMap();
  top.items.push(new Pair(new Scalar('routes'), doc.contents));
  const spanOf = (node: Node | null | undefined) => (node?.range ? index.span(node.range[0], node.range[1]) : null);
  return readPomeriumOptions({ doc, spanOf, problems: model.valueProblems }, top, model);
}

/**
 * Terraform for Pomerium (pomerium/terraform-provider-pomerium): `resource "pomerium_route"` blocks become
 * routes and `resource "pomerium_settings"` attributes top-level options, when the HCL is simple: string,
 * bool, number and one-line list values, and `{ k = "v" }` maps. Attributes that refer to something else
 * (`pomerium_policy.x.id`, `var.host`, `"${...}"`) are left out; a `from` or `to` that is not a literal
 * makes the file not simple (null). The route schema's `from`, `to` (a list) and `policies` (policy ids)
 * follow internal/provider/route.go; that the other attributes carry Pomerium's option names is UNCONFIRMED.
 */
export function readSimpleTerraform(text: string, file: string): PomeriumModel | null {
  const index = new LineIndex(text, file);
  const scalar = (value: string | number | boolean, start: number, end: number): Scalar => {
    const s = new Scalar(value);
    s.range = [start, end, end];
    return s;
  };
  /** A literal value at `offset` in `source`, as a node; null for anything that is not simple. */
  const literal = (raw: string, offset: number): Node | null => {
    const trimmed = raw.trim();
    const start = offset + raw.indexOf(trimmed);
    const end = start + trimmed.length;
    const str = /^"((?:[^"\\$]|\\.)*)"$/.exec(trimmed);
    if (str) return scalar(JSON.parse(`"${str[1]!}"`) as string, start, end);
    if (trimmed === 'true' || trimmed === 'false') return scalar(trimmed === 'true', start, end);
    if (/^-?\d+(\.\d+)?$/.test(trimmed)) return scalar(Number(trimmed), start, end);
    const list = /^\[(.*)\]$/.exec(trimmed);
    if (list) {
      const seq = new YAMLSeq();
      let at = start + 1;
      for (const part of list[1]!.split(',')) {
        if (part.trim() !== '') {
          const item = literal(part, at);
          if (!item) return null;
          seq.items.push(item);
        }
        at += part.length + 1;
      }
      seq.range = [start, end, end];
      return seq;
    }
    return null;
  };
  const model = emptyModel(file);
  const top = new YAMLMap();
  const routes = new YAMLSeq();
  const lines = text.split('\n');
  const offsets: number[] = [];
  lines.reduce((at, line) => (offsets.push(at), at + line.length + 1), 0);
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*resource\s+"(pomerium_route|pomerium_settings)"\s+"[^"]*"\s*\{\s*$/.exec(lines[i]!);
    if (!header) continue;
    const block = new YAMLMap();
    let depth = 1;
    for (i++; i < lines.length && depth > 0; i++) {
      // A comment (# or //) ends the line, outside strings ("https://..." keeps its //).
      const line = lines[i]!.replace(/^((?:[^"#/]|"(?:[^"\\]|\\.)*"|\/(?!\/))*)(?:#|\/\/).*$/, '$1').trimEnd();
      if (/^\s*\}\s*$/.test(line)) {
        depth--;
        continue;
      }
      const attr = /^(\s*)([a-z_][a-z0-9_]*)\s*=\s*(.*)$/.exec(line);
      if (!attr || depth > 1) {
        // a nested block: its attributes are not the route's
        if (/\{\s*$/.test(line)) depth++;
        continue;
      }
      const [, indent, name, raw] = attr as unknown as [string, string, string, string];
      const keyStart = offsets[i]! + indent.length;
      const key = scalar(name, keyStart, keyStart + name.length);
      if (raw.trim() === '{') {
        // A map attribute: `k = "v"` / `"k" = "v"` lines up to `}`.
        const map = new YAMLMap();
        for (i++; i < lines.length && !/^\s*\}\s*$/.test(lines[i]!); i++) {
          const entry = /^(\s*)"?([\w.-]+)"?\s*[=:]\s*(.*?),?\s*$/.exec(lines[i]!);
          const value = entry && literal(entry[3]!, offsets[i]! + lines[i]!.indexOf(entry[3]!));
          if (entry && value) map.items.push(new Pair(scalar(entry[2]!, offsets[i]! + entry[1]!.length, offsets[i]! + entry[1]!.length + entry[2]!.length), value));
        }
        block.items.push(new Pair(key, map));
        continue;
      }
      const value = literal(raw, offsets[i]! + line.indexOf(raw, indent.length + name.length));
      if (value) block.items.push(new Pair(key, value));
      else if (header[1] === 'pomerium_route' && (name === 'from' || name === 'to')) return null;
    }
    i--;
    if (header[1] === 'pomerium_settings') top.items.push(...(block.items as Pair[]));
    else routes.items.push(block);
  }
  if (routes.items.length > 0) top.items.push(new Pair(new Scalar('routes'), routes));
  const doc = parseDocument('');
  const spanOf = (node: Node | null | undefined) => (node?.range ? index.span(node.range[0], node.range[1]) : null);
  return readPomeriumOptions({ doc, spanOf, problems: model.valueProblems }, top, model);
}

// What a file handed to the tool is, when it is not the form the flag expects: a template that must be
// rendered first, a Terraform file, an ini inside a shell heredoc, a fragment. One clear finding for
// it beats a cascade of YAML or ini errors from reading it as something it is not.
import { isMap, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, type Node } from 'yaml';
import { LineIndex, type Span } from '../core/span.js';
import type { PomeriumModel } from '../pomerium/model-types.js';
import { emptyModel, readPomeriumOptions, YAML_OPTIONS } from '../pomerium/read.js';

export interface UnreadInput {
  /** Which side the file was meant for. */
  side: 'pomerium' | 'grafana' | 'compose';
  file: string;
  message: string;
  hint: string;
  span: Span | null;
  /** Nothing of the file was read (false: read, with this said about it). */
  whole: boolean;
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
  const jinja = JINJA.exec(text);
  if (jinja) {
    return { side, file, whole: true, span: spanAt(text, file, jinja.index, jinja[0].length), message: `this looks like a Jinja template (${jinja[0].slice(0, 40)}), not a ${what(side)}; it is not read`, hint: renderHint(side, 'jinja') };
  }
  const go = GO_BLOCK.exec(text) ?? (GO_ANY.test(text) && !parsesAsYamlOrIni(text, side) ? GO_ANY.exec(text) : null);
  if (go) {
    const at = go.index + (go[0].length - go[0].trimStart().length);
    const shown = (/\{\{[^\n]*?\}\}/.exec(text.slice(at))?.[0] ?? go[0].trim()).slice(0, 60);
    return { side, file, whole: true, span: spanAt(text, file, at, go[0].trim().length), message: `this looks like a Helm/Go template (${shown}), not a ${what(side)}; it is not read`, hint: renderHint(side, 'helm') };
  }
  const tf = TERRAFORM.exec(text);
  if (tf) {
    const at = tf.index + (tf[0].length - tf[0].trimStart().length);
    return {
      side,
      file,
      whole: true,
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
  return parseDocument(text, YAML_OPTIONS).errors.length === 0;
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
  const doc = parseDocument(text, YAML_OPTIONS);
  const root = doc.contents as Node | null;
  return doc.errors.length === 0 && isSeq(root) && root.items.length > 0 && root.items.every((i) => isMap(i) && i.items.some((p) => isScalar(p.key) && p.key.value === 'from'));
}

/** A bare route list read as the `routes:` of a config, positions at its own lines. */
export function readBareRouteList(text: string, file: string): PomeriumModel {
  const model = emptyModel(file);
  const index = new LineIndex(text, file);
  const doc = parseDocument(text, YAML_OPTIONS);
  const top = new YAMLMap();
  top.items.push(new Pair(new Scalar('routes'), doc.contents));
  const spanOf = (node: Node | null | undefined) => (node?.range ? index.span(node.range[0], node.range[1]) : null);
  return readPomeriumOptions({ doc, spanOf, problems: model.valueProblems }, top, model);
}

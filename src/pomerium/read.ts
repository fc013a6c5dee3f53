// Reads a Pomerium config file (YAML or JSON) the way Pomerium's Viper + mapstructure decoding sees
// it, keeping the position of every value. Total: it never throws; what Pomerium would refuse is
// returned as data (`errors` for syntax, `valueProblems` for values) for doctor to report.
import { isAlias, isMap, isScalar, isSeq, visit, type Alias, type Document, type Node } from 'yaml';
import { lineIndexOf, type Located, type Span } from '../core/span.js';
import type { IssuerFormat, KeyRef, PomeriumModel, PomeriumRoute, WeightedUrl } from './model-types.js';
import { parseDocumentOnce } from './parse-once.js';
import { NOT_PLAIN, plainData } from './plain-data.js';

/** The parse options every reader and editor of Pomerium files uses (JSON is YAML too). */
// logLevel 'error': the yaml package would otherwise print its own warnings on stderr (e.g. for a
// collection used as a map key); problems reach users as findings or one error line, nothing else.
export const YAML_OPTIONS = { merge: true, uniqueKeys: true, prettyErrors: true, logLevel: 'error' } as const;

/** Bounds alias expansion when a value is turned into plain data (an alias bomb stays cheap). */
const MAX_ALIAS_COUNT = 100;
/** Bounds how many scalars a list value may expand to through aliases. */
const MAX_SCALARS = 10_000;
/** Bounds `<<` merges of merges (a cycle would otherwise never end). */
const MAX_MERGE_DEPTH = 8;

/** Where a node's text is. For routes decoded from `ROUTES`/`POLICY`, every node maps to the variable. */
export type SpanOf = (node: Node | null | undefined) => Span | null;

export interface ReadContext {
  doc: Document;
  spanOf: SpanOf;
  problems: { message: string; span: Span | null }[];
}

/** One key of a mapping after `<<` merges; `key` is lowercased because Viper matches keys case-insensitively. */
export interface Entry {
  name: string;
  key: string;
  keySpan: Span | null;
  value: Node | null;
  valueSpan: Span | null;
}

export function emptyModel(file: string | null): PomeriumModel {
  return {
    file,
    errors: [],
    authenticateServiceUrl: null,
    passIdentityHeaders: null,
    jwtClaimsHeaders: null,
    jwtIssuerFormat: null,
    signingKey: null,
    signingKeyFile: null,
    sharedSecret: null,
    sharedSecretFile: null,
    routes: [],
    topLevelKeys: [],
    valueProblems: [],
  };
}

/** The first line of a yaml error, without the "at line L, column C" that the span already says (and the excerpt, which may hold a secret). */
export function yamlErrorMessage(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
}

export function readPomeriumConfig(text: string, file: string): PomeriumModel {
  const model = emptyModel(file);
  const index = lineIndexOf(text, file);
  const spanOf: SpanOf = (node) => (node?.range ? index.span(node.range[0], node.range[1]) : null);
  const doc = parseDocumentOnce(text, YAML_OPTIONS);
  for (const e of doc.errors) model.errors.push({ message: yamlErrorMessage(e.message), span: index.span(e.pos[0], e.pos[1]) });
  const root = doc.contents;
  if (isNull(root)) return model;
  if (!isMap(root)) {
    model.errors.push({ message: 'the top level of a Pomerium config must be a mapping of option names to values', span: spanOf(root) });
    return model;
  }
  return readPomeriumOptions({ doc, spanOf, problems: model.valueProblems }, root, model);
}

/**
 * The options of a config's top-level mapping into `model`. `root` may be built from another file's
 * nodes (the Pomerium Helm chart's values, src/kubernetes/pomerium-chart.ts): spans come from `ctx.spanOf`.
 */
export function readPomeriumOptions(ctx: ReadContext, root: Node, model: PomeriumModel): PomeriumModel {
  const top = entries(ctx, root);
  model.topLevelKeys = top.map(keyRef);
  const get = lookup(top);

  model.authenticateServiceUrl = nonEmpty(looseString(ctx, 'authenticate_service_url', get('authenticate_service_url')));
  model.passIdentityHeaders = looseBool(ctx, 'pass_identity_headers', get('pass_identity_headers'));
  model.jwtClaimsHeaders = claimsHeaders(ctx, get('jwt_claims_headers'));
  model.jwtIssuerFormat = issuerFormat(ctx, get('jwt_issuer_format'));
  const signingKey = nonEmpty(looseString(ctx, 'signing_key', get('signing_key')));
  model.signingKey = signingKey && { kind: 'inline', span: signingKey.span, text: signingKey.value };
  const signingKeyFile = nonEmpty(looseString(ctx, 'signing_key_file', get('signing_key_file')));
  model.signingKeyFile = signingKeyFile && { kind: 'file', span: signingKeyFile.span, path: signingKeyFile.value };
  model.sharedSecret = nonEmpty(looseString(ctx, 'shared_secret', get('shared_secret')));
  model.sharedSecretFile = nonEmpty(looseString(ctx, 'shared_secret_file', get('shared_secret_file')));

  // GetAllPolicies: the legacy `policy` list first, then `routes`.
  const policy = readRoutes(ctx, get('policy'), 'policy', 'file', 0);
  model.routes = [...policy, ...readRoutes(ctx, get('routes'), 'routes', 'file', policy.length)];
  return model;
}

/** Reads a `routes`/`policy` list; `first` is the index of its first route in the merged list. */
export function readRoutes(
  ctx: ReadContext,
  entry: Pick<Entry, 'value' | 'valueSpan'> | undefined,
  list: 'routes' | 'policy',
  origin: 'file' | 'env',
  first: number,
): PomeriumRoute[] {
  const node = resolve(ctx, entry?.value ?? null);
  if (isNull(node)) return [];
  if (!isSeq(node)) {
    problem(ctx, `'${list}' must be a list of routes`, entry?.valueSpan ?? null);
    return [];
  }
  const routes: PomeriumRoute[] = [];
  node.items.forEach((item, i) => {
    const route = resolve(ctx, item as Node | null);
    if (!isMap(route)) {
      problem(ctx, `'${list}[${i}]' must be a mapping of route options`, ctx.spanOf(item as Node | null));
      return;
    }
    routes.push(readRoute(ctx, entries(ctx, route), `${list}[${i}].`, list, origin, first + routes.length, ctx.spanOf(route)));
  });
  return routes;
}

function readRoute(
  ctx: ReadContext,
  all: Entry[],
  path: string,
  list: 'routes' | 'policy',
  origin: 'file' | 'env',
  index: number,
  itemSpan: Span | null,
): PomeriumRoute {
  const get = lookup(all);
  const bool = (key: string) => looseBool(ctx, path + key, get(key));
  const str = (key: string) => looseString(ctx, path + key, get(key));
  return {
    index,
    list,
    origin,
    span: all[0]?.keySpan ?? itemSpan,
    from: str('from'),
    to: weightedUrls(ctx, path + 'to', get('to')),
    prefix: str('prefix'),
    path: str('path'),
    passIdentityHeaders: bool('pass_identity_headers'),
    jwtIssuerFormat: issuerFormat(ctx, get('jwt_issuer_format')),
    preserveHostHeader: bool('preserve_host_header'),
    hostRewrite: str('host_rewrite'),
    hostRewriteHeader: plain(ctx, get('host_rewrite_header')),
    hostPathRegexRewritePattern: nonEmpty(str('host_path_regex_rewrite_pattern')),
    removeRequestHeaders: stringList(ctx, get('remove_request_headers')),
    tlsSkipVerify: bool('tls_skip_verify'),
    allowPublicUnauthenticatedAccess: bool('allow_public_unauthenticated_access'),
    allowAnyAuthenticatedUser: bool('allow_any_authenticated_user'),
    allowedDomains: stringList(ctx, get('allowed_domains')),
    allowedUsers: stringList(ctx, get('allowed_users')),
    policy: plain(ctx, get('policy')),
    keys: all.map(keyRef),
  };
}

// ---- mappings, aliases and merges ----

function resolve(ctx: ReadContext, node: Node | null | undefined): Node | null {
  if (!isAlias(node)) return node ?? null;
  return aliasTargets(ctx.doc).get(node) ?? null;
}

const targetsByDoc = new WeakMap<Document, Map<Alias, Node | undefined>>();

/**
 * What each alias of a document names, as yaml's `Alias.resolve` finds it (the last node anchored with that
 * name before the alias, in `visit` order), in one walk: `Alias.resolve` walks the whole document per alias.
 */
function aliasTargets(doc: Document): Map<Alias, Node | undefined> {
  let targets = targetsByDoc.get(doc);
  if (!targets) {
    const found = new Map<Alias, Node | undefined>();
    const anchored = new Map<string, Node>();
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) found.set(node, anchored.get(node.source));
        else if (node.anchor) anchored.set(node.anchor, node);
      },
    });
    targetsByDoc.set(doc, (targets = found));
  }
  return targets;
}

/** The keys of a mapping as Pomerium sees them: explicit keys, then `<<` merged keys they do not override. */
function entries(ctx: ReadContext, map: Node, depth = 0): Entry[] {
  if (!isMap(map)) return [];
  const own: Entry[] = [];
  const merged: Entry[] = [];
  for (const pair of map.items) {
    const key = pair.key as Node | null;
    const value = resolve(ctx, pair.value as Node | null);
    if (isScalar(key) && typeof key.value === 'symbol') {
      merged.push(...mergeSources(ctx, value, depth));
      continue;
    }
    const name = isScalar(key) ? String(key.value) : '';
    own.push({ name, key: name.toLowerCase(), keySpan: ctx.spanOf(key), value, valueSpan: ctx.spanOf(value) });
  }
  if (merged.length === 0) return own;
  const seen = new Set(own.map((e) => e.key));
  for (const e of merged) {
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    own.push(e);
  }
  return own;
}

function mergeSources(ctx: ReadContext, value: Node | null, depth: number): Entry[] {
  const sources = isSeq(value) ? value.items.map((item) => resolve(ctx, item as Node | null)) : [value];
  if (depth >= MAX_MERGE_DEPTH || sources.some((s) => !isMap(s))) {
    problem(ctx, 'a << merge needs a mapping or a list of mappings', ctx.spanOf(value));
    return [];
  }
  return sources.flatMap((s) => entries(ctx, s!, depth + 1));
}

/** Last definition wins, as when Viper folds keys that differ only in case. (A search: a route has a handful of keys.) */
function lookup(all: Entry[]): (key: string) => Entry | undefined {
  return (key) => {
    for (let i = all.length - 1; i >= 0; i--) if (all[i]!.key === key) return all[i];
    return undefined;
  };
}

function keyRef(e: Entry): KeyRef {
  return { name: e.name, span: e.keySpan, valueSpan: e.valueSpan };
}

function problem(ctx: ReadContext, message: string, span: Span | null): void {
  ctx.problems.push({ message, span });
}

/** YAML `key:` with nothing after it: mapstructure leaves the field unset. */
function isNull(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

function kindOf(node: Node): string {
  return isMap(node) ? 'a mapping' : isSeq(node) ? 'a list' : 'a scalar';
}

// ---- values, decoded with mapstructure's WeaklyTypedInput rules ----

/** Go's strconv.ParseBool. */
function parseStrconvBool(text: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return null;
}

/** mapstructure's weak bool: bools, numbers (non-zero is true), ParseBool strings, "" is false. */
export function weakBool(name: string, raw: unknown): { value: boolean } | { problem: string } {
  if (typeof raw === 'boolean') return { value: raw };
  if (typeof raw === 'number' || typeof raw === 'bigint') return { value: Number(raw) !== 0 };
  if (typeof raw === 'string') {
    const b = raw === '' ? false : parseStrconvBool(raw);
    if (b !== null) return { value: b };
    return { problem: `cannot parse '${name}' as bool: strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax` };
  }
  return { problem: `'${name}' expected a bool` };
}

function looseBool(ctx: ReadContext, name: string, entry: Entry | undefined): Located<boolean> | null {
  const node = entry?.value ?? null;
  if (isNull(node)) return null;
  const span = entry!.valueSpan;
  const result = weakBool(name, isScalar(node) ? node.value : undefined);
  if ('problem' in result) {
    problem(ctx, isScalar(node) ? result.problem : `'${name}' expected a bool, got ${kindOf(node!)}`, span);
    return null;
  }
  return { value: result.value, span };
}

/** A scalar as mapstructure's weak string decoding sees it (bools become "1"/"0"). */
function scalarText(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

function looseString(ctx: ReadContext, name: string, entry: Entry | undefined): Located<string> | null {
  const node = entry?.value ?? null;
  if (isNull(node)) return null;
  if (!isScalar(node)) {
    problem(ctx, `'${name}' expected a string, got ${kindOf(node!)}`, entry!.valueSpan);
    return null;
  }
  return { value: scalarText(node.value), span: entry!.valueSpan };
}

/** Unset when empty: Pomerium treats "" like a missing option for these keys. */
function nonEmpty(v: Located<string> | null): Located<string> | null {
  return v && v.value !== '' ? v : null;
}

/**
 * The scalars in a value, lists and mappings flattened (values only), as Pomerium's StringSlice reads them.
 * `open` holds the collections being read: an alias inside the collection it names adds nothing more.
 */
function scalarsIn(ctx: ReadContext, node: Node | null, out: Node[] = [], open = new Set<Node>()): Node[] {
  const n = resolve(ctx, node);
  if (n === null || out.length >= MAX_SCALARS || open.has(n)) return out;
  if (isScalar(n)) {
    if (n.value !== null) out.push(n);
    return out;
  }
  open.add(n);
  if (isSeq(n)) {
    for (const item of n.items) scalarsIn(ctx, item as Node | null, out, open);
  } else if (isMap(n)) {
    for (const pair of n.items) scalarsIn(ctx, pair.value as Node | null, out, open);
  }
  open.delete(n);
  return out;
}

function stringList(ctx: ReadContext, entry: Entry | undefined): Located<string[]> | null {
  if (isNull(entry?.value ?? null)) return null;
  return { value: scalarsIn(ctx, entry!.value).map((n) => scalarText((n as { value: unknown }).value)), span: entry!.valueSpan };
}

/** Plain data for values the model keeps as written (PPL `policy`, `host_rewrite_header`). */
function plain(ctx: ReadContext, entry: Entry | undefined): Located<unknown> | null {
  if (isNull(entry?.value ?? null)) return null;
  try {
    const value = plainData(entry!.value);
    return { value: value !== NOT_PLAIN ? value : entry!.value!.toJS(ctx.doc, { maxAliasCount: MAX_ALIAS_COUNT }), span: entry!.valueSpan };
  } catch (err) {
    problem(ctx, `'${entry!.name}': ${(err as Error).message}`, entry!.valueSpan);
    return null;
  }
}

/** `URL[,WEIGHT]`: the weight is the uint32 after the first comma (Pomerium's weightedString). */
function parseWeightedUrl(text: string): { value: WeightedUrl; problem?: string } {
  const comma = text.indexOf(',');
  if (comma < 0) return { value: { url: text, weight: null } };
  const url = text.slice(0, comma);
  const digits = text.slice(comma + 1);
  const weight = /^\d+$/.test(digits) ? Number(digits) : NaN;
  if (Number.isNaN(weight)) return { value: { url, weight: null }, problem: `strconv.ParseUint: parsing ${JSON.stringify(digits)}: invalid syntax` };
  if (weight > 0xffffffff) return { value: { url, weight: null }, problem: `strconv.ParseUint: parsing ${JSON.stringify(digits)}: value out of range` };
  if (weight === 0) return { value: { url, weight: null }, problem: 'zero load balancing weight not permitted' };
  return { value: { url, weight } };
}

function weightedUrls(ctx: ReadContext, name: string, entry: Entry | undefined): Located<WeightedUrl[]> | null {
  if (isNull(entry?.value ?? null)) return null;
  const urls = scalarsIn(ctx, entry!.value).map((node) => {
    const parsed = parseWeightedUrl(scalarText((node as { value: unknown }).value));
    if (parsed.problem) problem(ctx, `'${name}': ${parsed.problem}`, ctx.spanOf(node));
    return parsed.value;
  });
  const weighted = urls.filter((u) => u.weight !== null).length;
  if (weighted > 0 && weighted < urls.length) {
    problem(ctx, `'${name}': either no weights should be provided, or all endpoints must have non-zero weight specified`, entry!.valueSpan);
  }
  return { value: urls, span: entry!.valueSpan };
}

/** `hostOnly`/`uri`, case-insensitive, the proto names too; "" is hostOnly (Pomerium's enum decode hook). */
export function parseIssuerFormat(text: string): IssuerFormat | null {
  const t = text.toLowerCase();
  if (t === '' || t === 'hostonly' || t === 'issuerhostonly') return 'hostOnly';
  if (t === 'uri' || t === 'issueruri') return 'uri';
  return null;
}

function issuerFormat(ctx: ReadContext, entry: Entry | undefined): Located<IssuerFormat> | null {
  const node = entry?.value ?? null;
  if (isNull(node)) return null;
  const text = isScalar(node) ? scalarText(node.value) : null;
  const format = text === null ? null : parseIssuerFormat(text);
  if (format === null) {
    problem(ctx, `unsupported enum value ${text ?? kindOf(node!)} for IssuerFormat`, entry!.valueSpan);
    return null;
  }
  return { value: format, span: entry!.valueSpan };
}

/** The header Pomerium uses for a claim given in list or string form (no `_` to `-` conversion). */
function claimHeaderName(claim: string): string {
  return `x-pomerium-claim-${claim}`;
}

/** The string form of `jwt_claims_headers` (and `JWT_CLAIMS_HEADERS`): claims split on commas and spaces. */
export function claimsHeadersFromString(text: string): Record<string, string> {
  return claimsHeadersFromList(text.split(/[,\s]+/).filter((c) => c !== ''));
}

function claimsHeadersFromList(claims: string[]): Record<string, string> {
  return Object.fromEntries(claims.map((c) => [claimHeaderName(c), c]));
}

function claimsHeaders(ctx: ReadContext, entry: Entry | undefined): Located<Record<string, string>> | null {
  const node = entry?.value ?? null;
  if (isNull(node)) return null;
  const span = entry!.valueSpan;
  if (isMap(node)) {
    // Viper lowercases map keys, so the header names come out lowercase (harmless for HTTP).
    const map: Record<string, string> = {};
    for (const e of entries(ctx, node)) {
      if (isScalar(e.value) && e.value.value !== null) map[e.key] = scalarText(e.value.value);
      else problem(ctx, `'jwt_claims_headers.${e.name}' expected a claim name`, e.valueSpan ?? e.keySpan);
    }
    return { value: map, span };
  }
  if (isSeq(node)) return { value: claimsHeadersFromList(scalarsIn(ctx, node).map((n) => String((n as { value: unknown }).value))), span };
  if (isScalar(node) && typeof node.value === 'string') return { value: claimsHeadersFromString(node.value), span };
  problem(ctx, `JWTClaimHeaders must be an object or an array of values, got: ${isScalar(node) ? String(node.value) : kindOf(node!)}`, span);
  return null;
}

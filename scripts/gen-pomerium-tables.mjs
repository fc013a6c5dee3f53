#!/usr/bin/env node
// Generates doctor's Pomerium option tables from each covered release's source, read from bare git
// mirrors with `git show TAG:path` (nothing is checked out, nothing is downloaded):
//
//   pomerium/pomerium            config/options.go, config/policy.go and the structs they squash
//                                (mapstructure tags), config/options_check.go (removed and fatal,
//                                ignored paths), config/custom.go (routes read as Envoy Clusters), go.mod
//   envoyproxy/go-control-plane  envoy/config/cluster/v3/cluster.pb.go at the version the release's go.mod
//                                names (the route keys Pomerium reads as Envoy Cluster fields, up to v0.31)
//   pomerium/ingress-controller  pomerium/ingress_annotations.go and model/*.go (annotations),
//                                apis/ingress/v1/pomerium_types.go (the Pomerium CRD's spec fields)
//
// Only facts (names, versions, commits) are written; no Pomerium code is copied. The output is sorted
// and carries no dates, so a rerun gives the same bytes. To cover a new release, add its tags to
// RELEASES / CONTROLLER_RELEASES below and run:  node scripts/gen-pomerium-tables.mjs [outDir]
//
// Mirrors: $POMERIUM_MIRROR, $INGRESS_CONTROLLER_MIRROR, $GO_CONTROL_PLANE_MIRROR, or /work/.mirror/...
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The newest patch of each minor release the tool's version rules care about (oldest first). */
export const RELEASES = ['v0.27.2', 'v0.28.0', 'v0.29.6', 'v0.30.8', 'v0.31.3', 'v0.32.9', 'v0.33.1'];
export const CONTROLLER_RELEASES = ['v0.27.2', 'v0.28.0', 'v0.29.4', 'v0.30.2', 'v0.31.3', 'v0.32.9', 'v0.33.1'];

/**
 * Renames no source file states as data, each with where it is stated. Everything else is read from source.
 * Checked: `lb_policy` is a field of envoy.config.cluster.v3.Cluster (read under routes up to v0.31) and
 * not a Pomerium key from v0.32.0, whose `load_balancing_policy` replaces it.
 */
const RENAMED = [
  { key: 'lb_policy', scope: 'route', to: 'load_balancing_policy', since: 'v0.32.0', source: 'pomerium/pomerium commit 53780aa9a "core/config: remove envoy options (#6021)": "lb_policy was renamed to load_balancing_policy"' },
];

export const MIRRORS = {
  pomerium: process.env.POMERIUM_MIRROR ?? '/work/.mirror/pomerium+pomerium/repo',
  controller: process.env.INGRESS_CONTROLLER_MIRROR ?? '/work/.mirror/pomerium+ingress-controller/repo',
  envoy: process.env.GO_CONTROL_PLANE_MIRROR ?? '/work/.mirror/envoyproxy+go-control-plane/repo',
};

/** Why the generator cannot run here, or null when every mirror and tag it needs is present. */
export function missingSources() {
  for (const [name, dir] of Object.entries(MIRRORS)) {
    if (!existsSync(dir)) return `the ${name} mirror is absent (${dir})`;
  }
  for (const tag of RELEASES) if (!hasRef(MIRRORS.pomerium, tag)) return `pomerium/pomerium has no tag ${tag}`;
  for (const tag of CONTROLLER_RELEASES) if (!hasRef(MIRRORS.controller, tag)) return `pomerium/ingress-controller has no tag ${tag}`;
  return null;
}

function hasRef(dir, ref) {
  try {
    git(dir, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
    return true;
  } catch {
    return false;
  }
}

function git(dir, ...args) {
  return execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

const shown = new Map();
function show(dir, tag, path) {
  const id = `${dir}\0${tag}:${path}`;
  if (!shown.has(id)) shown.set(id, git(dir, 'show', `${tag}:${path}`));
  return shown.get(id);
}
const commitOf = (dir, tag) => git(dir, 'rev-parse', `${tag}^{commit}`).trim();
const filesIn = (dir, tag, folder) => // .go files of one folder, tests left out

  git(dir, 'ls-tree', '--name-only', `${tag}:${folder}`)
    .split('\n')
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .map((f) => `${folder}/${f}`);

// ---- Go source reading (just enough for struct tags, string constants and string lists) ----

/** The body lines of `type NAME struct {` in `text`, or null. Fields of nested anonymous structs are left out. */
function structBody(text, name) {
  const start = text.search(new RegExp(`^type ${name} struct \\{`, 'm'));
  if (start < 0) return null;
  const lines = text.slice(start).split('\n').slice(1);
  const body = [];
  let depth = 1;
  for (const raw of lines) {
    const line = raw.replace(/\/\/.*$/, '');
    if (depth === 1 && line.trim() !== '' && line.trim() !== '}') body.push(line);
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0) break;
  }
  return body;
}

/** `{ names, type, tag }` of each field line of a struct body (embedded fields have the type as name). */
function fields(body) {
  const out = [];
  for (const line of body) {
    const m = /^\s*([A-Za-z_][\w]*(?:\s*,\s*[A-Za-z_]\w*)*)?\s*([^`]*?)\s*(?:`([^`]*)`)?\s*$/.exec(line);
    if (!m) continue;
    let names = m[1] ? m[1].split(',').map((s) => s.trim()) : [];
    let type = m[2].trim();
    if (names.length === 1 && type === '') {
      // embedded: `Name` or `pkg.Name` or `*Name`
      type = names[0];
      names = [];
    } else if (names.length === 0 && /^\*?[\w.]+$/.test(type)) {
      names = [];
    } else if (type.endsWith('struct {') || type.endsWith('{')) {
      type = 'struct';
    }
    out.push({ names, type, tag: m[3] ?? '' });
  }
  return out;
}

function tagValue(tag, key) {
  const m = new RegExp(`(?:^|\\s)${key}:"([^"]*)"`).exec(tag);
  return m ? m[1] : undefined;
}

const structIndexes = new Map();
/** `folder\0Name` -> files declaring `type Name struct {` at one tag (one git grep per tag). */
function structIndex(tag) {
  if (!structIndexes.has(tag)) {
    const index = new Map();
    const out = git(MIRRORS.pomerium, 'grep', '-E', '^type [A-Za-z_0-9]+ struct \\{', tag, '--', 'config', 'pkg', 'internal');
    for (const line of out.split('\n')) {
      const m = /^[^:]+:(.+)\/([^/]+\.go):type (\w+) struct/.exec(line);
      if (!m || m[2].endsWith('_test.go')) continue;
      const id = `${m[1]}\0${m[3]}`;
      index.set(id, [...(index.get(id) ?? []), `${m[1]}/${m[2]}`]);
    }
    structIndexes.set(tag, index);
  }
  return structIndexes.get(tag);
}

/** The struct `name` (maybe `pkg.Name`) as seen from `folder`: its folder and body. */
function findStruct(tag, folder, typeName, importsText) {
  let dir = folder;
  let name = typeName.replace(/^\*/, '');
  if (name.includes('.')) {
    const [pkg, local] = name.split('.');
    const imp = new RegExp(`"github\\.com/pomerium/pomerium/([\\w/]*\\b${pkg})"`).exec(importsText);
    if (!imp) throw new Error(`${tag}: cannot resolve package ${pkg} of ${typeName} from ${folder}`);
    dir = imp[1];
    name = local;
  }
  const candidates = structIndex(tag).get(`${dir}\0${name}`) ?? [];
  for (const file of candidates) {
    const text = show(MIRRORS.pomerium, tag, file);
    const body = structBody(text, name);
    if (body) return { dir, body, text };
  }
  throw new Error(`${tag}: struct ${typeName} not found under ${dir}`);
}

/**
 * The keys mapstructure accepts for the struct: tag names, squashed structs flattened in, and untagged
 * exported fields by their Go name (mapstructure matches names case-insensitively; Viper lowercases keys).
 */
function mapstructureKeys(tag, folder, typeName, importsText = '') {
  const { dir, body, text } = findStruct(tag, folder, typeName, importsText);
  const keys = new Set();
  for (const f of fields(body)) {
    const ms = tagValue(f.tag, 'mapstructure');
    const [name, ...opts] = (ms ?? '').split(',');
    if (opts.includes('remain')) throw new Error(`${tag}: ${typeName} has a ,remain field: every key would be known`);
    if (ms === '-') continue;
    if (opts.includes('squash')) {
      for (const k of mapstructureKeys(tag, dir, f.type, text)) keys.add(k);
      continue;
    }
    const goNames = f.names.length > 0 ? f.names : [f.type.replace(/^\*/, '').split('.').pop()];
    for (const goName of goNames) {
      if (!/^[A-Z]/.test(goName)) continue; // unexported: mapstructure cannot set it
      keys.add((name || goName).toLowerCase());
    }
  }
  return [...keys];
}

/** Go string constants `Name = "value"` in the given files. */
function stringConstants(texts) {
  const out = new Map();
  for (const text of texts) for (const m of text.matchAll(/^\s*(\w+)\s*(?:string\s*)?=\s*"([^"]*)"/gm)) out.set(m[1], m[2]);
  return out;
}

/** The `"key": "value"` pairs of the Go map literal `name = map[string]string{ ... }`. */
function stringMapLiteral(text, name) {
  const start = text.search(new RegExp(`\\b${name}\\s*=\\s*map\\[string\\]string\\{`));
  if (start < 0) return null;
  const body = text.slice(start, text.indexOf('\n\t}', start));
  return [...body.matchAll(/"([^"]+)"\s*:\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]);
}

/** The keys of `name = map[string]struct{}{ "a": {}, ... }`. */
function setLiteral(text, name) {
  const start = text.search(new RegExp(`\\b${name}\\s*=\\s*map\\[string\\]struct\\{\\}\\{`));
  if (start < 0) return [];
  const body = text.slice(start, text.indexOf('\n\t}', start));
  return [...body.matchAll(/"([^"]+)"\s*:/g)].map((m) => m[1]);
}

// ---- Envoy Cluster fields (routes read as Envoy Clusters up to v0.31) ----

function envoyClusterFields(tag) {
  const custom = show(MIRRORS.pomerium, tag, 'config/custom.go');
  if (!custom.includes('parseEnvoyClusterOpts(')) return null;
  const gomod = show(MIRRORS.pomerium, tag, 'go.mod');
  const m = /github\.com\/envoyproxy\/go-control-plane(\/envoy)? (v[\d.]+)/.exec(gomod);
  if (!m) throw new Error(`${tag}: go.mod names no go-control-plane`);
  const envoyTag = m[1] ? `envoy/${m[2]}` : m[2];
  const path = 'envoy/config/cluster/v3/cluster.pb.go';
  const text = show(MIRRORS.envoy, envoyTag, path);
  const body = structBody(text, 'Cluster');
  const names = new Set();
  const oneofs = [];
  for (const f of fields(body)) {
    const pb = tagValue(f.tag, 'protobuf');
    const name = pb && /(?:^|,)name=(\w+)/.exec(pb);
    if (name) names.add(name[1]);
    if (tagValue(f.tag, 'protobuf_oneof')) oneofs.push(f.type);
  }
  // A oneof's members are wrapper structs, each marked by a method named after the oneof's interface.
  for (const iface of oneofs) {
    for (const w of text.matchAll(new RegExp(`^func \\(\\*(\\w+)\\) ${iface}\\(\\) \\{\\}`, 'gm'))) {
      for (const f of fields(structBody(text, w[1]))) {
        const name = /(?:^|,)name=(\w+)/.exec(tagValue(f.tag, 'protobuf') ?? '');
        if (name) names.add(name[1]);
      }
    }
  }
  return {
    source: { repository: 'envoyproxy/go-control-plane', tag: envoyTag, commit: commitOf(MIRRORS.envoy, envoyTag), path },
    // From v0.28.0 options_check.go stops logging them as unknown; before, they were applied and logged.
    loggedAsUnknown: !show(MIRRORS.pomerium, tag, 'config/options_check.go').includes('clusterv3.Cluster'),
    names: [...names].sort(),
  };
}

// ---- one Pomerium release ----

function pomeriumRelease(tag) {
  const check = show(MIRRORS.pomerium, tag, 'config/options_check.go');
  const removed = stringMapLiteral(check, 'removedConfigFields');
  if (!removed) throw new Error(`${tag}: no removedConfigFields in config/options_check.go`);
  const options = show(MIRRORS.pomerium, tag, 'config/options.go');
  const refused = [...options.matchAll(/if o\.(\w+) != "" \{\s*return errors\.New\("(config: [^"]*deprecated[^"]*)"\)/g)];
  return {
    release: tag,
    commit: commitOf(MIRRORS.pomerium, tag),
    topLevel: mapstructureKeys(tag, 'config', 'Options').sort(),
    route: mapstructureKeys(tag, 'config', 'Policy').sort(),
    routeEnvoyClusterFields: envoyClusterFields(tag),
    // Paths as Pomerium matches them: `[n]` dropped, so `routes.x` is fatal under routes only.
    removedFatal: removed.map(([path, docs]) => ({ path, docs })).sort((a, b) => cmp(a.path, b.path)),
    notReportedPaths: setLiteral(check, 'ignoreConfigFields').sort(),
    refusedByValidate: refused
      .map((m) => ({ field: m[1], error: m[2] }))
      .map(({ field, error }) => ({ key: keyOfField(tag, field), error }))
      .filter((r) => r.key)
      .sort((a, b) => cmp(a.key, b.key)),
  };
}

/** The mapstructure key of Options' Go field `field` (e.g. PolicyFile -> policy_file). */
function keyOfField(tag, field) {
  const text = show(MIRRORS.pomerium, tag, 'config/options.go');
  const m = new RegExp(`^\\s*${field}\\s+[^\`]*\`[^\`]*mapstructure:"([^",]*)`, 'm').exec(text);
  return m ? m[1] : null;
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

const blobTexts = new Map();
function blobText(id) {
  if (!blobTexts.has(id)) blobTexts.set(id, git(MIRRORS.pomerium, 'cat-file', 'blob', id));
  return blobTexts.get(id);
}

const tagLists = new Map();
/** Release tags `vX.Y.Z` (no pre-releases) of a mirror, oldest first. */
function releaseTags(dir) {
  if (!tagLists.has(dir)) tagLists.set(dir, sortedReleaseTags(dir));
  return tagLists.get(dir);
}

function sortedReleaseTags(dir) {
  const parse = (t) => t.slice(1).split('.').map(Number);
  return git(dir, 'tag', '--list', 'v*')
    .split('\n')
    .filter((t) => /^v\d+\.\d+\.\d+$/.test(t))
    .sort((a, b) => {
      const [x, y] = [parse(a), parse(b)];
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
    });
}

const newerThan = (tags, after, upTo) => tags.slice(tags.indexOf(after) + 1, tags.indexOf(upTo) + 1);

/** The first release tag (from v0.20.0, when the check came) whose options_check.go makes each fatal path fatal. */
function fatalSince(paths) {
  const tags = releaseTags(MIRRORS.pomerium);
  const newest = RELEASES[RELEASES.length - 1];
  const span = tags.slice(tags.indexOf('v0.20.0'), tags.indexOf(newest) + 1);
  // One call for every tag's blob id; the file changed in few of them.
  const blobs = git(MIRRORS.pomerium, 'rev-parse', ...span.map((t) => `${t}:config/options_check.go`)).trim().split('\n');
  const out = {};
  const pending = new Set(paths);
  span.forEach((tag, i) => {
    const map = stringMapLiteral(blobText(blobs[i]), 'removedConfigFields') ?? [];
    for (const [path] of map) if (pending.delete(path)) out[path] = tag;
  });
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => cmp(a, b)));
}

/** Keys a release knew that the next one does not and does not refuse: logged as unknown and ignored. */
function removedAndIgnored(releases) {
  const out = [];
  for (let i = 1; i < releases.length; i++) {
    const [before, after] = [releases[i - 1], releases[i]];
    const fatal = new Set(after.removedFatal.map((r) => r.path));
    const gone = [];
    const routeKnown = (r) => new Set([...r.route, ...(r.routeEnvoyClusterFields?.names ?? [])]);
    const beforeRoute = routeKnown(before);
    const afterRoute = routeKnown(after);
    for (const key of before.topLevel) {
      if (!after.topLevel.includes(key) && !fatal.has(key)) gone.push({ key, scope: 'top', lastIn: before.release, goneIn: after.release });
    }
    for (const key of beforeRoute) {
      if (!afterRoute.has(key) && !fatal.has(`routes.${key}`)) gone.push({ key, scope: 'route', lastIn: before.release, goneIn: after.release });
    }
    // The first tag after `before` without the key: patches in between are read too.
    const tags = newerThan(releaseTags(MIRRORS.pomerium), before.release, after.release);
    let pending = gone;
    for (const tag of tags) {
      if (pending.length === 0) break;
      const top = new Set(mapstructureKeys(tag, 'config', 'Options'));
      const route = new Set([...mapstructureKeys(tag, 'config', 'Policy'), ...(envoyClusterFields(tag)?.names ?? [])]);
      const still = [];
      for (const g of pending) {
        if ((g.scope === 'top' ? top : route).has(g.key)) still.push(g);
        else out.push({ ...g, goneIn: tag });
      }
      pending = still;
    }
  }
  return out.sort((a, b) => cmp(a.scope, b.scope) || cmp(a.key, b.key) || cmp(a.goneIn, b.goneIn));
}

// ---- one ingress-controller release ----

function controllerRelease(tag) {
  const dir = MIRRORS.controller;
  const text = show(dir, tag, 'pomerium/ingress_annotations.go');
  const constants = stringConstants(filesIn(dir, tag, 'model').map((f) => show(dir, tag, f)));
  const groups = {};
  for (const m of text.matchAll(/^\t(\w+)\s*=\s*boolMap\(\[\]string\{([^}]*)\}\)/gm)) {
    groups[m[1]] = [...m[2].matchAll(/"([^"]+)"|model\.(\w+)/g)]
      .map((x) => {
        if (x[1]) return x[1];
        const value = constants.get(x[2]);
        if (value === undefined) throw new Error(`${tag}: model.${x[2]} is not a string constant`);
        return value;
      })
      .sort();
  }
  // Only the lists removeKeyPrefix checks an annotation against (`{baseAnnotations, kv.Base}`, ...) make it known.
  const checked = new Set([...text.matchAll(/\{(\w+), kv\.\w+\}/g)].map((m) => m[1]));
  if (checked.size === 0) throw new Error(`${tag}: no annotation lists checked in removeKeyPrefix`);
  for (const name of Object.keys(groups)) if (!checked.has(name)) delete groups[name];
  const unsupported = stringMapLiteral(text, 'unsupported') ?? [];
  return {
    release: tag,
    commit: commitOf(dir, tag),
    annotations: Object.fromEntries(Object.entries(groups).sort(([a], [b]) => cmp(a, b))),
    unsupported: unsupported.map(([name, docs]) => ({ name, docs })).sort((a, b) => cmp(a.name, b.name)),
    crdSpecFields: crdFields(tag),
  };
}

/** The Pomerium CRD's spec fields as dotted JSON paths (`authenticate.url`), nested structs followed. */
function crdFields(tag) {
  const text = show(MIRRORS.controller, tag, 'apis/ingress/v1/pomerium_types.go');
  const out = [];
  const walk = (typeName, prefix, seen) => {
    const body = structBody(text, typeName);
    if (!body || seen.has(typeName)) return;
    for (const f of fields(body)) {
      const json = tagValue(f.tag, 'json');
      if (json === undefined || json.startsWith('-')) continue;
      const [name, ...opts] = json.split(',');
      const inner = f.type.replace(/^[*[\]]+|^map\[\w+\]/g, '').replace(/^\*/, '');
      if (opts.includes('inline') || name === '') {
        walk(inner, prefix, new Set([...seen, typeName]));
        continue;
      }
      out.push(prefix + name);
      walk(inner, `${prefix}${name}.`, new Set([...seen, typeName]));
    }
  };
  walk('PomeriumSpec', '', new Set());
  return [...new Set(out)].sort();
}

// ---- output ----

/** JSON with two-space indent, but lists of names on one line each: one release's list is one line. */
function stringify(value, indent = '') {
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return JSON.stringify(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((v) => inner + stringify(v, inner))
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringify(v, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return items.length === 0 ? `${open}${close}` : `${open}\n${items.join(',\n')}\n${indent}${close}`;
}

function header(what) {
  return [
    '// GENERATED by scripts/gen-pomerium-tables.mjs from the release source named in each table. Do not edit:',
    `// add a release to the script and rerun it. ${what}`,
    '',
  ].join('\n');
}

export function generate() {
  const releases = RELEASES.map(pomeriumRelease);
  const options = {
    sources: { repository: 'pomerium/pomerium', files: ['config/options.go', 'config/policy.go', 'config/options_check.go', 'config/custom.go', 'go.mod'] },
    releases,
    fatalSince: fatalSince([...new Set(releases.flatMap((r) => r.removedFatal.map((f) => f.path)))]),
    removedAndIgnored: removedAndIgnored(releases),
    renamed: RENAMED,
  };
  const controller = {
    sources: { repository: 'pomerium/ingress-controller', files: ['pomerium/ingress_annotations.go', 'model/*.go', 'apis/ingress/v1/pomerium_types.go'] },
    releases: CONTROLLER_RELEASES.map(controllerRelease),
  };
  return {
    'pomerium-options.ts':
      header('Facts only (option names, versions, commits).') +
      "import type { PomeriumOptionData } from '../option-tables-types.js';\n\n" +
      `export const POMERIUM_OPTION_DATA: PomeriumOptionData = ${stringify(options)};\n`,
    'ingress-controller.ts':
      header('Facts only (annotation and field names, versions, commits).') +
      "import type { IngressControllerData } from '../option-tables-types.js';\n\n" +
      `export const INGRESS_CONTROLLER_DATA: IngressControllerData = ${stringify(controller)};\n`,
  };
}

export function writeTo(outDir) {
  mkdirSync(outDir, { recursive: true });
  const files = generate();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(outDir, name), text);
  return Object.keys(files);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const missing = missingSources();
  if (missing) {
    process.stderr.write(`gen-pomerium-tables: cannot run: ${missing}\n`);
    process.exit(2);
  }
  const outDir = process.argv[2] ?? new URL('../src/pomerium/generated/', import.meta.url).pathname;
  for (const f of writeTo(outDir)) process.stdout.write(`wrote ${join(outDir, f)}\n`);
}

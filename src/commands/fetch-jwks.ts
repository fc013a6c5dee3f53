// `grafana-pomerium fetch-jwks`: get Pomerium's JWKS into a local file for Grafana's `jwk_set_file`,
// over HTTPS (with a sidecar cache) or offline from the configured signing key; or, with --check,
// say whether the local file still matches its source.
import type { LookupFunction } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { escapeControlsInLine, jsonText, redactUrl } from '../core/sanitize.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import {
  ageMs,
  conditionalHeaders,
  diffKeys,
  metaPathFor,
  parseMeta,
  serializeMeta,
  setsDiffer,
  sha256Hex,
  usableMeta,
  type KeyChange,
} from '../jwks/cache.js';
import { fetchJwks } from '../jwks/fetch.js';
import { importCheck, validateJwksText } from '../jwks/validate.js';
import type { JwksProblem, PublicJwk } from '../jwks/types.js';
import type { PomeriumModel } from '../pomerium/model-types.js';
import { jwksUrlFor } from '../pomerium/jwt.js';
import { findGrafanaRoute } from '../pomerium/routes.js';
import { readInput, versionOption } from './inputs.js';
import { loadGrafana, loadPomerium, signingKeysOf } from './load.js';

/** What tests tune: the first retry delay, and name resolution kept on 127.0.0.1. */
export interface NetworkTuning {
  retryDelayMs: number;
  lookup?: LookupFunction;
}

const DEFAULT_TUNING: NetworkTuning = { retryDelayMs: 500 };

interface Flags {
  url?: string;
  pomerium?: string;
  compose?: string;
  route?: string;
  envFile?: string;
  useEnv?: boolean;
  grafana?: string;
  grafanaValues?: string;
  fromSigningKey?: boolean;
  pomeriumVersion?: string;
  output?: string;
  caFile?: string;
  insecure?: boolean;
  allowHttp?: boolean;
  timeout?: string;
  retries?: string;
  maxAge?: string;
  check?: boolean;
  json?: boolean;
  allowPrivate?: boolean;
}

/** Where the keys come from: a URL, or a set already in hand (derived from the signing key). */
type Source = { kind: 'url'; url: string; label: string } | { kind: 'derived'; text: string; label: string };

type Outcome = 'written' | 'unchanged' | 'not-modified' | 'fresh' | 'match' | 'differs' | 'missing' | 'invalid' | 'stale';

interface Report {
  outcome: Outcome;
  output: string;
  source: string;
  keys: KeyChange[];
  problems: string[];
}

export async function run(_args: string[], options: Record<string, unknown>, io: Io, tuning = DEFAULT_TUNING): Promise<number> {
  const flags = options as Flags;
  checkFlagCombination(flags);
  // Files are read and written at `path`; people are told about `output`, the path as they gave it.
  const output = flags.output ?? 'jwks.json';
  const path = resolve(io.cwd, output);
  const maxAgeMs = flags.maxAge === undefined ? null : parseDuration(flags.maxAge, '--max-age');
  if (flags.insecure) {
    io.err('warning: --insecure: the server certificate is NOT verified; anyone on the network path can hand Grafana forged signing keys\n');
  }
  const source = await resolveSource(flags, io);
  const local = await readLocal(path);
  const fetchOnce = (conditional: Record<string, string>) => fetchSource(source, flags, io, tuning, conditional);
  const report = flags.check
    ? await check(source, { path, output }, local, maxAgeMs, io.now(), fetchOnce)
    : await update(source, { path, output }, local, maxAgeMs, io.now(), fetchOnce);
  io.out(flags.json ? `${jsonText(report, 2)}\n` : humanReport(report));
  return ['differs', 'missing', 'invalid', 'stale'].includes(report.outcome) ? 1 : 0;
}

function checkFlagCombination(flags: Flags): void {
  const pomerium = flags.pomerium || flags.compose;
  const grafana = flags.grafana || flags.grafanaValues;
  const sources = [flags.url && '--url', flags.pomerium && '--pomerium', flags.compose && '--compose', flags.grafana && '--grafana', flags.grafanaValues && '--grafana-values'].filter(Boolean);
  const usage = 'give one of --url URL, --pomerium FILE (or --compose FILE) or --grafana FILE (or --grafana-values FILE)';
  // --pomerium with --compose is one Pomerium setup (a config plus the service's environment).
  if (sources.length === 0 || [flags.url, pomerium, grafana].filter(Boolean).length > 1) {
    throw new UserError(sources.length === 0 ? 'no source for the keys' : `${sources.join(' and ')} cannot be combined`, { hint: usage });
  }
  if (flags.fromSigningKey && !pomerium) throw new UserError('--from-signing-key reads the Pomerium config', { hint: 'add --pomerium FILE' });
  for (const [flag, set] of [['--route', flags.route], ['--env-file', flags.envFile], ['--use-env', flags.useEnv]] as const) {
    if (set && !pomerium) throw new UserError(`${flag} applies to --pomerium only`);
  }
  if (flags.envFile && flags.useEnv) throw new UserError('--env-file and --use-env cannot be combined', { hint: 'pick where Pomerium\'s environment comes from' });
  if (flags.retries !== undefined && !/^(?:[0-9]|10)$/.test(flags.retries)) {
    throw new UserError(`--retries ${JSON.stringify(flags.retries)} is not a number from 0 to 10`);
  }
}

// ---------------------------------------------------------------------------------------------
// Sources

async function resolveSource(flags: Flags, io: Io): Promise<Source> {
  if (flags.url) return { kind: 'url', url: flags.url, label: redactUrl(flags.url) };
  if (flags.grafana || flags.grafanaValues) return grafanaSource(flags, io);
  versionOption(flags.pomeriumVersion, '--pomerium-version'); // refused before any file is read
  const given = (flags.pomerium ?? flags.compose)!;
  // The flag, else the release the files deploy (said on stderr).
  const loaded = await loadPomerium(flags, io, { flag: flags.pomeriumVersion, command: 'fetch-jwks' });
  if (!loaded) throw new UserError(`${given} has no Pomerium service`, { hint: 'pass --pomerium with the Pomerium config' });
  const { model, pomeriumVersion: version } = loaded;
  const file = model.file ?? given;
  if (flags.fromSigningKey) return derivedSource(model, file, version, io);
  const choice = findGrafanaRoute(model, flags.route === undefined ? {} : { from: flags.route });
  if ('error' in choice) throw new UserError(choice.message, { file });
  const { url, why } = jwksUrlFor(model, choice.route, version);
  if (url.includes('ROUTE-HOST')) throw new UserError(`cannot tell the JWKS URL: ${why}`, { span: choice.route.from?.span ?? null, hint: 'pass --url' });
  return { kind: 'url', url, label: redactUrl(url) };
}

async function grafanaSource(flags: Flags, io: Io): Promise<Source> {
  const grafana = (await loadGrafana(flags, io))!;
  const url = grafana.model.str('auth.jwt', 'jwk_set_url').trim();
  if (!url) {
    throw new UserError('[auth.jwt] jwk_set_url is not set', { file: grafana.file, hint: 'pass --url, or --pomerium with the Pomerium config' });
  }
  return { kind: 'url', url, label: redactUrl(url) };
}

async function derivedSource(model: PomeriumModel, file: string, version: string, io: Io): Promise<Source> {
  const { set, label } = signingKeysOf(model, io, version);
  if ('error' in set) throw new UserError(`no JWKS can be derived: ${set.error}`, { file });
  return { kind: 'derived', text: JSON.stringify(set.jwks), label };
}

// ---------------------------------------------------------------------------------------------
// Fetching and validating

type Fetched = { status: 'fetched'; text: string; etag: string | null; lastModified: string | null } | { status: 'not-modified' };

async function fetchSource(source: Source, flags: Flags, io: Io, tuning: NetworkTuning, conditional: Record<string, string>): Promise<Fetched> {
  if (source.kind === 'derived') return { status: 'fetched', text: source.text, etag: null, lastModified: null };
  const caPems = flags.caFile ? await extraCas(flags.caFile, io) : [];
  const result = await fetchJwks(source.url, {
    timeoutMs: flags.timeout === undefined ? 30_000 : parseDuration(flags.timeout, '--timeout'),
    retries: flags.retries === undefined ? 3 : Number(flags.retries),
    retryDelayMs: tuning.retryDelayMs,
    caPems,
    insecure: Boolean(flags.insecure),
    allowHttp: Boolean(flags.allowHttp),
    conditionalHeaders: conditional,
    env: io.env,
    allowPrivate: Boolean(flags.allowPrivate),
    ...(tuning.lookup ? { lookup: tuning.lookup } : {}),
    // On a terminal, a stalled server is not a silent 30 s: say what we wait for, and each retry.
    ...(io.stderrIsTTY ? { onProgress: (text: string) => io.err(`fetch-jwks: ${text}\n`) } : {}),
  });
  return result.status === 'fetched' ? { status: 'fetched', text: result.body, etag: result.etag, lastModified: result.lastModified } : result;
}

/** --ca-file, plus NODE_EXTRA_CA_CERTS: Node drops the latter once a `ca` list is given, so it is added back. */
async function extraCas(caFile: string, io: Io): Promise<string[]> {
  const pem = (await readInput(caFile, 'CA file', io)).text;
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UserError(`${caFile} holds no PEM certificate`, { hint: '--ca-file takes the CA certificate in PEM form' });
  const extra = io.env.NODE_EXTRA_CA_CERTS;
  return extra ? [pem, (await readInput(extra, 'NODE_EXTRA_CA_CERTS file', io)).text] : [pem];
}

/** The validated set, or a UserError naming the source: nothing is written from an unusable set. */
async function validated(text: string, source: Source): Promise<PublicJwk[]> {
  const result = validateJwksText(text);
  const problems = result.ok ? await importCheck(result.jwks) : result.problems;
  if (result.ok && problems.length === 0) return result.jwks.keys;
  throw new UserError(`the JWKS from ${source.label} is not usable; nothing was written${problems.map((p) => `\n  reason: ${p.message}`).join('')}`, {
    hint: hintFor(problems),
  });
}

function hintFor(problems: JwksProblem[]): string {
  const codes = new Set(problems.map((p) => p.code));
  if (codes.has('private-key-material')) return 'the source publishes private key material: treat that key as leaked and rotate it';
  if (codes.has('no-keys')) return 'set signing_key in the Pomerium config (on v0.33+ a fixed shared_secret also works) and restart Pomerium';
  return 'check that the URL is Pomerium\'s JWKS (/.well-known/pomerium/jwks.json)';
}

// ---------------------------------------------------------------------------------------------
// Updating and checking

interface Local {
  text: string | null;
  metaText: string | null;
  mtime: Date | null;
}

/** The output file: where it is, and how the user named it. */
interface Target {
  path: string;
  output: string;
}

async function readLocal(path: string): Promise<Local> {
  const read = (path: string) => readFile(path, 'utf8').catch(() => null);
  return {
    text: await read(path),
    metaText: await read(metaPathFor(path)),
    mtime: await stat(path).then((s) => s.mtime, () => null),
  };
}

/** The keys of a local file, leniently: a broken file only means every fetched key is new. */
function localKeys(text: string | null): Record<string, unknown>[] | null {
  try {
    const keys = (JSON.parse(text ?? '') as { keys?: unknown }).keys;
    return Array.isArray(keys) ? keys.filter((k) => typeof k === 'object' && k !== null) : null;
  } catch {
    return null;
  }
}

function unexpected304(source: Source): UserError {
  return new UserError(`${source.label} answered 304 Not Modified to a request that asked for the full set`, { hint: 'fix the server or the cache in front of it' });
}

type FetchOnce = (conditional: Record<string, string>) => Promise<Fetched>;

async function update(source: Source, { path, output }: Target, local: Local, maxAgeMs: number | null, now: Date, fetchOnce: FetchOnce): Promise<Report> {
  const meta = source.kind === 'url' ? usableMeta(parseMeta(local.metaText), redactUrl(source.url), local.text) : null;
  const previous = localKeys(local.text);
  const report = (outcome: Outcome, keys: KeyChange[]): Report => ({ outcome, output, source: source.label, keys, problems: [] });
  // A fetchedAt in the future (a clock that ran ahead) proves nothing: the file is stale.
  const age = meta ? ageMs(meta, now) : -1;
  if (meta && maxAgeMs !== null && age >= 0 && age < maxAgeMs) return report('fresh', diffKeys(previous, previous ?? []));

  const fetched = await fetchOnce(conditionalHeaders(meta));
  if (fetched.status === 'not-modified') {
    if (!meta) throw unexpected304(source);
    await writeFileAtomic(metaPathFor(path), serializeMeta({ ...meta, fetchedAt: now.toISOString() }));
    return report('not-modified', diffKeys(previous, previous ?? []));
  }
  const keys = await validated(fetched.text, source);
  const changed = fetched.text !== local.text;
  if (changed) await writeFileAtomic(path, fetched.text);
  if (source.kind === 'url') {
    await writeFileAtomic(
      metaPathFor(path),
      serializeMeta({
        // Credentials in the URL (userinfo, ?access_token=) are never stored.
        url: redactUrl(source.url),
        etag: fetched.etag,
        lastModified: fetched.lastModified,
        fetchedAt: now.toISOString(),
        sha256: sha256Hex(fetched.text),
        kids: keys.map((k) => k.kid ?? ''),
      }),
    );
  }
  return report(changed ? 'written' : 'unchanged', diffKeys(previous, keys));
}

async function check(source: Source, { output }: Target, local: Local, maxAgeMs: number | null, now: Date, fetchOnce: FetchOnce): Promise<Report> {
  const report = (outcome: Outcome, keys: KeyChange[], problems: string[] = []): Report => ({ outcome, output, source: source.label, keys, problems });
  if (local.text === null) return report('missing', [], [`${output} does not exist`]);
  const localResult = validateJwksText(local.text);
  const localProblems = localResult.ok ? await importCheck(localResult.jwks) : localResult.problems;
  if (!localResult.ok || localProblems.length > 0) return report('invalid', [], localProblems.map((p) => p.message));

  const fetched = await fetchOnce({});
  if (fetched.status === 'not-modified') throw unexpected304(source);
  const remoteKeys = await validated(fetched.text, source);
  const changes = diffKeys(localResult.jwks.keys, remoteKeys);
  if (setsDiffer(changes)) return report('differs', changes);
  if (maxAgeMs !== null) {
    const meta = source.kind === 'url' ? usableMeta(parseMeta(local.metaText), redactUrl(source.url), local.text) : null;
    const age = meta ? ageMs(meta, now) : now.getTime() - (local.mtime?.getTime() ?? 0);
    if (age < 0) return report('stale', changes, [`${output} says it was refreshed ${formatDuration(-age)} in the future (a clock that ran ahead): treated as stale`]);
    if (age > maxAgeMs) return report('stale', changes, [`${output} was last refreshed ${formatDuration(age)} ago, more than --max-age ${formatDuration(maxAgeMs)}`]);
  }
  return report('match', changes);
}

// ---------------------------------------------------------------------------------------------
// Output

const SUMMARY: Record<Outcome, (r: Report) => string> = {
  written: (r) => `wrote ${r.output} from ${r.source}`,
  unchanged: (r) => `${r.output} is up to date with ${r.source}`,
  'not-modified': (r) => `${r.output} is up to date (${r.source} answered 304 Not Modified)`,
  fresh: (r) => `${r.output} is up to date (fetched within --max-age; no request made)`,
  match: (r) => `${r.output} matches ${r.source}`,
  differs: (r) => `${r.output} differs from ${r.source}`,
  missing: (r) => `${r.output} is missing`,
  invalid: (r) => `${r.output} is not a valid public JWKS`,
  stale: (r) => `${r.output} is older than --max-age`,
};

/** One line per key (`added     <kid>  ES256`), then problems, then one summary line. */
export function humanReport(report: Report): string {
  // A served kid or alg is the server's text: its control characters are shown escaped, never sent to the terminal.
  const lines = report.keys.map((k) => `${k.status.padEnd(9)}  ${k.kid === null ? '(no kid)' : escapeControlsInLine(k.kid)}  ${escapeControlsInLine(k.alg ?? '-')}`);
  const problems = report.problems.map((p) => `  ${escapeControlsInLine(p)}`);
  return [...lines, escapeControlsInLine(SUMMARY[report.outcome](report)), ...problems].join('\n') + '\n';
}

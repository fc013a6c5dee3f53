// `grafana-pomerium explain`: take one assertion JWT and say what Grafana will do with it.
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { jsonText, sanitizeText } from '../core/sanitize.js';
import { readKeySetAsGrafana } from '../explain/jwks.js';
import type { KeySet } from '../explain/keys.js';
import { jwtSettingsOf } from '../explain/settings.js';
import { decodeCompactJws, POMERIUM_JWT_HEADER, readTokenInput } from '../explain/token.js';
import { formatSpan } from '../core/span.js';
import { effectivePassIdentityHeaders, hostMatches, routeHost } from '../pomerium/routes.js';
import { explainToken, type Explanation } from '../explain/verdict.js';
import type { GrafanaModel } from '../grafana/model-types.js';
import { fetchJwks } from '../jwks/fetch.js';
import { keySetTrust } from '../grafana/key-set-trust.js';
import type { PublicJwk } from '../jwks/types.js';
import type { PomeriumModel } from '../pomerium/model-types.js';
import { fsReason, readInput, versionOption } from './inputs.js';
import { loadGrafana, loadPomerium, signingKeysOf } from './load.js';

interface Flags {
  grafana?: string;
  grafanaValues?: string;
  compose?: string;
  envFile?: string;
  useEnv?: boolean;
  jwks?: string;
  pomerium?: string;
  url?: string;
  caFile?: string;
  at?: string;
  json?: boolean;
  grafanaVersion?: string;
  pomeriumVersion?: string;
  as?: string;
}

export async function run(args: string[], options: Record<string, unknown>, io: Io): Promise<number> {
  const flags = options as Flags;
  if (!flags.grafana && !flags.grafanaValues && !flags.compose) {
    throw new UserError('explain needs --grafana grafana.ini (or --grafana-values, or --compose)', { hint: 'the settings decide what Grafana does with the token' });
  }
  if (flags.jwks && flags.url) throw new UserError('give one of --jwks or --url, not both');
  if (flags.as !== undefined) {
    // No token: simulate that user's sign-in (src/commands/explain-as.ts), printed as below.
    if (args[0] !== undefined) throw new UserError('give a token or --as, not both');
    const caPems = flags.caFile ? [(await readInput(flags.caFile, 'CA file', io)).text] : [];
    const keys = flags.jwks
      ? async () => jwksFileKeys(resolve(io.cwd, flags.jwks!), `--jwks ${flags.jwks}`)
      : flags.url
        ? async () => urlKeys(flags.url!, `--url ${flags.url}`, { caPems, insecure: false, allowHttp: false }, io)
        : undefined;
    const print = (e: Explanation) => io.out(flags.json ? `${jsonText(jsonOf(e), 2)}\n` : sanitizeText(humanReport(e)));
    return (await import('./explain-as.js')).runAs({ ...options, as: flags.as }, io, flags.at === undefined ? io.now() : parseAt(flags.at), print, keys);
  }
  // Refused before any file is read; the versions used are the flags', else the files' (loadGrafana, loadPomerium).
  versionOption(flags.grafanaVersion, '--grafana-version');
  versionOption(flags.pomeriumVersion, '--pomerium-version');
  const at = flags.at === undefined ? io.now() : parseAt(flags.at);

  const input = args[0] === undefined || args[0] === '-' ? await io.readStdin() : args[0];
  const intake = readTokenInput(input);
  if (intake.token === '') throw new UserError('no token: pass it as an argument, or on stdin with "-"');
  // A path where the token should be (a JWT has three dot-separated parts; `token.jwt` has two).
  if (input === args[0] && intake.token.split('.').length !== 3 && existsSync(resolve(io.cwd, input))) {
    throw new UserError(`${input} is a file, not a token`, { hint: `pass its content on stdin: grafana-pomerium explain - ... < ${input}` });
  }

  const grafana = await loadGrafana(flags, io, { flag: flags.grafanaVersion, command: 'explain' });
  if (!grafana) throw new UserError(`${flags.compose} has no Grafana service`);
  const { model, grafanaVersion } = grafana;
  const grafanaFile = resolve(io.cwd, grafana.file);
  // With --compose, Pomerium's side comes from the same file unless --pomerium names it.
  const pomeriumLoaded = flags.pomerium || flags.compose ? await loadPomerium(flags, io, { flag: flags.pomeriumVersion, command: 'explain' }) : null;
  const pomerium = pomeriumLoaded ? pomeriumKeys(pomeriumLoaded.model, pomeriumLoaded.pomeriumVersion, io) : null;
  // --ca-file is the CA for whatever URL explain fetches: --url, or grafana.ini's jwk_set_url.
  const caPems = flags.caFile ? [(await readInput(flags.caFile, 'CA file', io)).text] : null;
  if (flags.caFile && (flags.jwks || (!flags.url && pomerium))) {
    io.err(`warning: --ca-file ${flags.caFile} is not used: the key set comes from ${flags.jwks ? '--jwks' : 'the Pomerium config'}, and nothing is fetched\n`);
  }
  const keySet = flags.jwks
    ? jwksFileKeys(resolve(io.cwd, flags.jwks), `--jwks ${flags.jwks}`)
    : flags.url
      ? await urlKeys(flags.url, `--url ${flags.url}`, { caPems: caPems ?? [], insecure: false, allowHttp: false }, io)
      : (pomerium?.keySet ?? (await grafanaKeys(model, dirname(grafanaFile), caPems, io)));

  const explanation = explainToken({
    intake,
    settings: jwtSettingsOf(model),
    keySet,
    pomeriumKids: pomerium && 'keys' in pomerium.keySet ? pomerium.keySet.keys.map((k) => k.kid ?? '') : null,
    headerStripped: pomeriumLoaded ? headerStrippedOn(pomeriumLoaded.model, intake.token) : null,
    at,
    grafanaVersion,
  });
  // The token's and the set's text (kid, claims) reach the terminal escaped and masked (src/core/sanitize.ts).
  io.out(flags.json ? `${jsonText(jsonOf(explanation), 2)}\n` : sanitizeText(humanReport(explanation, keySet.source)));
  return explanation.verdict === 'accepted' ? 0 : 1;
}

/**
 * Whether Pomerium removes the JWT header on the route the token is for (its `aud` is the route host):
 * with pass_identity_headers not effectively true, Grafana never sees the token.
 */
function headerStrippedOn(model: PomeriumModel, token: string): string | null {
  const decoded = decodeCompactJws(token);
  const aud = 'claims' in decoded && typeof decoded.claims.aud === 'string' ? decoded.claims.aud : null;
  const route = aud ? model.routes.find((r) => { const host = routeHost(r); return host !== null && hostMatches(host, aud); }) : undefined;
  if (!route || effectivePassIdentityHeaders(model, route).value) return null;
  const where = route.span ? ` (${formatSpan(route.from?.span ?? route.span)})` : '';
  return `Pomerium strips ${POMERIUM_JWT_HEADER} on the route ${route.from?.value ?? aud}${where}: pass_identity_headers is not set to true, so Grafana never sees the token`;
}

/** `--at`: an ISO 8601 time or Unix seconds. */
function parseAt(text: string): Date {
  const date = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
  if (Number.isNaN(date.getTime())) throw new UserError(`--at ${JSON.stringify(text)} is not a time`, { hint: 'write 2026-11-30T12:00:00Z or Unix seconds' });
  return date;
}

/** Grafana's own key files, read as it reads them: raw (a byte order mark stays, and Go's JSON refuses it). */
function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${path}: ${fsReason(err)}`);
  }
}

function pomeriumKeys(model: PomeriumModel, version: string, io: Io): { keySet: KeySet | { error: string; source: string } } {
  const { set, label } = signingKeysOf(model, io, version);
  if ('error' in set) return { keySet: { error: set.error, source: label } };
  return { keySet: { keys: set.jwks.keys as PublicJwk[], source: `the JWKS Pomerium derives from ${label}` } };
}

function jwksFileKeys(path: string, source: string): KeySet | { error: string; source: string } {
  return readKeySetAsGrafana(readText(path), source);
}

interface FetchTrust {
  caPems: string[];
  insecure: boolean;
  allowHttp: boolean;
  /** How the fetch was trusted, in the key source's words (` (certificate not verified: ...)`). */
  label?: string;
}

async function urlKeys(url: string, source: string, trust: FetchTrust, io: Io): Promise<KeySet | { error: string; source: string }> {
  let result;
  try {
    const { caPems, insecure, allowHttp } = trust;
    // The CAs replace Node's roots, as RootCAs does in Grafana's client (src/grafana/key-set-trust.ts).
    result = await fetchJwks(url, { timeoutMs: 15_000, retries: 1, retryDelayMs: 500, conditionalHeaders: {}, env: io.env, caPems, onlyCaPems: true, insecure, allowHttp });
  } catch (err) {
    if (err instanceof UserError) {
      const { hint } = err.options;
      throw new UserError(forExplain(err.message), { ...err.options, ...(hint === undefined ? {} : { hint: forExplain(hint) }) });
    }
    throw err;
  }
  if (result.status !== 'fetched') throw new UserError(`unexpected answer from ${url}: 304 Not Modified`);
  return readKeySetAsGrafana(result.body, source);
}

/** The fetch client's words for fetch-jwks flags, and what explain says instead. */
export const FETCH_HINT_REWRITES: [from: string | RegExp, to: string][] = [
  ['or use --from-signing-key to skip the network', 'or give the set with --jwks, or derive it from the Pomerium config with --pomerium'],
  ['or use --from-signing-key', 'or derive the set from the Pomerium config with --pomerium'],
  ['pass --allow-http for a test setup', 'set app_mode = development in grafana.ini, as Grafana allows http:// only then'],
  ['wait and run again, or cache with --max-age', 'wait and run again, or give the set with --jwks'],
  ['raise --timeout, or check', 'check'],
  [', or raise --timeout', ''],
  [/within --timeout (\S+)/g, 'within $1'],
  // explain fetches with private addresses allowed (only link-local and metadata ones are refused), so this never applies.
  [', or pass --allow-private for a server on this machine or network', ''],
];

/**
 * The fetch client words its hints for fetch-jwks; explain has other flags. Every flag a hint of
 * explain names must exist on explain (test/explain/hints.test.ts walks them).
 */
export function forExplain(text: string): string {
  return FETCH_HINT_REWRITES.reduce((out, [from, to]) => out.replaceAll(from, to), text);
}

/** The key source Grafana itself is configured with (grafana.md 3.1): more than one is a start-up error. */
async function grafanaKeys(model: GrafanaModel, baseDir: string, caPems: string[] | null, io: Io): Promise<KeySet | { error: string; source: string }> {
  const sources = (['key_file', 'jwk_set_file', 'jwk_set_url'] as const).filter((k) => model.str('auth.jwt', k) !== '');
  if (sources.length > 1) {
    return { error: 'key set configuration is ambiguous: you should set either key_file, jwk_set_file or jwk_set_url', source: '[auth.jwt]' };
  }
  const kind = sources[0];
  if (!kind) return { error: 'key set for jwt verification is not configured', source: '[auth.jwt]' };
  const value = model.str('auth.jwt', kind);
  const source = `${kind} ${value}`;
  if (kind === 'jwk_set_url') {
    const trust = grafanaTrust(model, baseDir, caPems, source);
    return urlKeys(value, `${source}${trust.label}`, trust, io);
  }
  const path = resolve(baseDir, value);
  if (!existsSync(path)) {
    throw new UserError(`${source} is not here (${path})`, { hint: 'pass the set Grafana has with --jwks, or derive it with --pomerium' });
  }
  if (kind === 'jwk_set_file') return jwksFileKeys(path, source);
  try {
    // key_file: one PEM key; its kid is key_id ("" by default), so only kid-less tokens match unless key_id is set.
    const jwk = createPublicKey(readText(path)).export({ format: 'jwk' }) as PublicJwk;
    const kid = model.str('auth.jwt', 'key_id');
    return { keys: [kid ? { ...jwk, kid } : jwk], source };
  } catch {
    return { error: 'failed to parse pem-encoded file', source };
  }
}

/**
 * How Grafana's key-set client trusts jwk_set_url (key_sets.go): `tls_client_ca` (12.2+) as its only CAs,
 * `tls_skip_verify_insecure` (11.6+) turns verification off, and http:// only with app_mode = development.
 * `--ca-file` stands in for tls_client_ca, whose path usually names the container's filesystem.
 */
function grafanaTrust(model: GrafanaModel, baseDir: string, caPems: string[] | null, source: string): FetchTrust {
  const { clientCa: ca, insecure } = keySetTrust(model);
  const allowHttp = model.str('', 'app_mode') === 'development';
  if (!allowHttp && /^http:/i.test(model.str('auth.jwt', 'jwk_set_url'))) {
    throw new UserError(`${source}: jwt_set_url must have https scheme (Grafana's own error; http:// is allowed only with app_mode = development)`);
  }
  const skip = insecure ? '; certificate not verified: [auth.jwt] tls_skip_verify_insecure = true' : '';
  if (caPems) return { caPems, insecure, allowHttp, label: ` (trusting --ca-file${skip})` };
  if (ca === '') return { caPems: [], insecure, allowHttp, label: skip ? ` (${skip.slice(2)})` : '' };
  const path = resolve(baseDir, ca);
  if (!existsSync(path)) {
    throw new UserError(`[auth.jwt] tls_client_ca ${ca} is not here (${path}), so the key set cannot be fetched as Grafana would`, {
      hint: 'pass the same CA with --ca-file, or the set Grafana has with --jwks',
    });
  }
  return { caPems: [readText(path)], insecure, allowHttp, label: ` (trusting [auth.jwt] tls_client_ca ${ca}${skip})` };
}

/** The JSON shape of `--json` (the contract): header and claims are for people, not part of it. */
function jsonOf(e: Explanation) {
  return {
    verdict: e.verdict,
    outcome: e.outcome,
    login: e.login,
    email: e.email,
    name: e.name,
    role: e.role,
    orgId: e.orgId,
    orgRoles: e.orgRoles ?? null,
    // null: Grafana leaves the server-admin flag alone; false: removes it; true: grants it.
    grafanaAdmin: e.grafanaAdminSync ?? null,
    groups: e.groups ?? null,
    steps: e.steps,
    advice: e.advice ?? [],
  };
}

function humanReport(e: Explanation, keySource = 'the key set'): string {
  const lines: string[] = [];
  if (e.header) lines.push(`header  ${JSON.stringify(e.header)}`);
  if (e.claims) lines.push(`claims  ${JSON.stringify(e.claims, null, 2).replace(/\n/g, '\n        ')}`, '');
  const width = Math.max(...e.steps.map((s) => s.step.length));
  for (const s of e.steps) lines.push(`${s.ok ? 'ok  ' : 'FAIL'}  ${s.step.padEnd(width)}  ${s.detail}`);
  if (e.advice?.length) {
    lines.push('', `note  a lint would object to ${keySource}, but Grafana accepts what it can read and the verdict does not depend on it:`);
    for (const a of e.advice) lines.push(`      - ${a}`);
  }
  lines.push('', e.summary);
  return `${lines.join('\n')}\n`;
}

// `grafana-pomerium explain`: take one assertion JWT and say what Grafana will do with it.
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { KeySet } from '../explain/keys.js';
import { jwtSettingsOf } from '../explain/settings.js';
import { decodeCompactJws, POMERIUM_JWT_HEADER, readTokenInput } from '../explain/token.js';
import { formatSpan } from '../core/span.js';
import { effectivePassIdentityHeaders, hostMatches, routeHost } from '../pomerium/routes.js';
import { explainToken, type Explanation } from '../explain/verdict.js';
import type { GrafanaModel } from '../grafana/model-types.js';
import { fetchJwks } from '../jwks/fetch.js';
import { validateJwksText } from '../jwks/validate.js';
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
    const keys = flags.jwks ? async () => jwksFileKeys(resolve(io.cwd, flags.jwks!), `--jwks ${flags.jwks}`) : flags.url ? async () => urlKeys(flags.url!, `--url ${flags.url}`, flags.caFile ? [(await readInput(flags.caFile, 'CA file', io)).text] : [], io) : undefined;
    return (await import('./explain-as.js')).runAs({ ...options, as: flags.as }, io, flags.at === undefined ? io.now() : parseAt(flags.at), (e) => io.out(flags.json ? `${JSON.stringify(jsonOf(e), null, 2)}\n` : humanReport(e)), keys);
  }
  const grafanaVersion = versionOption(flags.grafanaVersion, '--grafana-version');
  const pomeriumVersion = versionOption(flags.pomeriumVersion, '--pomerium-version');
  const at = flags.at === undefined ? io.now() : parseAt(flags.at);

  const input = args[0] === undefined || args[0] === '-' ? await io.readStdin() : args[0];
  const intake = readTokenInput(input);
  if (intake.token === '') throw new UserError('no token: pass it as an argument, or on stdin with "-"');
  // A path where the token should be (a JWT has three dot-separated parts; `token.jwt` has two).
  if (input === args[0] && intake.token.split('.').length !== 3 && existsSync(resolve(io.cwd, input))) {
    throw new UserError(`${input} is a file, not a token`, { hint: `pass its content on stdin: grafana-pomerium explain - ... < ${input}` });
  }

  const grafana = await loadGrafana(flags, io, grafanaVersion);
  if (!grafana) throw new UserError(`${flags.compose} has no Grafana service`);
  const { model } = grafana;
  const grafanaFile = resolve(io.cwd, grafana.file);
  // With --compose, Pomerium's side comes from the same file unless --pomerium names it.
  const pomeriumLoaded = flags.pomerium || flags.compose ? await loadPomerium(flags, io, pomeriumVersion) : null;
  const pomerium = pomeriumLoaded ? pomeriumKeys(pomeriumLoaded.model, pomeriumVersion, io) : null;
  const keySet = flags.jwks
    ? jwksFileKeys(resolve(io.cwd, flags.jwks), `--jwks ${flags.jwks}`)
    : flags.url
      ? await urlKeys(flags.url, `--url ${flags.url}`, flags.caFile ? [(await readInput(flags.caFile, 'CA file', io)).text] : [], io)
      : (pomerium?.keySet ?? (await grafanaKeys(model, dirname(grafanaFile), io)));

  const explanation = explainToken({
    intake,
    settings: jwtSettingsOf(model),
    keySet,
    pomeriumKids: pomerium && 'keys' in pomerium.keySet ? pomerium.keySet.keys.map((k) => k.kid ?? '') : null,
    headerStripped: pomeriumLoaded ? headerStrippedOn(pomeriumLoaded.model, intake.token) : null,
    at,
    grafanaVersion,
  });
  io.out(flags.json ? `${JSON.stringify(jsonOf(explanation), null, 2)}\n` : humanReport(explanation));
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

/** A JWKS as Grafana loads it; an empty set is a finding ("no keys found"), broken JSON is not a set at all. */
function jwksKeys(text: string, source: string): KeySet | { error: string; source: string } {
  const checked = validateJwksText(text);
  if (checked.ok) return { keys: checked.jwks.keys, source };
  if (checked.problems.every((p) => p.code === 'no-keys')) return { keys: [], source };
  return { error: checked.problems.map((p) => p.message).join('; '), source };
}

function jwksFileKeys(path: string, source: string): KeySet | { error: string; source: string } {
  return jwksKeys(readText(path), source);
}

async function urlKeys(url: string, source: string, caPems: string[], io: Io): Promise<KeySet | { error: string; source: string }> {
  const result = await fetchJwks(url, {
    timeoutMs: 15_000,
    retries: 1,
    retryDelayMs: 500,
    caPems,
    insecure: false,
    allowHttp: false,
    conditionalHeaders: {},
    env: io.env,
  });
  if (result.status !== 'fetched') throw new UserError(`unexpected answer from ${url}: 304 Not Modified`);
  return jwksKeys(result.body, source);
}

/** The key source Grafana itself is configured with (grafana.md 3.1): more than one is a start-up error. */
async function grafanaKeys(model: GrafanaModel, baseDir: string, io: Io): Promise<KeySet | { error: string; source: string }> {
  const sources = (['key_file', 'jwk_set_file', 'jwk_set_url'] as const).filter((k) => model.str('auth.jwt', k) !== '');
  if (sources.length > 1) {
    return { error: 'key set configuration is ambiguous: you should set either key_file, jwk_set_file or jwk_set_url', source: '[auth.jwt]' };
  }
  const kind = sources[0];
  if (!kind) return { error: 'key set for jwt verification is not configured', source: '[auth.jwt]' };
  const value = model.str('auth.jwt', kind);
  const source = `${kind} ${value}`;
  if (kind === 'jwk_set_url') return urlKeys(value, source, [], io);
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

/** The JSON shape of `--json` (the contract): header and claims are for people, not part of it. */
function jsonOf(e: Explanation) {
  return {
    verdict: e.verdict,
    login: e.login,
    email: e.email,
    name: e.name,
    role: e.role,
    orgId: e.orgId,
    grafanaAdmin: e.grafanaAdmin,
    steps: e.steps,
  };
}

function humanReport(e: Explanation): string {
  const lines: string[] = [];
  if (e.header) lines.push(`header  ${JSON.stringify(e.header)}`);
  if (e.claims) lines.push(`claims  ${JSON.stringify(e.claims, null, 2).replace(/\n/g, '\n        ')}`, '');
  const width = Math.max(...e.steps.map((s) => s.step.length));
  for (const s of e.steps) lines.push(`${s.ok ? 'ok  ' : 'FAIL'}  ${s.step.padEnd(width)}  ${s.detail}`);
  lines.push('', e.summary);
  return `${lines.join('\n')}\n`;
}

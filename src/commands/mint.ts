// `grafana-pomerium mint`: print the assertion JWT Pomerium would send on the Grafana route, signed with
// the config's own key, for smoke tests (`curl -H "X-Pomerium-Jwt-Assertion: $(grafana-pomerium mint ...)"`).
import { randomUUID } from 'node:crypto';
import { parseDuration } from '../core/duration.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { atLeast } from '../grafana/version.js';
import { mintClaims, POMERIUM_TTL_SECONDS, signJwt } from '../mint/mint.js';
import { findGrafanaRoute, routeHost } from '../pomerium/routes.js';
import { versionOption } from './inputs.js';
import { loadPomerium, signingKeysOf } from './load.js';

interface Flags {
  pomerium?: string;
  compose?: string;
  envFile?: string;
  useEnv?: boolean;
  email?: string;
  sub?: string;
  name?: string;
  groups?: string;
  route?: string;
  ttl?: string;
  claim?: string[];
  pomeriumVersion?: string;
  iat?: string;
  sessionExpiry?: string;
}

/** A time flag: ISO 8601 or Unix seconds, as Unix seconds. */
function unixSeconds(text: string, flag: string): number {
  const date = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
  if (Number.isNaN(date.getTime())) throw new UserError(`${flag} ${JSON.stringify(text)} is not a time`, { hint: 'write 2026-11-30T12:00:00Z or Unix seconds' });
  return Math.floor(date.getTime() / 1000);
}

/** Before v0.27 iat and exp came from the session: say what is assumed, or that the flags do nothing now. */
function sessionTimesNote(flags: Flags, pomeriumVersion: string): string {
  const given = [flags.iat !== undefined && '--iat', flags.sessionExpiry !== undefined && '--session-expiry'].filter(Boolean);
  if (atLeast(pomeriumVersion, '0.27.0')) {
    return given.length ? `note: ${given.join(' and ')} ignored: Pomerium ${pomeriumVersion} sets iat to the time of the request and exp 5 minutes later\n` : '';
  }
  const assumed = [
    flags.iat === undefined && 'the ID token was issued now (--iat)',
    flags.sessionExpiry === undefined && 'the session outlives the token (--session-expiry)',
  ].filter(Boolean);
  return assumed.length
    ? `note: Pomerium ${pomeriumVersion} took iat from the ID token and capped exp at the session's expiry; assumed: ${assumed.join(', ')}\n`
    : '';
}

export async function run(_args: string[], options: Record<string, unknown>, io: Io): Promise<number> {
  const flags = options as Flags;
  if (!flags.pomerium && !flags.compose) throw new UserError('mint needs --pomerium config.yaml (or --compose): the token is signed with its key');
  if (!flags.email) throw new UserError('mint needs --email');
  versionOption(flags.pomeriumVersion, '--pomerium-version'); // refused before any file is read
  const ttlSeconds = flags.ttl === undefined ? POMERIUM_TTL_SECONDS : Math.round(parseDuration(flags.ttl, '--ttl') / 1000);

  const given = (flags.pomerium ?? flags.compose)!;
  // The flag, else the release the files deploy (said on stderr).
  const loaded = await loadPomerium(flags, io, { flag: flags.pomeriumVersion, command: 'mint' });
  if (!loaded) throw new UserError(`${given} has no Pomerium service`, { hint: 'pass --pomerium with the Pomerium config' });
  const { model, pomeriumVersion } = loaded;
  const file = model.file ?? given;

  const choice = findGrafanaRoute(model, flags.route === undefined ? {} : { from: flags.route });
  if ('error' in choice) throw new UserError(choice.message, { file });
  const host = routeHost(choice.route);
  if (!host || host.includes('*')) {
    throw new UserError(`the route's from has no single host (${choice.route.from?.value ?? 'none'})`, { span: choice.route.from?.span ?? null });
  }

  const { set, label } = signingKeysOf(model, io, pomeriumVersion);
  if ('error' in set) throw new UserError(`no signing key to mint with: ${set.error}`, { file });
  if (!set.signer) throw new UserError(`the signing key cannot sign: ${set.cannotSign}`, { file });

  const minted = mintClaims({
    model,
    route: choice.route,
    host,
    pomeriumVersion,
    email: flags.email,
    sub: flags.sub ?? flags.email,
    name: flags.name ?? '',
    groups: flags.groups ? flags.groups.split(',').map((g) => g.trim()).filter(Boolean) : [],
    extraValues: extraClaims(flags.claim ?? []),
    now: io.now(),
    ttlSeconds,
    jti: randomUUID(),
    sid: randomUUID(),
    ...(flags.iat !== undefined ? { idTokenIssuedAt: unixSeconds(flags.iat, '--iat') } : {}),
    ...(flags.sessionExpiry !== undefined ? { sessionExpiresAt: unixSeconds(flags.sessionExpiry, '--session-expiry') } : {}),
  });
  if ('error' in minted) throw new UserError(minted.error, { file });
  const { claims } = minted;

  const timesNote = sessionTimesNote(flags, pomeriumVersion);
  if (timesNote) io.err(timesNote);
  io.err(
    `note: this token is for testing: signed with the key from ${label}, it signs in ${flags.email} ` +
      `to Grafana at ${host} until ${new Date(Number(claims.exp) * 1000).toISOString()}; keep it out of logs\n`,
  );
  io.out(`${signJwt(claims, set.signer)}\n`);
  return 0;
}

/** `--claim name=value`: a `jwt_claims_headers` claim as the IdP would give it; repeats join with `,` as Pomerium does. */
function extraClaims(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`--claim ${JSON.stringify(item)} is not name=value`);
    const name = item.slice(0, eq);
    const value = item.slice(eq + 1);
    out[name] = name in out ? `${out[name]},${value}` : value;
  }
  return out;
}

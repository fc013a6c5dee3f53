// `grafana-pomerium mint`: print the assertion JWT Pomerium would send on the Grafana route, signed with
// the config's own key, for smoke tests (`curl -H "X-Pomerium-Jwt-Assertion: $(grafana-pomerium mint ...)"`).
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeFsError } from '../core/atomic-write.js';
import { parseDuration } from '../core/duration.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { mintClaims, signingSetOf, signJwt } from '../mint/mint.js';
import { readPomeriumConfig } from '../pomerium/read.js';
import { findGrafanaRoute, routeHost } from '../pomerium/routes.js';
import { versionOption } from './inputs.js';


interface Flags {
  pomerium?: string;
  email?: string;
  sub?: string;
  name?: string;
  groups?: string;
  route?: string;
  ttl?: string;
  claim?: string[];
  pomeriumVersion?: string;
}

export async function run(_args: string[], options: Record<string, unknown>, io: Io): Promise<number> {
  const flags = options as Flags;
  if (!flags.pomerium) throw new UserError('mint needs --pomerium config.yaml: the token is signed with its key');
  if (!flags.email) throw new UserError('mint needs --email');
  const pomeriumVersion = versionOption(flags.pomeriumVersion, '--pomerium-version');
  const ttlSeconds = flags.ttl === undefined ? 300 : Math.round(parseDuration(flags.ttl, '--ttl') / 1000);

  const file = resolve(io.cwd, flags.pomerium);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${file}: ${describeFsError(err)}`);
  }
  const model = readPomeriumConfig(text, file);
  const syntax = model.errors[0];
  if (syntax) throw new UserError(syntax.message, { span: syntax.span, file });

  const choice = findGrafanaRoute(model, flags.route === undefined ? {} : { from: flags.route });
  if ('error' in choice) throw new UserError(choice.message, { file });
  const host = routeHost(choice.route);
  if (!host || host.includes('*')) {
    throw new UserError(`the route's from has no single host (${choice.route.from?.value ?? 'none'})`, { span: choice.route.from?.span ?? null });
  }

  const readKeyFile = (path: string) => {
    const full = resolve(dirname(file), path);
    return existsSync(full) ? readFileSync(full, 'utf8') : null;
  };
  const set = signingSetOf(model, readKeyFile, pomeriumVersion);
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
  });
  if ('error' in minted) throw new UserError(minted.error, { file });
  const { claims } = minted;

  io.err(
    `note: this token is for testing: signed with the key from ${set.source} in ${flags.pomerium}, it signs in ${flags.email} ` +
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

// `grafana-pomerium smoke`: the README's curl line as a check. Mints the token Pomerium would send for a
// user (the configured key), sends it to the running Grafana as Pomerium does (GET /api/user, then
// /api/user/orgs for the role), and compares Grafana's answer with what explain predicts from the files
// for the same token. Exit 0 agree, 1 differ (the running Grafana is not configured as the files say),
// 2 could not run.
import { randomUUID } from 'node:crypto';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { CURRENT_GRAFANA_VERSION, CURRENT_POMERIUM_VERSION } from '../core/versions.js';
import { jwtSettingsOf } from '../explain/settings.js';
import { walkToken, type ExplainInput } from '../explain/steps.js';
import { readTokenInput, POMERIUM_JWT_HEADER } from '../explain/token.js';
import { explainToken } from '../explain/verdict.js';
import type { PublicJwk } from '../jwks/types.js';
import { mintClaims, POMERIUM_TTL_SECONDS, signJwt } from '../mint/mint.js';
import { findGrafanaRoute, routeHost } from '../pomerium/routes.js';
import { compareAnswer, type GrafanaAnswer } from '../smoke/compare.js';
import { GrafanaHttpError, openGrafanaApi } from '../users/grafana-api.js';
import { versionOption } from './inputs.js';
import { loadGrafana, loadPomerium, signingKeysOf } from './load.js';
import { readCaFile } from './users.js';

interface Flags {
  pomerium?: string;
  compose?: string;
  grafana?: string;
  grafanaValues?: string;
  envFile?: string;
  useEnv?: boolean;
  as?: string;
  name?: string;
  groups?: string;
  route?: string;
  grafanaUrl?: string;
  caFile?: string;
  grafanaVersion?: string;
  pomeriumVersion?: string;
}

export async function run(_args: string[], options: Record<string, unknown>, io: Io): Promise<number> {
  const flags = options as Flags;
  if (!flags.pomerium && !flags.compose) throw new UserError('smoke needs --pomerium (the token is signed with its key)');
  if (!flags.grafana && !flags.grafanaValues && !flags.compose) throw new UserError('smoke needs --grafana grafana.ini (the files the prediction comes from)');
  if (!flags.as) throw new UserError('smoke needs --as EMAIL (the user Pomerium would send)');
  const url = flags.grafanaUrl ?? io.env.GRAFANA_URL;
  if (!url) throw new UserError('where is Grafana? set GRAFANA_URL or pass --grafana-url', { hint: "Grafana's own address (e.g. http://grafana:3000), as Pomerium's route `to:` reaches it" });
  const grafanaVersion = versionOption(flags.grafanaVersion ?? CURRENT_GRAFANA_VERSION, '--grafana-version');
  const pomeriumVersion = versionOption(flags.pomeriumVersion ?? CURRENT_POMERIUM_VERSION, '--pomerium-version');

  // The token, exactly as `mint` makes it.
  const pomerium = await loadPomerium(flags, io, pomeriumVersion);
  if (!pomerium) throw new UserError(`${flags.pomerium ?? flags.compose} has no Pomerium service`);
  const model = pomerium.model;
  const choice = findGrafanaRoute(model, flags.route === undefined ? {} : { from: flags.route });
  if ('error' in choice) throw new UserError(choice.message, model.file ? { file: model.file } : {});
  const host = routeHost(choice.route);
  if (!host || host.includes('*')) throw new UserError(`the route's from has no single host (${choice.route.from?.value ?? 'none'})`, { span: choice.route.from?.span ?? null });
  const { set, label } = signingKeysOf(model, io, pomeriumVersion);
  if ('error' in set) throw new UserError(`no signing key to mint with: ${set.error}`);
  if (!set.signer) throw new UserError(`the signing key cannot sign: ${set.cannotSign}`);
  const minted = mintClaims({
    model,
    route: choice.route,
    host,
    pomeriumVersion,
    email: flags.as,
    sub: flags.as,
    name: flags.name ?? '',
    groups: flags.groups ? flags.groups.split(',').map((g) => g.trim()).filter(Boolean) : [],
    extraValues: {},
    now: io.now(),
    ttlSeconds: POMERIUM_TTL_SECONDS,
    jti: randomUUID(),
    sid: randomUUID(),
  });
  if ('error' in minted) throw new UserError(minted.error);
  const token = signJwt(minted.claims, set.signer);

  // The prediction: explain on the same token, with the keys Pomerium serves.
  const grafana = await loadGrafana(flags, io, grafanaVersion);
  if (!grafana) throw new UserError(`${flags.compose} has no Grafana service`);
  const input: ExplainInput = {
    intake: readTokenInput(token),
    settings: jwtSettingsOf(grafana.model),
    keySet: { keys: set.jwks.keys as PublicJwk[], source: `the JWKS Pomerium derives from ${label}` },
    pomeriumKids: set.jwks.keys.map((k) => k.kid ?? ''),
    at: io.now(),
    grafanaVersion,
  };
  const predicted = explainToken(input);
  const identity = walkToken(input).identity;

  // The answer: as Pomerium sends it, the assertion header and nothing else.
  const caPems = flags.caFile ? [await readCaFile(flags.caFile, io)] : [];
  const api = await openGrafanaApi({ url, authorization: null, headers: { [POMERIUM_JWT_HEADER]: token }, credentialsFrom: POMERIUM_JWT_HEADER, caPems, env: io.env });
  let answer: GrafanaAnswer;
  try {
    answer = await ask(api);
  } finally {
    await api.close();
  }

  const result = compareAnswer(predicted, identity, answer);
  const lines = [
    `token     for ${flags.as}${flags.groups ? ` (groups ${flags.groups})` : ''} on ${choice.route.from?.value ?? host}, signed with ${label}`,
    `grafana   GET ${api.urlOf('/api/user')}: ${answer.user ? `HTTP ${answer.status}, login ${answer.user.login}, email ${answer.user.email}${answer.orgs.length ? `; ${answer.orgs.map((o) => `org ${o.orgId} ${o.role}`).join(', ')}` : ''}` : `HTTP ${answer.status}${answer.message ? ` ${JSON.stringify(answer.message)}` : ''}`}`,
    `files     ${predicted.summary}`,
    ...result.notes.map((n) => `note: ${n}`),
    ...result.differences.map((d) => `differs   ${d.part}: Grafana says ${d.grafana}; the files say ${d.files}`),
    result.agree
      ? 'agree: the running Grafana does what the files say'
      : 'disagree: the running Grafana is not configured as these files say (not restarted since the change? other environment variables? another key set?)',
  ];
  io.out(lines.join('\n') + '\n');
  return result.agree ? 0 : 1;
}

async function ask(api: Awaited<ReturnType<typeof openGrafanaApi>>): Promise<GrafanaAnswer> {
  try {
    const user = (await api.request('GET', '/api/user')).json as Record<string, unknown>;
    const orgs = (await api.request('GET', '/api/user/orgs')).json;
    return {
      status: 200,
      message: '',
      user: { login: String(user.login ?? ''), email: String(user.email ?? ''), isGrafanaAdmin: user.isGrafanaAdmin === true },
      orgs: Array.isArray(orgs) ? orgs.map((o) => ({ orgId: Number(o?.orgId), role: String(o?.role ?? '') })) : [],
    };
  } catch (err) {
    if (err instanceof GrafanaHttpError) return { status: err.status, message: err.grafanaMessage, user: null, orgs: [] };
    throw err;
  }
}

// `grafana-pomerium smoke`: the README's curl line as a check. Mints the token Pomerium would send for a
// user (the configured key), sends it to the running Grafana as Pomerium does (GET /api/user, then
// /api/user/orgs for the role), and compares Grafana's answer with what the one sign-in simulation
// (src/signin/, as explain --as) predicts from the files for the same token. Exit 0 agree, 1 differ (the
// running Grafana is not configured as the files say), 2 could not run (also when Pomerium strips the
// header, so no sign-in through it can work).
import { randomUUID } from 'node:crypto';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { POMERIUM_JWT_HEADER } from '../explain/token.js';
import type { PublicJwk } from '../jwks/types.js';
import { simulateSignIn } from '../signin/simulate.js';
import { findGrafanaRoute, routeHost } from '../pomerium/routes.js';
import { compareAnswer, type GrafanaAnswer } from '../smoke/compare.js';
import { GrafanaHttpError, openGrafanaApi } from '../users/grafana-api.js';
import { versionOption } from './inputs.js';
import { loadGrafana, loadPomerium, signingKeysOf } from './load.js';
import { readCaFile } from './users.js';
import { printSafe } from '../core/sanitize.js';

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
  versionOption(flags.grafanaVersion, '--grafana-version'); // refused before any file is read
  versionOption(flags.pomeriumVersion, '--pomerium-version');

  // The flags' versions, else the releases the files deploy (said on stderr).
  const pomerium = await loadPomerium(flags, io, { flag: flags.pomeriumVersion, command: 'smoke' });
  if (!pomerium) throw new UserError(`${flags.pomerium ?? flags.compose} has no Pomerium service`);
  const { model, pomeriumVersion } = pomerium;
  const choice = findGrafanaRoute(model, flags.route === undefined ? {} : { from: flags.route });
  if ('error' in choice) throw new UserError(choice.message, model.file ? { file: model.file } : {});
  const host = routeHost(choice.route);
  if (!host || host.includes('*')) throw new UserError(`the route's from has no single host (${choice.route.from?.value ?? 'none'})`, { span: choice.route.from?.span ?? null });
  // A running Grafana is asked with Pomerium's own key: a stand-in key would prove nothing.
  const { set, label } = signingKeysOf(model, io, pomeriumVersion);
  if ('error' in set) throw new UserError(`no signing key to mint with: ${set.error}`);
  if (!set.signer) throw new UserError(`the signing key cannot sign: ${set.cannotSign}`);
  const grafana = await loadGrafana(flags, io, { flag: flags.grafanaVersion, command: 'smoke' });
  if (!grafana) throw new UserError(`${flags.compose} has no Grafana service`);

  // The token and the prediction: the one sign-in simulation (src/signin/), as explain --as runs it for this user.
  const simulated = simulateSignIn({
    grafana: grafana.model,
    pomerium: model,
    route: choice.route,
    host,
    grafanaVersion: grafana.grafanaVersion,
    pomeriumVersion,
    user: { email: flags.as, sub: flags.as, name: flags.name ?? '', groups: flags.groups ? flags.groups.split(',').map((g) => g.trim()).filter(Boolean) : [], claims: {} },
    signing: set,
    grafanaKeys: { keys: set.jwks.keys as PublicJwk[], source: `the JWKS Pomerium derives from ${label}` },
    at: io.now(),
    ids: { jti: randomUUID(), sid: randomUUID() },
  });
  if ('error' in simulated) throw new UserError(simulated.error);
  if (simulated.token === null) throw new UserError("Grafana signs users in with its auth proxy here ([auth.proxy] enabled, [auth.jwt] off): smoke checks the JWT sign-in", { hint: `grafana-pomerium explain --as ${flags.as} shows what the auth proxy does` });
  if (simulated.headerStripped) throw new UserError(`no sign-in through Pomerium can work: ${simulated.headerStripped}`, { hint: 'set pass_identity_headers: true on the route (grafana-pomerium doctor says the same), then run smoke' });
  // Grafana's own answer to the token is what is compared; Pomerium's policy is said apart (smoke skips Pomerium).
  const { token, identity, grafanaOutcome: predicted } = simulated;
  const policyNote = simulated.policy.admitted === false ? [`${simulated.explanation.summary}: through Pomerium this user gets Pomerium's 403; this checks Grafana alone`] : [];

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
    ...[...policyNote, ...result.notes].map((n) => `note: ${n}`),
    ...result.differences.map((d) => `differs   ${d.part}: Grafana says ${d.grafana}; the files say ${d.files}`),
    result.agree
      ? 'agree: the running Grafana does what the files say'
      : 'disagree: the running Grafana is not configured as these files say (not restarted since the change? other environment variables? another key set?)',
  ];
  printSafe(io, lines.join('\n') + '\n');
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

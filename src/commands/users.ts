// `grafana-pomerium users add` and `users check`: the guide's "Add Users to Grafana" step, through
// Grafana's HTTP API. Where: --grafana-url or GRAFANA_URL; who: GRAFANA_AUTH (user:password of a
// server admin, or a token), the variables Grafana's Terraform provider reads. No password is ever
// taken on the command line or printed.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { formatSpan } from '../core/span.js';
import type { Io } from '../core/io.js';
import { CURRENT_GRAFANA_VERSION } from '../core/versions.js';
import { jwtSettingsOf } from '../explain/settings.js';
import { AUTHN_SIGN_UP_MESSAGE, AUTO_SIGN_UP } from '../explain/steps.js';
import { atLeast } from '../grafana/version.js';
import { findGrafanaRoute } from '../pomerium/routes.js';
import { addUser, lookupUser, ORG_ROLES, type OrgRole } from '../users/add.js';
import { authorizationFrom, openGrafanaApi, type GrafanaApi } from '../users/grafana-api.js';
import { policyPeople } from '../users/policy-people.js';
import { versionOption } from './inputs.js';
import { loadGrafana, loadPomerium } from './load.js';
import { printSafe } from '../core/sanitize.js';

interface ConnectionFlags {
  grafanaUrl?: string;
  caFile?: string;
}

interface AddFlags extends ConnectionFlags {
  email?: string;
  name?: string;
  login?: string;
  role?: string;
  grafanaAdmin?: boolean;
  org?: string;
  dryRun?: boolean;
}

interface CheckFlags extends ConnectionFlags {
  pomerium?: string;
  compose?: string;
  envFile?: string;
  useEnv?: boolean;
  grafana?: string;
  grafanaValues?: string;
  route?: string;
  grafanaVersion?: string;
  pomeriumVersion?: string;
}

const CREDENTIALS = 'GRAFANA_AUTH';

/** Opens the API from --grafana-url/GRAFANA_URL and GRAFANA_AUTH, refusing what cannot work before any request. */
export async function connect(flags: ConnectionFlags, io: Io): Promise<GrafanaApi> {
  const url = flags.grafanaUrl ?? io.env.GRAFANA_URL;
  if (!url) throw new UserError('where is Grafana? set GRAFANA_URL or pass --grafana-url', { hint: 'e.g. GRAFANA_URL=https://grafana.internal:3000 (Grafana itself, or its route through Pomerium)' });
  const authorization = authorizationFrom(io.env.GRAFANA_AUTH);
  if (!authorization) {
    throw new UserError('set GRAFANA_AUTH to the credentials of a Grafana server admin', {
      hint: 'GRAFANA_AUTH=user:password (basic auth) or a token; it is read from the environment so it never shows in the command line or the shell history of others',
    });
  }
  const caPems = flags.caFile ? [await readCaFile(flags.caFile, io)] : [];
  return openGrafanaApi({ url, authorization, credentialsFrom: CREDENTIALS, caPems, env: io.env });
}

export async function readCaFile(path: string, io: Io): Promise<string> {
  try {
    const text = await readFile(resolve(io.cwd, path), 'utf8');
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UserError(`--ca-file ${path} holds no PEM certificate`);
    return text;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read --ca-file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function roleOption(value: string | undefined): OrgRole | undefined {
  if (value === undefined) return undefined;
  const role = ORG_ROLES.find((r) => r.toLowerCase() === value.toLowerCase());
  if (!role) throw new UserError(`--role ${JSON.stringify(value)} is not an org role`, { hint: `use one of: ${ORG_ROLES.join(', ')} (server admin is --grafana-admin)` });
  return role;
}

function orgOption(value: string | undefined): number {
  if (value === undefined) return 1;
  if (!/^[1-9]\d*$/.test(value)) throw new UserError(`--org ${JSON.stringify(value)} is not an organization id`, { hint: 'a number, e.g. --org 1 (the Main Org.)' });
  return Number(value);
}

export async function runAdd(_args: string[], options: Record<string, unknown>, io: Io): Promise<number> {
  const flags = options as AddFlags;
  if (!flags.email) throw new UserError('users add needs --email (the email the identity provider sends, exactly)');
  if (!/^[^@\s]+@[^@\s]+$/.test(flags.email)) throw new UserError(`--email ${JSON.stringify(flags.email)} is not an email address`);
  const role = roleOption(flags.role);
  const orgId = orgOption(flags.org);
  const api = await connect(flags, io);
  try {
    const outcome = await addUser(
      api,
      {
        email: flags.email,
        ...(flags.name !== undefined ? { name: flags.name } : {}),
        ...(flags.login !== undefined ? { login: flags.login } : {}),
        ...(role !== undefined ? { role } : {}),
        grafanaAdmin: Boolean(flags.grafanaAdmin),
        orgId,
        dryRun: Boolean(flags.dryRun),
      },
      CREDENTIALS,
    );
    printSafe(io, outcome.lines.join('\n') + '\n');
    return 0;
  } finally {
    await api.close();
  }
}

export async function runCheck(_args: string[], options: Record<string, unknown>, io: Io): Promise<number> {
  const flags = options as CheckFlags;
  if (!flags.pomerium && !flags.compose) throw new UserError('users check needs --pomerium (the config with the Grafana route and its policy)');
  const grafanaVersion = versionOption(flags.grafanaVersion ?? CURRENT_GRAFANA_VERSION, '--grafana-version');
  const pomeriumVersion = flags.pomeriumVersion === undefined ? undefined : versionOption(flags.pomeriumVersion, '--pomerium-version');
  const pomerium = await loadPomerium(flags, io, pomeriumVersion);
  if (!pomerium) throw new UserError(`${flags.pomerium ?? flags.compose} has no Pomerium service`, { hint: 'pass --pomerium with the Pomerium config' });
  const grafana = flags.grafana || flags.grafanaValues || flags.compose ? await loadGrafana(flags, io, grafanaVersion) : null;

  const rootUrl = grafana?.model.str('server', 'root_url');
  const choice = findGrafanaRoute(pomerium.model, { ...(flags.route !== undefined ? { from: flags.route } : {}), ...(rootUrl ? { grafanaRootUrl: rootUrl } : {}) });
  if ('error' in choice) throw new UserError(choice.message, pomerium.model.file ? { file: pomerium.model.file } : {});
  const route = choice.route;
  printSafe(io, `route ${route.from?.value ?? '(no from)'}${route.from?.span ? ` (${formatSpan(route.from.span)})` : ''}\n`);

  // Sign-up: JWT users are created on first sign-in only with auto_sign_up, from Grafana 8.4.0
  // (pkg/services/authn/clients/jwt.go; before 8.4 the option did not exist).
  const autoSignUp = grafana ? jwtSettingsOf(grafana.model).autoSignUp : false;
  const where = grafana ? grafana.file : 'no --grafana given: Grafana\'s default';
  if (autoSignUp && atLeast(grafanaVersion, AUTO_SIGN_UP)) {
    printSafe(io, `auto_sign_up is on (${where}): Grafana creates each user on their first sign-in; there is nothing to add by hand\n`);
    return 0;
  }
  // 10.1 moved JWT onto authn, whose user sync refuses with "Sign up is disabled"; before, "User not found".
  const refusal = atLeast(grafanaVersion, AUTHN_SIGN_UP_MESSAGE) ? '"Sign up is disabled"' : '{"message":"User not found"}';
  const why = autoSignUp ? `Grafana ${grafanaVersion} has no JWT auto_sign_up (it came in ${AUTO_SIGN_UP})` : `auto_sign_up is off (${where})`;
  printSafe(io, `${why}: everyone the route lets in needs a Grafana user first, else Grafana answers 401 ${refusal}\n`);

  const found = policyPeople(route);
  for (const w of found.wide) {
    printSafe(io, `note: ${w.what}${w.span ? ` (${formatSpan(w.span)})` : ''} lets people in by kind, not by name: turn on [auth.jwt] auto_sign_up, or add each person with users add\n`);
  }
  if (found.userIds.length > 0) {
    printSafe(io, `note: ${found.userIds.join(', ')}: user ids (the identity provider's subject), not emails; Grafana cannot be asked about them here\n`);
  }
  if (found.people.length === 0) {
    printSafe(io, 'the policy names nobody by email: nothing to look up\n');
    return 0;
  }

  const api = await connect(flags, io);
  let missing = 0;
  try {
    for (const person of found.people) {
      const user = await lookupUser(api, person.email, CREDENTIALS);
      const at = person.span ? ` (${formatSpan(person.span)}, ${person.from})` : '';
      if (!user) {
        missing++;
        printSafe(io, `  missing   ${person.email}${at}: add with grafana-pomerium users add --email ${person.email}\n`);
      } else if (user.isDisabled) {
        missing++;
        printSafe(io, `  disabled  ${person.email} (user ${user.id}, login ${user.login}): Grafana refuses a disabled user; enable it under Server Admin -> Users\n`);
      } else {
        printSafe(io, `  ok        ${person.email} (user ${user.id}, login ${user.login})\n`);
      }
    }
  } finally {
    await api.close();
  }
  const total = found.people.length;
  printSafe(io, missing === 0 ? `all ${total} named users are in Grafana\n` : `${missing} of ${total} named users cannot sign in yet\n`);
  return missing === 0 ? 0 : 1;
}

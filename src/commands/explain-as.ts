// `grafana-pomerium explain --as EMAIL`: no token; simulate that user's sign-in on the Grafana route (the
// token Pomerium would send, what Grafana does with it) and print it as explain prints a real token.
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { KeySet } from '../explain/keys.js';
import type { Explanation } from '../explain/verdict.js';
import { findGrafanaRoute, hostMatches, routeHost } from '../pomerium/routes.js';
import { parseUrl } from '../core/url.js';
import { simulateSignIn, type SimulatedUser } from '../signin/simulate.js';
import { versionOption } from './inputs.js';
import { loadGrafana, loadPomerium, signingKeysOf } from './load.js';
import { sanitizeText } from '../core/sanitize.js';

export interface AsFlags {
  as: string;
  groups?: string;
  claim?: string[];
  route?: string;
  grafana?: string;
  grafanaValues?: string;
  compose?: string;
  envFile?: string;
  useEnv?: boolean;
  pomerium?: string;
  grafanaVersion?: string;
  pomeriumVersion?: string;
  json?: boolean;
}

/** `--claim name=value`: an IdP claim (repeats join with `,`, as Pomerium joins a list); `sub` and `name` set those claims. */
function claimValues(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`--claim ${JSON.stringify(item)} is not name=value`);
    const name = item.slice(0, eq);
    out[name] = name in out ? `${out[name]},${item.slice(eq + 1)}` : item.slice(eq + 1);
  }
  return out;
}

/**
 * Runs the simulation and hands explain's printer an Explanation of the usual shape; `keys` overrides the
 * keys Grafana verifies with (explain's --jwks / --url), else the set Pomerium serves for its key.
 */
export async function runAs(
  flags: AsFlags,
  io: Io,
  at: Date,
  print: (e: Explanation) => void,
  keys?: () => Promise<KeySet | { error: string; source: string }>,
): Promise<number> {
  if (!flags.as.includes('@')) throw new UserError(`--as ${JSON.stringify(flags.as)} is not an email`, { hint: 'Pomerium identifies users by email: --as alice@example.com' });
  if (!flags.pomerium && !flags.compose) throw new UserError('explain --as needs --pomerium (or --compose): the route, its policy and the token come from the Pomerium config');
  versionOption(flags.grafanaVersion, '--grafana-version'); // refused before any file is read
  versionOption(flags.pomeriumVersion, '--pomerium-version');

  // The flags' versions, else the releases the files deploy (said on stderr).
  const grafana = await loadGrafana(flags, io, { flag: flags.grafanaVersion, command: 'explain' });
  if (!grafana) throw new UserError(`${flags.compose} has no Grafana service`);
  const { grafanaVersion } = grafana;
  const pomeriumLoaded = await loadPomerium(flags, io, { flag: flags.pomeriumVersion, command: 'explain' });
  const pomerium = pomeriumLoaded?.model;
  const pomeriumVersion = pomeriumLoaded?.pomeriumVersion ?? versionOption(flags.pomeriumVersion, '--pomerium-version');
  if (!pomerium) throw new UserError(`${flags.pomerium ?? flags.compose} has no Pomerium service`, { hint: 'pass --pomerium with the Pomerium config' });
  const file = pomerium.file ?? flags.pomerium ?? flags.compose!;

  const rootUrl = grafana.model.str('server', 'root_url') || undefined;
  const choice = findGrafanaRoute(pomerium, { ...(flags.route ? { from: flags.route } : {}), ...(rootUrl ? { grafanaRootUrl: rootUrl } : {}) });
  if ('error' in choice) throw new UserError(choice.message, { file });
  const route = choice.route;
  let host = routeHost(route);
  if (host?.includes('*')) {
    // A wildcard route: the request host is Grafana's own (root_url), when the route serves it.
    const grafanaHost = rootUrl ? parseUrl(rootUrl)?.hostname.toLowerCase() : undefined;
    host = grafanaHost && hostMatches(host, grafanaHost) ? grafanaHost : null;
  }
  if (!host) throw new UserError(`the route's from has no single host (${route.from?.value ?? 'none'})`, { span: route.from?.span ?? null, hint: "set Grafana's [server] root_url to the host users open" });

  let signing = null;
  let keyLabel = 'a stand-in key';
  let pomeriumKeys: KeySet | undefined;
  try {
    const found = signingKeysOf(pomerium, io, pomeriumVersion);
    signing = found.set;
    if (!('error' in found.set) && found.set.signer) {
      keyLabel = found.label;
      // Worded as explain words the set it derives from --pomerium.
      pomeriumKeys = { keys: found.set.jwks.keys, source: `the JWKS Pomerium derives from ${found.label}` };
    }
  } catch (err) {
    if (!(err instanceof UserError)) throw err; // the Ingress Controller's key lives in a Secret: sign with a stand-in
  }

  const claims = claimValues(flags.claim ?? []);
  const { sub, name, ...extras } = claims;
  const user: SimulatedUser = {
    email: flags.as,
    sub: sub ?? flags.as,
    name: name ?? '',
    groups: flags.groups ? flags.groups.split(',').map((g) => g.trim()).filter(Boolean) : [],
    claims: extras,
  };
  const result = simulateSignIn({
    grafana: grafana.model,
    pomerium,
    route,
    host,
    grafanaVersion,
    pomeriumVersion,
    user,
    signing,
    ...(keys ? { grafanaKeys: await keys() } : pomeriumKeys ? { grafanaKeys: pomeriumKeys } : {}),
    at,
    // Grafana does nothing with jti and sid; fixed values keep the simulated claims reproducible.
    ids: { jti: 'simulated', sid: 'simulated' },
  });
  if ('error' in result) throw new UserError(result.error, { file });

  const path = result.path === 'proxy' ? "Grafana's auth proxy, with the headers Pomerium sends" : `the token Pomerium would send, signed with ${keyLabel}`;
  io.err(sanitizeText(`note: simulated sign-in of ${user.email} on ${route.from?.value ?? host} (${file}): ${path}`) + '\n');
  if (result.policy.admitted === 'unknown') io.err(sanitizeText(`note: ${result.policy.detail}`) + '\n');
  const e = result.explanation;
  print({ ...e, steps: e.steps.map(({ step, ok, detail }) => ({ step: step as Explanation['steps'][number]['step'], ok, detail })) });
  return e.verdict === 'accepted' ? 0 : 1;
}

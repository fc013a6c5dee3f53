// The command-line program: flags -> command functions; errors -> exit codes. Each command's module
// (and what it needs: yaml, jose, undici) is imported only when that command runs.
import { Command, CommanderError } from 'commander';
import { UserError, formatUserError } from './core/errors.js';
import { processIo, type Io } from './core/io.js';
import { sanitizeText } from './core/sanitize.js';
import { CURRENT_GRAFANA_VERSION, CURRENT_POMERIUM_VERSION } from './core/versions.js';
import { VERSION } from './version.js';

type CommandModule = { run(args: string[], options: Record<string, unknown>, io: Io): Promise<number> };

function action(load: () => Promise<CommandModule>) {
  return async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const options = command.opts();
    const args = command.args;
    const io = processIo();
    try {
      const mod = await load();
      process.exitCode = await mod.run(args, options, io);
    } catch (err) {
      if (err instanceof UserError) {
        io.err(sanitizeText(formatUserError(err)) + '\n');
        process.exitCode = err.exitCode;
      } else if (err instanceof RangeError && /call stack/i.test(err.message)) {
        // An input nested deeper than a parser can follow (claims 100,000 levels deep): an input error, not a crash.
        io.err('error: the input is nested too deeply to be read (a JSON or YAML value inside thousands of levels); such input is refused\n');
        process.exitCode = 2;
      } else {
        // A bug: say so in one line; the stack only with GRAFANA_POMERIUM_DEBUG.
        io.err(`error: internal error: ${sanitizeText((err as Error)?.message ?? String(err))}\n`);
        if (io.env.GRAFANA_POMERIUM_DEBUG) io.err(`${(err as Error)?.stack}\n`);
        process.exitCode = 2;
      }
    }
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `only`: build just that command (each one built costs start-up time); main() builds all when it is not one. */
export function buildProgram(only?: string): Command {
  const wanted = (name: string) => only === undefined || only === name;
  const program = new Command('grafana-pomerium')
    .description('Set up, check and debug Grafana JWT sign-in behind Pomerium')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureHelp({ sortOptions: false });

  if (wanted('init')) program
    .command('init')
    .description("write Grafana's JWT sign-in settings for the Pomerium config's Grafana route (and fix the route)")
    .option('--pomerium <path>', 'Pomerium config (YAML or JSON), or Kubernetes manifests (a file or a folder: Ingress + Pomerium resource)')
    .option('--compose <file>', "docker-compose file: its Pomerium service's environment and mounted config")
    .option('--env-file <file>', "Pomerium's environment variables, as a .env file")
    .option('--use-env', "apply this process's environment as Pomerium's")
    .option('--route <from>', "the Grafana route's from URL (when it cannot be told); with a path, the route serving it, e.g. https://h/admin")
    .option('--host <host>', "Grafana's host, for a wildcard route (https://*.example.com)")
    .option('--format <format>', 'ini, env (GF_* lines), helm (values), ingress (Grafana Ingress) or compose (environment block)', 'ini')
    .option('--write <file>', 'edit this file in place (grafana.ini, Helm values, Ingress manifest or compose file, as --format says) and print the diff')
    .option('--write-pomerium', 'apply the route fix to the --pomerium file (comments kept)')
    .option('--jwks-file <path>', 'jwk_set_file = PATH instead of jwk_set_url (see fetch-jwks)')
    .option('--auto-sign-up', 'create Grafana users on their first visit (Grafana 8.4.0+)')
    .option('--role <role>', 'role of new users: Viewer, Editor, Admin or None (default: Viewer)')
    .option('--username-claim <claim>', 'claim for the login (with --auto-sign-up default: email)')
    .option('--yes-i-mean-admin', 'allow --role Admin on a route open to any signed-in user')
    .option('--cache-ttl <duration>', "how long Grafana caches Pomerium's JWKS", '60m')
    .option('--grafana-version <version>', `Grafana release to write for (default: ${CURRENT_GRAFANA_VERSION})`)
    .option('--pomerium-version <version>', `Pomerium release (default: ${CURRENT_POMERIUM_VERSION}); when given, expect_claims also checks iss, which depends on it`)
    .option('--add-route', 'add a Grafana route to the Pomerium config (with --from and --to)')
    .option('--from <url>', 'the new route\'s public https URL')
    .option('--to <url>', "the new route's upstream, e.g. http://grafana:3000")
    .option('--allow-domain <domain>', 'the new route lets in users of this email domain')
    .option('--allow-email <email>', 'the new route lets in this user')
    .action(action(() => import('./commands/init.js')));

  if (wanted('doctor')) program
    .command('doctor')
    .description('check the Pomerium config and grafana.ini together; exit 1 on findings at or above --fail-level')
    .option('--pomerium <path>', 'Pomerium config (YAML or JSON), or Kubernetes manifests (a file or a folder: Ingress + Pomerium resource)')
    .option('--grafana <file>', 'grafana.ini')
    .option('--grafana-values <file>', "Grafana Helm chart values (the chart's grafana.ini: map and env:)")
    .option('--compose <file>', 'docker-compose file: the Grafana and Pomerium services, their environment and mounted configs')
    .option('--route <from>', "the Grafana route's from URL (when it cannot be told); with a path, the route serving it, e.g. https://h/admin")
    .option('--jwks <file>', 'the JWK Set Pomerium serves (saved), to check it holds the signing kid')
    .option('--env-file <file>', 'GF_* and Pomerium variables, as a .env file')
    .option('--use-env', "apply this process's environment (GF_* and Pomerium variables)")
    .option('--grafana-version <version>', `Grafana release to judge by (default: ${CURRENT_GRAFANA_VERSION})`)
    .option('--pomerium-version <version>', `Pomerium release to judge by (default: ${CURRENT_POMERIUM_VERSION})`)
    .option('--live', "fetch Grafana's jwk_set_url and check it holds Pomerium's signing kid")
    .option('--allow-private', '--live may fetch from loopback and private addresses (link-local and metadata addresses: never)')
    .option('--root <dir>', 'where the paths inside the configs live (then a missing file is an error)')
    .option('--format <format>', 'human, json, sarif, github or gitlab (Code Quality)', 'human')
    .option('--output-file <file>', 'write the report to a file instead of stdout')
    .option('--fail-level <level>', 'exit 1 on findings at or above: error, warning, info or none', 'error')
    .option('--ignore <rule>', 'skip a rule (repeatable)', collect)
    .option('--color', 'colour the human report')
    .option('--no-color', 'never colour')
    .option('--fix', 'apply the fixes doctor knows, in place (comments kept), then report what is left')
    .action(action(() => import('./commands/doctor.js')));

  if (wanted('fetch-jwks')) program
    .command('fetch-jwks')
    .description("get Pomerium's JWKS into a local file for Grafana's jwk_set_file (or --check that it is current)")
    .option('--url <url>', 'the JWKS URL')
    .option('--pomerium <path>', "Pomerium config or Kubernetes manifests: fetch from the Grafana route's host")
    .option('--compose <file>', "docker-compose file: its Pomerium service's environment and mounted config")
    .option('--route <from>', 'the route to use, by its from URL (when there are several)')
    .option('--env-file <file>', "Pomerium's environment variables, as a .env file")
    .option('--use-env', "apply this process's environment as Pomerium's")
    .option('--grafana <file>', "grafana.ini: fetch from its [auth.jwt] jwk_set_url")
    .option('--grafana-values <file>', 'Grafana Helm chart values: fetch from their jwk_set_url')
    .option('--from-signing-key', "no network: derive the set from the Pomerium config's signing key (or shared_secret, v0.33+)")
    .option('--pomerium-version <version>', 'Pomerium release to model (default: current)')
    .option('-o, --output <path>', 'where to write the JWK Set', 'jwks.json')
    .option('--ca-file <pem>', 'trust this CA too (added to the system roots)')
    .option('--insecure', 'do not verify the server certificate (dangerous; warned every time)')
    .option('--allow-http', 'allow a plain http:// URL (test setups)')
    .option('--timeout <duration>', 'limit for the whole fetch, retries included', '30s')
    .option('--retries <n>', 'retries on connection errors, timeouts, 429 and 5xx (0-10)', '3')
    .option('--max-age <duration>', 'skip the network while the cached file is younger; with --check, fail when older')
    .option('--check', 'write nothing; exit 1 when the file is missing, invalid, stale or differs from the source')
    .option('--json', 'print the result as JSON')
    .option('--allow-private', 'allow loopback and private addresses (link-local and metadata addresses: never)')
    .action(action(() => import('./commands/fetch-jwks.js')));

  if (wanted('explain')) program
    .command('explain')
    .description('say what Grafana will do with one X-Pomerium-Jwt-Assertion token, step by step')
    .argument('[token]', 'the token, "Bearer <token>", or a pasted header line ("-" or nothing: stdin)')
    .option('--grafana <file>', 'grafana.ini (this, --grafana-values or --compose is required)')
    .option('--grafana-values <file>', "Grafana Helm chart values (the chart's grafana.ini: map and env:)")
    .option('--compose <file>', 'docker-compose file: the Grafana service (and the Pomerium service\'s key)')
    .option('--jwks <file>', 'the JWK Set Grafana verifies with (default: the key source grafana.ini names)')
    .option('--pomerium <path>', 'Pomerium config or Kubernetes manifests: use the JWKS its signing key gives (with --jwks: tell a stale set)')
    .option('--env-file <file>', 'GF_* and Pomerium variables, as a .env file')
    .option('--use-env', "apply this process's environment (GF_* and Pomerium variables)")
    .option('--url <url>', 'fetch the JWK Set from this https URL')
    .option('--ca-file <pem>', "trust only this CA for the JWK Set URL explain fetches (--url, or grafana.ini's jwk_set_url), as Grafana trusts tls_client_ca")
    .option('--at <time>', 'check exp/nbf/iat at this time (ISO 8601 or Unix seconds; default: now)')
    .option('--grafana-version <version>', 'Grafana release to model (default: current)')
    .option('--pomerium-version <version>', 'Pomerium release to model (default: current)')
    .option('--json', 'print {"verdict", "outcome", "login", "email", "name", "role", "orgId", "orgRoles", "grafanaAdmin", "groups", "steps", "advice"}')
    .option('--as <email>', "no token: simulate this user's sign-in on the Grafana route (needs --pomerium)")
    .option('--groups <a,b>', 'with --as: the groups claim, comma-separated')
    .option('--claim <name=value>', 'with --as: an IdP claim for jwt_claims_headers (or sub, name) (repeatable)', collect)
    .option('--route <from>', "with --as: the Grafana route's from URL (when it cannot be told)")
    .action(action(() => import('./commands/explain.js')));

  if (wanted('mint')) program
    .command('mint')
    .description('print a test JWT as Pomerium would send it on the Grafana route, signed with the config\'s key')
    .option('--pomerium <path>', 'Pomerium config or Kubernetes manifests, with signing_key, signing_key_file or shared_secret')
    .option('--compose <file>', "docker-compose file: its Pomerium service's environment and mounted config")
    .option('--env-file <file>', "Pomerium's environment variables, as a .env file (e.g. SIGNING_KEY)")
    .option('--use-env', "apply this process's environment as Pomerium's")
    .option('--email <email>', 'email claim (required)')
    .option('--sub <id>', 'sub and user claims (default: the email)')
    .option('--name <name>', 'name claim')
    .option('--groups <a,b>', 'groups claim, comma-separated')
    .option('--route <from>', 'the route\'s from URL, when the config has several')
    .option('--ttl <duration>', 'lifetime (Pomerium: 5m)', '5m')
    .option('--claim <name=value>', 'a jwt_claims_headers claim as the IdP gives it (repeatable)', collect)
    .option('--pomerium-version <version>', 'Pomerium release to model (default: current)')
    .option('--iat <time>', "before v0.27: the ID token's issued-at, which Pomerium used as iat (ISO 8601 or Unix seconds; default: now)")
    .option('--session-expiry <time>', "before v0.27: the session's expiry, which capped exp (ISO 8601 or Unix seconds)")
    .action(action(() => import('./commands/mint.js')));

  if (wanted('show-ini')) program
    .command('show-ini')
    .description('print what Grafana reads from one grafana.ini (go-ini rules)')
    .argument('<file>', 'grafana.ini to read ("-" for stdin)')
    .option('--json', 'print go-ini\'s exact result as JSON ({"sections":[...],"error":null}); secret values masked unless --show-secrets')
    .option('--show-secrets', 'do not mask secret values (by key name or by shape: URL passwords, PEM blocks, long keys)')
    .action(action(() => import('./commands/show-ini.js')));

  if (wanted('rule')) program
    .command('rule')
    .description("print a rule's documentation page (it ships with the tool), or --list every rule")
    .argument('[id]', 'the rule id a finding shows, e.g. grafana/jwt-header-name')
    .option('--list', 'list every rule with its severity and a one-line summary')
    .action(action(() => import('./commands/rule.js')));

  if (wanted('smoke')) program
    .command('smoke')
    .description("send the token Pomerium would send to the running Grafana, and compare its answer with what explain predicts from the files")
    .option('--pomerium <path>', 'Pomerium config or Kubernetes manifests, with the signing key')
    .option('--compose <file>', 'docker-compose file: its Pomerium and Grafana services')
    .option('--grafana <file>', 'grafana.ini (what the prediction comes from)')
    .option('--grafana-values <file>', 'Grafana Helm chart values')
    .option('--env-file <file>', 'GF_* and Pomerium variables, as a .env file')
    .option('--use-env', "apply this process's environment (GF_* and Pomerium variables)")
    .option('--as <email>', 'the user Pomerium would send (email claim; required)')
    .option('--name <name>', 'name claim')
    .option('--groups <a,b>', 'groups claim, comma-separated')
    .option('--route <from>', "the Grafana route's from URL, when the config has several")
    .option('--grafana-url <url>', "Grafana's own address, as the route's to: reaches it (default: GRAFANA_URL)")
    .option('--ca-file <pem>', 'trust this CA too (added to the system roots)')
    .option('--grafana-version <version>', `Grafana release to predict for (default: ${CURRENT_GRAFANA_VERSION})`)
    .option('--pomerium-version <version>', `Pomerium release to mint as (default: ${CURRENT_POMERIUM_VERSION})`)
    .action(action(() => import('./commands/smoke.js')));

  const users = program.command('users').description("Grafana users for the people Pomerium lets in (the guide's \"Add Users to Grafana\" step), over Grafana's HTTP API");
  if (wanted('users')) users
    .command('add')
    .description('create a Grafana user as Server Admin -> Users -> New user does, or bring an existing one to the asked role (idempotent)')
    .option('--email <email>', 'the email the identity provider sends (required)')
    .option('--name <name>', 'display name')
    .option('--login <login>', 'login (default: the email)')
    .option('--role <role>', 'org role: Viewer, Editor or Admin (default: what Grafana gives, or what the user has)')
    .option('--grafana-admin', 'also make the user a Grafana server admin')
    .option('--org <id>', 'organization id (default: 1, the Main Org.)')
    .option('--dry-run', 'say what would change, change nothing')
    .option('--grafana-url <url>', 'Grafana (default: GRAFANA_URL); credentials come from GRAFANA_AUTH (user:password or a token)')
    .option('--ca-file <pem>', 'trust this CA too (added to the system roots)')
    .action(action(() => import('./commands/users.js').then((m) => ({ run: m.runAdd }))));
  if (wanted('users')) users
    .command('check')
    .description("check that everyone the Grafana route's policy names has a Grafana user (when auto_sign_up is off); exit 1 when some are missing")
    .option('--pomerium <path>', 'Pomerium config or Kubernetes manifests (the route and its policy)')
    .option('--compose <file>', 'docker-compose file: the Pomerium and Grafana services')
    .option('--grafana <file>', 'grafana.ini (for [auth.jwt] auto_sign_up)')
    .option('--grafana-values <file>', 'Grafana Helm chart values')
    .option('--env-file <file>', 'GF_* and Pomerium variables, as a .env file')
    .option('--use-env', "apply this process's environment (GF_* and Pomerium variables)")
    .option('--route <from>', "the Grafana route's from URL (when it cannot be told)")
    .option('--grafana-version <version>', `Grafana release to judge by (default: ${CURRENT_GRAFANA_VERSION})`)
    .option('--pomerium-version <version>', `Pomerium release (default: ${CURRENT_POMERIUM_VERSION})`)
    .option('--grafana-url <url>', 'Grafana (default: GRAFANA_URL); credentials come from GRAFANA_AUTH (user:password or a token)')
    .option('--ca-file <pem>', 'trust this CA too (added to the system roots)')
    .action(action(() => import('./commands/users.js').then((m) => ({ run: m.runCheck }))));

  return program;
}

export async function main(argv: string[]): Promise<void> {
  let program = buildProgram(argv[2]);
  if (!program.commands.some((c) => c.name() === argv[2])) program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with code 0; every usage error is "could not run" (2).
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    throw err;
  }
}



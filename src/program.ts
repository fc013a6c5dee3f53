// The command-line program: flags -> command functions; errors -> exit codes. Each command's module
// (and what it needs: yaml, jose, undici) is imported only when that command runs.
import { Command, CommanderError, Option } from 'commander';
import { UserError, formatUserError } from './core/errors.js';
import { processIo, type Io } from './core/io.js';
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
        io.err(formatUserError(err) + '\n');
        process.exitCode = err.exitCode;
      } else {
        // A bug: say so in one line; the stack only with GRAFANA_POMERIUM_DEBUG.
        io.err(`error: internal error: ${(err as Error)?.message ?? String(err)}\n`);
        if (io.env.GRAFANA_POMERIUM_DEBUG) io.err(`${(err as Error)?.stack}\n`);
        process.exitCode = 2;
      }
    }
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(): Command {
  const program = new Command('grafana-pomerium')
    .description('Set up, check and debug Grafana JWT sign-in behind Pomerium')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureHelp({ sortOptions: false });

  program
    .command('show-ini')
    .description('print what Grafana reads from one grafana.ini (go-ini rules)')
    .argument('<file>', 'grafana.ini to read ("-" for stdin)')
    .option('--json', 'print go-ini\'s result as JSON ({"sections":[...],"error":null})')
    .action(action(() => import('./commands/show-ini.js')));

  // [commands]: each command adds its block above this line.
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
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

export { Option, collect };

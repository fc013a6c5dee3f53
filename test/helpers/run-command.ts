// Runs a command module's `run` as the CLI does (UserError -> message on stderr, its exit code),
// with an Io that records stdout and stderr.
import { UserError, formatUserError } from '../../src/core/errors.js';
import type { Io } from '../../src/core/io.js';

export interface Transcript {
  code: number;
  stdout: string;
  stderr: string;
}

export function testIo(cwd: string, env: Record<string, string | undefined> = {}, now = () => new Date()): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => void stdout.push(t),
    err: (t) => void stderr.push(t),
    env,
    cwd,
    stdoutIsTTY: false,
    readStdin: async () => '',
    now,
  };
}

export async function transcript(io: ReturnType<typeof testIo>, run: () => Promise<number>): Promise<Transcript> {
  let code: number;
  try {
    code = await run();
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    io.err(formatUserError(err) + '\n');
    code = err.exitCode;
  }
  return { code, stdout: io.stdout.join(''), stderr: io.stderr.join('') };
}

import { UserError } from './errors.js';

/** What a command may touch of the outside world; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Whether stdout is a terminal (for colour). */
  stdoutIsTTY: boolean;
  /** Whether stderr is a terminal (then slow network commands say what they wait for). */
  stderrIsTTY?: boolean;
  /** Standard input as text; over MAX_STDIN_BYTES it is refused while reading (never held whole in memory). */
  readStdin(): Promise<string>;
  now(): Date;
}

/** The limit for every input, files and standard input alike (a config or a token is small). */
export const MAX_STDIN_BYTES = 10 * 1024 * 1024;

/** Reads a stream to its end, refusing it once it passes `limit` bytes. */
export async function readLimited(stream: AsyncIterable<Buffer | string>, limit = MAX_STDIN_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limit) throw new UserError(`standard input is over ${limit / 1024 / 1024} MiB; such input is refused (is it the right input?)`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

let pipeHandled = false;

/** A reader that closed the pipe (`| head -1`) has all it wants: end quietly, not with a stack trace. */
function endQuietlyOnClosedPipe(): void {
  if (pipeHandled) return;
  pipeHandled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      throw err;
    });
  }
}

export function processIo(): Io {
  endQuietlyOnClosedPipe();
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    readStdin: () => readLimited(process.stdin),
    now: () => new Date(),
  };
}

import { fstatSync, writeSync } from 'node:fs';
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

let ioMade = false;
let streamsUsed = false;

/**
 * True when a command's output went out through processIo and all of it was written synchronously (no
 * Node stream holds any): the process may then end with process.exit(), which spares Node's teardown.
 */
export function allOutputWritten(): boolean {
  return ioMade && !streamsUsed;
}

/**
 * Writes to fd 1 or 2 with fs.writeSync while that works, which spares creating process.stdout and
 * process.stderr (on a pipe a net.Socket each, a few ms of every run). Anything unusual (a full
 * non-blocking pipe, a closed reader, a closed fd) hands this and every later write to the Node
 * stream, which handles it as before. On Windows the streams always (the console wants UTF-16).
 */
function writer(fd: 1 | 2): (text: string) => void {
  let direct = process.platform !== 'win32';
  const stream = () => {
    streamsUsed = true;
    endQuietlyOnClosedPipe();
    return fd === 1 ? process.stdout : process.stderr;
  };
  return (text) => {
    if (!direct) {
      stream().write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(fd, bytes, done);
    } catch {
      direct = false;
      // The bytes not written yet (a partial write may have split a character).
      stream().write(bytes.subarray(done));
    }
  };
}

/** Whether fd 1 or 2 is a terminal. node:tty loads node:net, so only a character device is asked (every terminal is one). */
function isTerminal(fd: 1 | 2): boolean {
  if (process.platform === 'win32') return Boolean((fd === 1 ? process.stdout : process.stderr).isTTY);
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

export function processIo(): Io {
  ioMade = true;
  let stdoutIsTTY: boolean | undefined;
  let stderrIsTTY: boolean | undefined;
  return {
    out: writer(1),
    err: writer(2),
    env: process.env,
    cwd: process.cwd(),
    get stdoutIsTTY() {
      return (stdoutIsTTY ??= isTerminal(1));
    },
    get stderrIsTTY() {
      return (stderrIsTTY ??= isTerminal(2));
    },
    readStdin: () => readLimited(process.stdin),
    now: () => new Date(),
  };
}

// Reading the files a command is given: one place for size limits, error wording and env files.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseEnvFile } from '../core/env-file.js';
import { checkNesting } from '../core/nesting.js';
import { resolveUnderRoot } from '../core/root.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { Span } from '../core/span.js';
import { CURRENT_GRAFANA_VERSION, CURRENT_POMERIUM_VERSION } from '../core/versions.js';
import { parseVersion } from '../grafana/version.js';
import type { FileLookup } from '../rules/types.js';

/** Config files are small; anything larger is a mistake (a log, a binary) and is refused. */
const MAX_INPUT_BYTES = 10 * 1024 * 1024;

export interface InputFile {
  /** The path as the user gave it (findings and messages use it). */
  file: string;
  text: string;
}

/** Reads a file named on the command line ("-" is stdin), or fails with one clear message (exit 2). */
export async function readInput(path: string, what: string, io: Io): Promise<InputFile> {
  if (path === '-') {
    const text = await io.readStdin();
    if (Buffer.byteLength(text) > MAX_INPUT_BYTES) throw new UserError(`the ${what} on standard input is over 10 MiB; such input is refused (is it the right file?)`);
    return checkedInput({ file: '<stdin>', text }, what);
  }
  const full = resolve(io.cwd, path);
  let size: number;
  try {
    const st = statSync(full);
    if (st.isDirectory()) throw new UserError(`${what} ${path} is a directory, not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read ${what} ${path}: ${fsReason(err)}`);
  }
  if (size > MAX_INPUT_BYTES) {
    throw new UserError(`${what} ${path} is ${(size / 1024 / 1024).toFixed(1)} MiB; files over 10 MiB are refused (is it the right file?)`);
  }
  try {
    let text = readFileSync(full, 'utf8');
    // A UTF-8 byte order mark is not part of the text (go-ini and YAML both skip it).
    if (text.charCodeAt(0) === 0xfeff && what !== 'grafana.ini') text = text.slice(1);
    return checkedInput({ file: path, text }, what);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read ${what} ${path}: ${fsReason(err)}`);
  }
}

/**
 * `--pomerium` when it may be Kubernetes manifests: a folder gives its `.yaml`/`.yml`/`.json` files (sorted, as
 * `kubectl apply -f DIR` takes them); a file is read as usual and judged by its content.
 */
export async function readManifestInput(path: string, io: Io): Promise<{ isFolder: boolean; files: InputFile[] }> {
  let isFolder = false;
  try {
    isFolder = path !== '-' && statSync(resolve(io.cwd, path)).isDirectory();
  } catch {
    // readInput says why the file cannot be read
  }
  if (!isFolder) return { isFolder, files: [await readInput(path, 'Pomerium config', io)] };
  const names = readdirSync(resolve(io.cwd, path)).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
  if (names.length === 0) throw new UserError(`Pomerium config ${path} is a directory with no .yaml, .yml or .json files`, { hint: 'a folder is read as Kubernetes manifests (Ingress + Pomerium resource)' });
  return { isFolder, files: await Promise.all(names.map((n) => readInput(join(path, n), 'Kubernetes manifest', io))) };
}

/** YAML and JSON inputs nested deeper than any real one are refused before a parser recurses into them. */
function checkedInput(input: InputFile, what: string): InputFile {
  if (what !== 'grafana.ini' && what !== 'env file' && what !== 'CA file') checkNesting(input.text, input.file === '<stdin>' ? `the ${what} on standard input` : `${what} ${input.file}`);
  return input;
}

export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return (err as Error)?.message ?? String(err);
}

export interface LoadedEnv {
  env: Record<string, string | undefined>;
  spans: Map<string, { nameSpan: Span; valueSpan: Span }>;
}

/** `--env-file FILE` (with positions) or `--use-env` (this process's environment); neither: empty. */
export async function loadEnv(flags: { envFile?: string; useEnv?: boolean }, io: Io): Promise<LoadedEnv> {
  if (flags.envFile && flags.useEnv) throw new UserError('--env-file and --use-env cannot be used together');
  if (flags.useEnv) return { env: { ...io.env }, spans: new Map() };
  if (!flags.envFile) return { env: {}, spans: new Map() };
  const input = await readInput(flags.envFile, 'env file', io);
  const parsed = parseEnvFile(input.text, input.file);
  const first = parsed.errors[0];
  if (first) throw new UserError(first.message, { span: first.span });
  const env: Record<string, string> = {};
  const spans = new Map<string, { nameSpan: Span; valueSpan: Span }>();
  for (const e of parsed.entries) {
    env[e.name] = e.value;
    spans.set(e.name, { nameSpan: e.nameSpan, valueSpan: e.valueSpan });
  }
  return { env, spans };
}

/**
 * How rules read files the configs name (`jwk_set_file`, `signing_key_file`, `$__file{}`): those
 * paths usually belong to a container. With `root` (--root DIR) a path is looked up under it and a
 * missing file is an error; without, a path that is not here is "could not check".
 */
export function configFileReader(io: Io, root?: string): (path: string) => FileLookup {
  return (path) => {
    const confined = root ? resolveUnderRoot(resolve(io.cwd, root), path) : null;
    if (confined && !confined.inside) return { status: 'unknown', path, reason: `not read: ${confined.reason}` };
    const full = confined ? confined.path : isAbsolute(path) ? path : resolve(io.cwd, path);
    try {
      if (statSync(full).size > MAX_INPUT_BYTES) return { status: 'unknown', path, reason: 'larger than 10 MiB' };
      return { status: 'ok', text: readFileSync(full, 'utf8'), path };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException)?.code;
      if (root && code === 'ENOENT') return { status: 'missing', path };
      return { status: 'unknown', path, reason: root ? fsReason(err) : `not found where doctor runs (pass --root DIR if the paths live under DIR)` };
    }
  };
}

/** `--grafana-version` / `--pomerium-version`: checked, without a leading `v`; the current release when absent. */
export function versionOption(value: string | undefined, flag: '--grafana-version' | '--pomerium-version'): string {
  const current = flag === '--grafana-version' ? CURRENT_GRAFANA_VERSION : CURRENT_POMERIUM_VERSION;
  if (value === undefined) return current;
  if (!parseVersion(value)) throw new UserError(`${flag} ${JSON.stringify(value)} is not a version`, { hint: `write it like ${current}` });
  return value.replace(/^v/, '');
}

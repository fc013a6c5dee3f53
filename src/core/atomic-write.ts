// The one writer of the tool (init --write, --write-pomerium, doctor --fix, doctor --output-file, fetch-jwks -o and
// its sidecar). A file it replaces keeps its mode, owner and group; a symbolic link is written through, to its
// target, atomically in the target's folder (a ConfigMap mount or an /etc/grafana link stays a link); a new file is
// never wider than 0644, 0600 when it holds a secret. What it wrote is read back and checked before it replaces
// anything. Temp files have short names (a 245-character target name still works), are removed on SIGINT/SIGTERM,
// and the ones a killed run of this tool left behind are removed the next time it writes in that folder.
import { randomBytes } from 'node:crypto';
// fs.promises, not node:fs/promises: that loads on first use (at start it costs every doctor and init run ~3 ms).
import { lstatSync, promises as fsp, readFileSync, readdirSync, readlinkSync, rmSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from './errors.js';

export interface WriteOptions {
  /** Mode of a new file (default 0644); capped at 0644. A file that exists keeps its own mode. */
  mode?: number;
  /** The content holds a secret: a new file gets 0600. */
  secret?: boolean;
  /**
   * Checks the bytes as read back from the temp file; returns a reason to refuse (nothing is replaced) or null.
   * An edit passes a check that parses the result and compares it with the values it meant to write.
   */
  verify?: (written: string) => string | null;
  /** The text is an edit of the file: when the file starts with a UTF-8 BOM and `data` does not, the BOM is kept. */
  keepBom?: boolean;
}

/** A write made ready (temp file complete, checked) but not yet visible: commit renames it over the target. */
export interface PreparedWrite {
  /** The file that will be replaced (the symlink's target when the path is a link). */
  target: string;
  /** Renames the temp file over the target; with `keepOld`, the old file stays reachable for `restore` until `finish`. */
  commit(keepOld?: boolean): Promise<void>;
  /** After a commit with `keepOld`: puts the old file (or no file) back. */
  restore(): Promise<void>;
  /** Before a commit: removes the temp file; after one: drops the kept old file. */
  finish(): Promise<void>;
}

const TEMP_PREFIX = '.gp-';
const BOM = '\ufeff';

function startsWithBom(path: string): boolean {
  try {
    const bytes = readFileSync(path).subarray(0, 3);
    return bytes.length === 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  } catch {
    return false;
  }
}
const TEMP_NAME = /^\.gp-(\d+)-[0-9a-f]{8}\.(tmp|bak)$/;
/** The temp name the releases before this writer used for `name` (`.NAME.<12 hex>.tmp`), removed as stale too. */
const isOldTempName = (file: string, name: string) => file.startsWith(`.${name}.`) && /^\.[0-9a-f]{12}\.tmp$/.test(file.slice(name.length + 1));

/** Temp files of this process, removed on SIGINT/SIGTERM. */
const liveTemps = new Set<string>();
let signalsHooked = false;

function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const temp of liveTemps) rmSync(temp, { force: true });
      // The shell's convention: 128 + the signal number.
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Replaces `path` with `data` atomically (see the file comment); on failure the old file is untouched. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  const prepared = await prepareWrite(path, data, options);
  try {
    await prepared.commit();
  } finally {
    await prepared.finish();
  }
}

/**
 * Writes several files as one change: all are prepared (written and checked) first, then committed in order; when a
 * commit fails, the ones already committed are restored. `init --write … --write-pomerium` uses it.
 */
export async function writeFilesAtomic(files: readonly { path: string; data: string | Uint8Array; options?: WriteOptions }[]): Promise<void> {
  const prepared: PreparedWrite[] = [];
  try {
    for (const f of files) prepared.push(await prepareWrite(f.path, f.data, f.options ?? {}));
    const committed: PreparedWrite[] = [];
    try {
      for (const p of prepared) {
        await p.commit(true);
        committed.push(p);
      }
    } catch (err) {
      for (const done of committed.reverse()) await done.restore().catch(() => {});
      throw err;
    }
  } finally {
    for (const p of prepared) await p.finish();
  }
}

/** Where a write to `path` really lands: the final target of a symbolic link (which may not exist yet). */
export function writeTarget(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let st: Stats;
    try {
      st = lstatSync(current);
    } catch {
      // Missing: a new file here; its folder may itself be reached through links, which rename follows.
      return current;
    }
    if (!st.isSymbolicLink()) return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw new UserError(`could not write ${path}: too many levels of symbolic links`);
}

export async function prepareWrite(path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<PreparedWrite> {
  const target = writeTarget(path);
  const dir = dirname(target);
  removeStaleTemps(dir, basename(target));
  let existing: Stats | null = null;
  try {
    existing = statSync(target);
  } catch {
    existing = null;
  }
  if (existing?.isDirectory()) throw new UserError(`could not write ${path}: ${describeFsError({ code: 'EISDIR' })}`);
  if (options.keepBom && existing && typeof data === 'string' && !data.startsWith(BOM) && startsWithBom(target)) data = BOM + data;
  const newMode = (options.mode ?? 0o644) & 0o644 & (options.secret ? 0o600 : 0o644);
  const mode = existing ? existing.mode & 0o7777 : newMode;
  const temp = tempName(dir, 'tmp');
  hookSignals();
  liveTemps.add(temp);
  const fail = async (err: unknown): Promise<never> => {
    await fsp.rm(temp, { force: true });
    liveTemps.delete(temp);
    throw err instanceof UserError ? err : new UserError(`could not write ${path}: ${describeFsError(err)}`);
  };
  try {
    const handle = await fsp.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      if (existing && (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.())) {
        try {
          await handle.chown(existing.uid, existing.gid);
        } catch {
          throw new UserError(`could not write ${path}: it belongs to uid ${existing.uid}, gid ${existing.gid}, which this user cannot give a new file`, {
            hint: 'run as that user (or root), or edit the file by hand',
          });
        }
      }
      await handle.chmod(mode); // after chown, which clears set-id bits; open() applied the umask
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.verify) {
      const written = await fsp.readFile(temp, 'utf8');
      const reason = options.verify(written.startsWith(BOM) ? written.slice(1) : written);
      if (reason !== null) throw new UserError(`refusing to write ${path}: ${reason}`, { hint: 'the file is unchanged; please report this as a bug' });
    }
  } catch (err) {
    return fail(err);
  }

  let backup: string | null = null;
  let committed = false;
  const dropBackup = async () => {
    if (!backup) return;
    await fsp.rm(backup, { force: true });
    liveTemps.delete(backup);
    backup = null;
  };
  return {
    target,
    commit: async (keepOld = false) => {
      try {
        if (existing && keepOld) {
          // A second name for the old file (same inode: mode, owner and bytes), so that it can be put back.
          const name = tempName(dir, 'bak');
          liveTemps.add(name);
          await fsp.link(target, name);
          backup = name;
        }
        await fsp.rename(temp, target);
        liveTemps.delete(temp);
        committed = true;
      } catch (err) {
        await dropBackup();
        return fail(err);
      }
      await syncDirectory(dir);
    },
    restore: async () => {
      if (!committed) return;
      if (backup) {
        await fsp.rename(backup, target);
        liveTemps.delete(backup);
        backup = null;
      } else {
        await fsp.rm(target, { force: true });
      }
      await syncDirectory(dir);
    },
    finish: async () => {
      if (!committed) {
        await fsp.rm(temp, { force: true });
        liveTemps.delete(temp);
      }
      await dropBackup();
    },
  };
}

function tempName(dir: string, kind: 'tmp' | 'bak'): string {
  return join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}.${kind}`);
}

/** Removes temp files a killed run of this tool left in `dir` (its process is gone; older releases' names: older than a minute). */
function removeStaleTemps(dir: string, targetName: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const ours = TEMP_NAME.exec(name);
    const full = join(dir, name);
    try {
      if (ours) {
        if (Number(ours[1]) === process.pid || processIsAlive(Number(ours[1]))) continue;
      } else if (!isOldTempName(name, targetName) || Date.now() - lstatSync(full).mtimeMs < 60_000) {
        continue;
      }
      if (lstatSync(full).isFile()) rmSync(full, { force: true });
    } catch {
      /* gone meanwhile, or not ours to remove */
    }
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Best effort: some platforms and file systems cannot fsync a directory; the data is already renamed.
  try {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* the rename is done; durability of the directory entry is all that is lost */
  }
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'the folder does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'the file name is too long',
};

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return (code ? FS_REASONS[code] : undefined) ?? (err as Error)?.message ?? String(err);
}

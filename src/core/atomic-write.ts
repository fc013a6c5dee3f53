import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from './errors.js';

/**
 * Replaces `path` with `data` so that a reader (or a crash) sees the old file or the new one, never
 * a mix: write a temp file in the same folder (rename is atomic only within one file system), fsync
 * it, rename it over the target, then fsync the folder so the rename itself survives a power cut.
 * On failure the temp file is removed and the old file is untouched.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const mode = options.mode ?? 0o644;
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode); // open() applies the umask; the mode asked for is the mode wanted
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw new UserError(`could not write ${path}: ${describeFsError(err)}`);
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  // Best effort: some platforms and file systems cannot fsync a directory; the data is already renamed.
  try {
    const handle = await open(dir, 'r');
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
};

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return (code ? FS_REASONS[code] : undefined) ?? (err as Error)?.message ?? String(err);
}

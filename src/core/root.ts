// `--root DIR`: the paths a config names (`$__file{}`, signing_key_file, jwk_set_file, shared_secret_file,
// tls_*_file, ...) are looked up under DIR, and only under it. `..`, absolute paths and symbolic links are
// resolved first and the result is checked to lie inside DIR, so a config from a pull request cannot make
// doctor read /proc/self/environ or a runner's token file through `../../x` or a link out of the root.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export type RootLookup = { inside: true; path: string } | { inside: false; reason: string };

/** Where `path` (as a config names it) lives under `root`, after `..` and symlinks; or why it is not inside. */
export function resolveUnderRoot(root: string, path: string): RootLookup {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return { inside: false, reason: `--root ${root} cannot be read` };
  }
  const lexical = resolve(realRoot, isAbsolute(path) ? `.${sep}${path}` : path);
  if (!within(realRoot, lexical)) return { inside: false, reason: 'it points outside --root' };
  const real = realpathOfExistingPart(lexical);
  if (!within(realRoot, real)) return { inside: false, reason: 'a symbolic link leads outside --root' };
  return { inside: true, path: real };
}

function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real path of the longest existing prefix of `path`, with the missing rest appended (a missing file stays missing). */
function realpathOfExistingPart(path: string): string {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync(current), ...missing.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ELOOP, EACCES...: cannot be resolved, so cannot be shown to be inside: treat as outside by returning the root's parent.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return resolve(path, '/');
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(current.slice(parent.length).replace(/^[\\/]/, ''));
      current = parent;
    }
  }
}

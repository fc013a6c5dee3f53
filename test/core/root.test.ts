// --root confinement (src/core/root.ts): `..`, absolute paths and symlinks are resolved before the prefix check.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveUnderRoot } from '../../src/core/root.js';
import { configFileReader } from '../../src/commands/inputs.js';
import { testIo } from '../helpers/run-command.js';

function layout() {
  const base = mkdtempSync(join(tmpdir(), 'gp-root-'));
  const root = join(base, 'root');
  mkdirSync(join(root, 'etc', 'grafana'), { recursive: true });
  writeFileSync(join(base, 'outside.txt'), 'OUTSIDE-SECRET');
  writeFileSync(join(root, 'etc', 'grafana', 'inside.txt'), 'inside');
  symlinkSync(join(base, 'outside.txt'), join(root, 'etc', 'grafana', 'link-out'));
  symlinkSync(join(base), join(root, 'dir-out'));
  symlinkSync('inside.txt', join(root, 'etc', 'grafana', 'link-in'));
  return { base, root };
}

describe('resolveUnderRoot', () => {
  it('reads absolute and relative paths under the root and links that stay inside', () => {
    const { root } = layout();
    expect(resolveUnderRoot(root, '/etc/grafana/inside.txt')).toMatchObject({ inside: true });
    expect(resolveUnderRoot(root, 'etc/grafana/link-in')).toMatchObject({ inside: true, path: join(root, 'etc', 'grafana', 'inside.txt') });
    expect(resolveUnderRoot(root, '/etc/grafana/missing')).toMatchObject({ inside: true });
  });

  it('refuses `..` out of the root, a symlinked file or folder leading out', () => {
    const { root } = layout();
    expect(resolveUnderRoot(root, '../outside.txt')).toEqual({ inside: false, reason: 'it points outside --root' });
    expect(resolveUnderRoot(root, '/etc/../../outside.txt')).toEqual({ inside: false, reason: 'it points outside --root' });
    expect(resolveUnderRoot(root, '/etc/grafana/link-out')).toEqual({ inside: false, reason: 'a symbolic link leads outside --root' });
    expect(resolveUnderRoot(root, '/dir-out/outside.txt')).toEqual({ inside: false, reason: 'a symbolic link leads outside --root' });
  });

  it('configFileReader never reads a file outside --root: "could not check"', () => {
    const { base, root } = layout();
    const read = configFileReader(testIo(base), root);
    for (const path of ['../outside.txt', '/etc/grafana/link-out', '/dir-out/outside.txt']) {
      const found = read(path);
      expect(found.status, path).toBe('unknown');
      expect(JSON.stringify(found)).not.toContain('OUTSIDE-SECRET');
    }
    expect(read('/etc/grafana/inside.txt')).toMatchObject({ status: 'ok', text: 'inside' });
  });
});

import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { writeFileAtomic } from '../../src/core/atomic-write.js';
import { bundleScript, srcModule } from '../helpers/bundle-script.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'gp-atomic-'));

describe('writeFileAtomic', () => {
  it('creates and replaces a file with mode 0644 whatever the umask, leaving no temp file', async () => {
    const dir = tempDir();
    const path = join(dir, 'jwks.json');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir)).toEqual(['jwks.json']);
  });

  it('honours another mode', async () => {
    const path = join(tempDir(), 'grafana.ini');
    await writeFileAtomic(path, 'x', { mode: 0o600 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('fails with a plain message and leaves the old file byte-identical', async () => {
    const dir = tempDir();
    const path = join(dir, 'jwks.json');
    writeFileSync(path, 'old');
    chmodSync(dir, 0o500);
    try {
      const err = await writeFileAtomic(path, 'new').then(() => null, (e: unknown) => e);
      // root ignores directory permissions; the property that matters still holds below.
      if (err) {
        expect(err).toBeInstanceOf(UserError);
        expect((err as Error).message).toBe(`could not write ${path}: permission denied`);
        expect(readFileSync(path, 'utf8')).toBe('old');
      }
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('refuses to write over a folder, keeping it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'out'));
    await expect(writeFileAtomic(join(dir, 'out'), 'x')).rejects.toThrow(/could not write .*out: /);
    expect(statSync(join(dir, 'out')).isDirectory()).toBe(true);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('reports a missing folder', async () => {
    await expect(writeFileAtomic(join(tempDir(), 'no', 'jwks.json'), 'x')).rejects.toThrow(/the folder does not exist/);
  });
});

describe('a process killed while writing', () => {
  it('leaves the old or the new complete file, never a partial or empty one', async () => {
    const dir = tempDir();
    // The writer loops forever replacing the file with A and B (large, so a kill lands mid-write).
    const script = await bundleScript(
      dir,
      'writer.mjs',
      `import { readFileSync } from 'node:fs';
          import { writeFileAtomic } from ${srcModule('core/atomic-write.ts')};
          const [path, a, b] = process.argv.slice(2).map((p, i) => (i ? readFileSync(p, 'utf8') : p));
          process.stdout.write('ready\\n');
          for (let i = 0; ; i++) await writeFileAtomic(path, i % 2 ? a : b);`,
    );
    const path = join(dir, 'jwks.json');
    const a = JSON.stringify({ keys: [], pad: 'a'.repeat(256 * 1024) });
    const b = JSON.stringify({ keys: [], pad: 'b'.repeat(256 * 1024) });
    writeFileSync(path, a);
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const child = spawn(process.execPath, [script, path, join(dir, 'a'), join(dir, 'b')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_EXTRA_CA_CERTS: '' } });
      await new Promise((resolve) => child.stdout.once('data', resolve));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const text = readFileSync(path, 'utf8');
      expect(text === a || text === b).toBe(true);
      seen.add(text === a ? 'a' : 'b');
    }
    expect(seen.size).toBe(2);
  }, 60_000);
});

// Issue 11 items 2, 7, 10, 11, 16: the one atomic writer (src/core/atomic-write.ts).
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareWrite, writeFileAtomic, writeFilesAtomic } from '../../src/core/atomic-write.js';
import { run as fetchJwks } from '../../src/commands/fetch-jwks.js';
import { bundleScript, srcModule } from '../helpers/bundle-script.js';
import { testIo, transcript } from '../helpers/run-command.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'gp-writer-'));

describe('modes, owners and links', () => {
  it('keeps the mode, owner and group of the file it replaces', async () => {
    const dir = tempDir();
    const path = join(dir, 'pomerium.yaml');
    writeFileSync(path, 'shared_secret: x\n');
    chmodSync(path, 0o600);
    chownSync(path, 4321, 8765);
    await writeFileAtomic(path, 'shared_secret: y\n');
    const st = statSync(path);
    expect([st.mode & 0o7777, st.uid, st.gid]).toEqual([0o600, 4321, 8765]);
  });

  it('creates new files no wider than 0644, 0600 when they hold a secret', async () => {
    const dir = tempDir();
    await writeFileAtomic(join(dir, 'wide'), 'x', { mode: 0o777 });
    await writeFileAtomic(join(dir, 'secret'), 'x', { secret: true });
    expect(statSync(join(dir, 'wide')).mode & 0o777).toBe(0o644);
    expect(statSync(join(dir, 'secret')).mode & 0o777).toBe(0o600);
  });

  it('writes through a chain of links to the target, atomically in the target folder', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'grafana.ini'), 'old');
    symlinkSync(join(dir, 'real', 'grafana.ini'), join(dir, 'one'));
    symlinkSync('one', join(dir, 'two'));
    await writeFileAtomic(join(dir, 'two'), 'new');
    expect(lstatSync(join(dir, 'two')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'one')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'grafana.ini'), 'utf8')).toBe('new');
  });

  it('refuses to replace a file when the bytes read back fail the check', async () => {
    const dir = tempDir();
    const path = join(dir, 'grafana.ini');
    writeFileSync(path, 'old');
    await expect(writeFileAtomic(path, 'new', { verify: () => 'does not parse to the intended values' })).rejects.toThrow(/refusing to write .*does not parse/);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['grafana.ini']);
  });
});

describe('item 11: two files change together', () => {
  it('commits neither when the second cannot be prepared', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a'), 'a-old');
    mkdirSync(join(dir, 'b')); // a folder: the second write cannot happen
    await expect(writeFilesAtomic([{ path: join(dir, 'a'), data: 'a-new' }, { path: join(dir, 'b'), data: 'b-new' }])).rejects.toThrow();
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('a-old');
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  });

  it('restores the first file (bytes, mode, owner) when the second commit fails', async () => {
    const dir = tempDir();
    const first = join(dir, 'grafana.ini');
    writeFileSync(first, 'old');
    chmodSync(first, 0o640);
    chownSync(first, 1111, 2222);
    const a = await prepareWrite(first, 'new');
    const b = await prepareWrite(join(dir, 'second'), 'x');
    await a.commit(true);
    expect(readFileSync(first, 'utf8')).toBe('new');
    mkdirSync(join(dir, 'second')); // the second target became a folder between prepare and commit
    writeFileSync(join(dir, 'second', 'keep'), '');
    await expect(b.commit(true)).rejects.toThrow();
    await a.restore();
    await a.finish();
    await b.finish();
    expect(readFileSync(first, 'utf8')).toBe('old');
    const st = statSync(first);
    expect([st.mode & 0o777, st.uid, st.gid]).toEqual([0o640, 1111, 2222]);
    expect(readdirSync(dir).sort()).toEqual(['grafana.ini', 'second']);
  });
});

describe('items 10 and 16: temp files', () => {
  it('removes stale temp files of this tool (a dead process, or the old naming) next to the target', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.gp-999999999-0123abcd.tmp'), 'shared_secret: leaked');
    const old = join(dir, '.pomerium.yaml.0123456789ab.tmp');
    writeFileSync(old, 'shared_secret: leaked');
    const { utimesSync } = await import('node:fs');
    utimesSync(old, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    writeFileSync(join(dir, 'unrelated.tmp'), 'keep');
    await writeFileAtomic(join(dir, 'pomerium.yaml'), 'x');
    expect(readdirSync(dir).sort()).toEqual(['pomerium.yaml', 'unrelated.tmp']);
  });

  it('removes its temp file on SIGTERM and SIGINT during a write', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const dir = tempDir();
      // Prepares a write (the temp file exists, holding the new content) and waits before committing it.
      const script = await bundleScript(
        dir,
        'writer.mjs',
        `import { prepareWrite } from ${srcModule('core/atomic-write.ts')};
            await prepareWrite(process.argv[2], 'shared_secret: new');
            process.stdout.write('ready\\n');
            setInterval(() => {}, 1000);`,
      );
      mkdirSync(join(dir, 'out'));
      const child = spawn(process.execPath, [script, join(dir, 'out', 'pomerium.yaml')], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      expect(readdirSync(join(dir, 'out')).length).toBe(1); // the temp file
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(readdirSync(join(dir, 'out'))).toEqual([]);
    }
  }, 30_000);

  it('fetch-jwks -o takes a 245-character file name (short temp names)', async () => {
    const dir = tempDir();
    const yaml = readFileSync(new URL('../fixtures/rules/_base/pomerium.yaml', import.meta.url), 'utf8');
    writeFileSync(join(dir, 'pomerium.yaml'), yaml);
    const name = `${'j'.repeat(240)}.json`;
    const io = testIo(dir);
    const t = await transcript(io, () => fetchJwks([], { pomerium: 'pomerium.yaml', fromSigningKey: true, output: name }, io));
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    expect(existsSync(join(dir, name))).toBe(true);
  });
});

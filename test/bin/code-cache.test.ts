// bin/code-cache.js: dist/cli.cjs runs from a V8 code cache (on every Node release). A cache that
// is stale (another source, even of the same length, which V8 itself would accept), corrupt,
// truncated or foreign must be detected, ignored and replaced; the output never changes. Each test
// runs a copy of bin/ and dist/ in a temp folder.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO } from '../transcripts/built-cli.js';

const EXAMPLE = ['--pomerium', `${REPO}examples/compose/pomerium.yaml`, '--grafana', `${REPO}examples/compose/grafana.ini`];

let root: string;
let userCache: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gp-code-cache-'));
  cpSync(join(REPO, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(REPO, 'dist'), join(root, 'dist'), { recursive: true, filter: (src) => !src.includes('.v8-cache') });
  userCache = join(root, 'user-cache');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function run(args: string[], extraEnv: Record<string, string> = {}) {
  const env = { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: userCache, GRAFANA_POMERIUM_FAST_PATH_TRACE: '1', ...extraEnv };
  const r = spawnSync(process.execPath, [join(root, 'bin/grafana-pomerium.js'), ...args], { cwd: REPO, env, encoding: 'utf8', timeout: 30_000 });
  const trace = r.stderr.split('\n').filter((l) => l.startsWith('fast-path: ')).map((l) => l.slice('fast-path: '.length).replaceAll(root, '<root>'));
  const stderr = r.stderr.split('\n').filter((l) => !l.startsWith('fast-path: ')).join('\n');
  return { stdout: r.stdout, stderr, code: r.status, trace };
}

const distCache = () => join(root, 'dist/.v8-cache');
const cacheFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.bin'));

describe('V8 code cache', () => {
  it('is written beside dist/ after the first run, used by the next, one file per command', () => {
    const reference = run(['doctor', ...EXAMPLE], { GRAFANA_POMERIUM_NO_FAST_PATH: '1' });
    const first = run(['doctor', ...EXAMPLE]);
    expect(first.trace).toEqual(['code cache miss', 'code cache written (<root>/dist/.v8-cache)']);
    const second = run(['doctor', ...EXAMPLE]);
    expect(second.trace).toEqual(['code cache hit (<root>/dist/.v8-cache)']);
    for (const r of [first, second]) expect([r.stdout, r.stderr, r.code]).toEqual([reference.stdout, reference.stderr, reference.code]);
    run(['init', '--pomerium', `${REPO}examples/compose/pomerium.yaml`]);
    expect(cacheFiles(distCache()).map((n) => n.replace(/^cli-[0-9a-f]{16}-/, ''))).toEqual(['doctor.bin', 'init.bin'].sort());
  });

  for (const [why, what, damage] of [
    ['corrupt', 'one byte of its data flipped', (bytes: Buffer) => { bytes[bytes.length - 100]! ^= 0xff; return bytes; }],
    ['corrupt', 'truncated', (bytes: Buffer) => bytes.subarray(0, bytes.length - 1000)],
    ['foreign', 'not a cache file', () => Buffer.from('not a cache at all\n'.repeat(100))],
    ['stale', 'made for another source', (bytes: Buffer) => Buffer.from(bytes.toString('latin1').replace(/(source[\\"]+:[\\"]+)[0-9a-f]{8}/, '$100000000'), 'latin1')],
  ] as const) {
    it(`a ${why} cache (${what}) is ignored, never run, and replaced`, () => {
      const reference = run(['doctor', ...EXAMPLE]);
      const [name] = cacheFiles(distCache());
      const file = join(distCache(), name!);
      writeFileSync(file, damage(readFileSync(file)));
      const after = run(['doctor', ...EXAMPLE]);
      expect(after.trace).toEqual([`code cache miss; ignored: ${why} in <root>/dist/.v8-cache`, 'code cache written (<root>/dist/.v8-cache)']);
      expect([after.stdout, after.stderr, after.code]).toEqual([reference.stdout, reference.stderr, reference.code]);
      expect(run(['doctor', ...EXAMPLE]).trace).toEqual(['code cache hit (<root>/dist/.v8-cache)']);
    });
  }

  it('a changed bundle of the same length (which V8 would accept) does not use the old cache', () => {
    const before = run(['show-ini', `${REPO}examples/compose/grafana.ini`]);
    expect(before.trace).toEqual(['code cache miss', 'code cache written (<root>/dist/.v8-cache)']);
    expect(run(['show-ini', `${REPO}examples/compose/grafana.ini`]).trace).toEqual(['code cache hit (<root>/dist/.v8-cache)']);
    const bundle = join(root, 'dist/cli.cjs');
    const text = readFileSync(bundle, 'latin1');
    const changed = text.replace('print what Grafana reads', 'PRINT WHAT GRAFANA READS');
    expect(changed.length).toBe(text.length);
    expect(changed).not.toBe(text);
    writeFileSync(bundle, changed, 'latin1');
    // The new source has a new key, so a new file name; the old file put under that name must be refused too.
    const [old] = cacheFiles(distCache());
    const after = run(['show-ini', '--help', 'x']);
    expect(after.stderr + after.stdout).toContain('PRINT WHAT GRAFANA READS');
    expect(after.trace[0]).toBe('code cache miss');
    const renamed = cacheFiles(distCache()).find((n) => n !== old && n.endsWith('-show-ini.bin'))!;
    rmSync(join(distCache(), renamed));
    cpSync(join(distCache(), old!), join(distCache(), renamed));
    const again = run(['show-ini', '--help', 'x']);
    expect(again.trace[0]).toBe('code cache miss; ignored: stale in <root>/dist/.v8-cache');
    expect(again.stderr + again.stdout).toContain('PRINT WHAT GRAFANA READS');
    expect(before.code).toBe(0);
  });

  it('falls back to the user cache folder when dist/ takes no cache, and runs without one when neither does', () => {
    writeFileSync(distCache(), 'a file where the folder would go');
    const reference = run(['doctor', ...EXAMPLE], { GRAFANA_POMERIUM_NO_FAST_PATH: '1' });
    expect(run(['doctor', ...EXAMPLE]).trace).toEqual(['code cache miss', 'code cache written (<root>/user-cache/grafana-pomerium)']);
    const hit = run(['doctor', ...EXAMPLE]);
    expect(hit.trace).toEqual(['code cache hit (<root>/user-cache/grafana-pomerium)']);
    expect([hit.stdout, hit.stderr, hit.code]).toEqual([reference.stdout, reference.stderr, reference.code]);

    rmSync(userCache, { recursive: true, force: true });
    writeFileSync(userCache, 'a file where the folder would go');
    const none = run(['doctor', ...EXAMPLE]);
    expect(none.trace).toEqual(['code cache miss', 'code cache not written (no writable folder)']);
    expect([none.stdout, none.stderr, none.code]).toEqual([reference.stdout, reference.stderr, reference.code]);
  });
});

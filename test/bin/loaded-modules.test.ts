// `doctor` and `init` must not load what they do not use (README, "Speed"): undici, jose and js-yaml are
// their own bundles, and commander's node:child_process (for executable subcommands) is loaded only
// if used. A --require'd probe lists, at exit, the files and Node built-ins the process loaded.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAST_READER_MIN_CHARS } from '../../src/pomerium/parse-once.js';
import { REPO } from '../transcripts/built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gp-loaded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const probe = join(dir, 'probe.cjs');
writeFileSync(probe, "process.on('exit', () => require('fs').writeSync(2, '\\nLOADED ' + JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList }) + '\\n'));\n");

function loaded(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--require', probe, join(REPO, 'bin/grafana-pomerium.js'), ...args], { cwd: REPO, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  const { files, builtins } = JSON.parse(line!.slice('LOADED '.length)) as { files: string[]; builtins: string[] };
  // Files of the repository (not the probe), relative to it.
  return { status: r.status, files: files.filter((f) => f.startsWith(REPO)).map((f) => f.slice(REPO.length)), builtins };
}

const example = ['--pomerium', 'examples/compose/pomerium.yaml'];

describe('what a command loads', () => {
  for (const fastPath of [true, false]) {
    for (const args of [['doctor', ...example, '--grafana', 'examples/compose/grafana.ini'], ['init', ...example]]) {
      it(`${args[0]}${fastPath ? '' : ' (fast path off)'}: the bundle, not undici, jose or child_process`, () => {
        const r = loaded(args, fastPath ? {} : { GRAFANA_POMERIUM_NO_FAST_PATH: '1' });
        expect(r.status).toBe(0);
        // With the fast path the bundle is compiled by bin/code-cache.js (vm.Script), not require()d.
        const viaCodeCache = fastPath;
        expect(r.files).toEqual(viaCodeCache ? ['bin/grafana-pomerium.js', 'bin/code-cache.js'] : ['bin/grafana-pomerium.js', 'dist/cli.cjs']);
        expect(r.builtins).not.toContain('NativeModule child_process');
        // Output goes out with fs.writeSync (src/core/io.ts), so no process.stdout stream (a net.Socket on this
        // pipe); node:net loads where an address is parsed, fs.promises where a file is written.
        for (const builtin of ['net', 'tty', 'fs/promises', 'readline']) expect(r.builtins).not.toContain(`NativeModule ${builtin}`);
      });
    }
  }

  it('doctor on a config over FAST_READER_MIN_CHARS also loads js-yaml (the fast reader), and still neither undici nor jose', () => {
    const lines = ['routes:'];
    for (let i = 0; lines.join('\n').length <= FAST_READER_MIN_CHARS; i++) lines.push(`  - from: https://app-${i}.example.com`, `    to: http://app-${i}:8080`, '    allow_any_authenticated_user: true');
    writeFileSync(join(dir, 'large.yaml'), lines.join('\n') + '\n');
    const r = loaded(['doctor', '--pomerium', join(dir, 'large.yaml'), '--grafana', 'examples/compose/grafana.ini']);
    // Exit 1: its routes are not Grafana's (cross/no-grafana-route) and it has no key (pomerium/signing-key); what counts here is what loaded.
    expect(r.status).toBe(1);
    expect(r.files).toContain('dist/js-yaml.cjs');
    expect(r.files.filter((f) => /undici|jose/.test(f))).toEqual([]);
  });

  it('--version loads neither the bundle nor commander', () => {
    const r = loaded(['--version']);
    expect(r.files).toEqual(['bin/grafana-pomerium.js']);
    expect(r.builtins).not.toContain('NativeModule vm');
  });

  it('the separate bundles are there and are what fetch-jwks loads', () => {
    const r = loaded(['fetch-jwks', '--url', 'https://127.0.0.1:9/jwks.json', '--retries', '0', '--timeout', '2s', '-o', join(dir, 'jwks.json')]);
    expect(r.files).toContain('dist/undici.cjs');
  });
});

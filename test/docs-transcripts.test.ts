// The README and docs/ show commands with their real output. This test runs every such block
// against the built CLI, so the docs cannot drift from the code. A transcript block is a fenced
// block whose first line starts with `$ `; each `$ command` is followed by its output (stdout and
// stderr together) and, when the exit code matters, a last line `[exit N]` (none means 0). `$ cd DIR`
// changes directory for the rest of the block. A block whose output cannot be reproduced (a fresh
// token, the network) is preceded by `<!-- transcript: skip (why) -->`.
//
// Each block runs in a fresh copy of examples/ and docs/ (commands may write files), with
// `grafana-pomerium` on PATH; the copy's path is shown as DOCS_ROOT in outputs. `UPDATE_DOCS=1`
// rewrites the outputs in place.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startStandinProcess } from './grafana-standin/process.js';

const REPO = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const DOCS_ROOT = '/home/you/grafana-pomerium';
const UPDATE = process.env.UPDATE_DOCS === '1';

interface Step {
  command: string;
  output: string[];
  exit: number | null;
}

interface Block {
  file: string;
  /** Line index of the first line inside the fence. */
  start: number;
  end: number;
  steps: Step[];
  skip: boolean;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? markdownFiles(join(dir, d.name)) : d.name.endsWith('.md') ? [join(dir, d.name)] : [],
  );
}

function blocksOf(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```/.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    const body = lines.slice(start, end);
    i = end;
    if (!body[0]?.startsWith('$ ')) continue;
    const before = lines.slice(Math.max(0, start - 3), start - 1).join('\n');
    const steps: Step[] = [];
    for (const line of body) {
      if (line.startsWith('$ ')) steps.push({ command: line.slice(2), output: [], exit: null });
      else {
        const exit = /^\[exit (\d+)\]$/.exec(line);
        if (exit) steps[steps.length - 1]!.exit = Number(exit[1]);
        else steps[steps.length - 1]!.output.push(line);
      }
    }
    blocks.push({ file, start, end, steps, skip: before.includes('<!-- transcript: skip') });
  }
  return blocks;
}

const files = [join(REPO, 'README.md'), ...markdownFiles(join(REPO, 'docs'))];
const blocks = files.flatMap(blocksOf);

const sandbox = mkdtempSync(join(tmpdir(), 'gp-docs-'));
const work = join(sandbox, 'repo');
const binDir = join(sandbox, 'bin');
mkdirSync(binDir);
const wrapper = join(binDir, 'grafana-pomerium');
writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${join(REPO, 'bin/grafana-pomerium.js')}" "$@"\n`);
chmodSync(wrapper, 0o755);
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

/** A fresh copy of what the docs' commands read and write. */
function freshWorkTree(): void {
  rmSync(work, { recursive: true, force: true });
  for (const dir of ['examples', 'docs']) cpSync(join(REPO, dir), join(work, dir), { recursive: true });
}

const env: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(FORCE_COLOR|NO_COLOR|GF_|NODE_OPTIONS)/.test(k)) env[k] = v;
env.PATH = `${binDir}:${process.env.PATH}`;
env.TZ = 'UTC';
// `users` (and `smoke`) talk to the Grafana stand-in, shown in the docs as Grafana at GRAFANA_URL_SHOWN.
const grafana = await startStandinProcess();
const GRAFANA_URL_SHOWN = 'http://localhost:3000';
afterAll(() => grafana.close());
env.GRAFANA_URL = grafana.origin;
env.GRAFANA_AUTH = 'admin:admin-password';

function run(command: string, cwd: string, extraEnv: Record<string, string> = {}): { output: string[]; exit: number } {
  const r = spawnSync('bash', ['-c', `${command} 2>&1`], { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 });
  const text = (r.stdout ?? '').split(work).join(DOCS_ROOT).split(grafana.origin).join(GRAFANA_URL_SHOWN).replace(/\n$/, '');
  return { output: text === '' ? [] : text.split('\n'), exit: r.status ?? -1 };
}

const updates = new Map<string, { start: number; end: number; lines: string[] }[]>();

const filesWithTranscripts = [...new Set(blocks.map((b) => relative(REPO, b.file)))];

describe.each(filesWithTranscripts.map((f) => [f]))('%s', (name) => {
  for (const block of blocks.filter((b) => relative(REPO, b.file) === name)) {
    const title = `line ${block.start}: ${block.steps[0]!.command.slice(0, 70)}`;
    (block.skip ? it.skip : it)(title, async () => {
      freshWorkTree();
      await grafana.reset();
      let cwd = work;
      const lines: string[] = [];
      for (const step of block.steps) {
        lines.push(`$ ${step.command}`);
        const cd = /^cd (\S+)$/.exec(step.command);
        if (cd) {
          cwd = join(cwd, cd[1]!);
          continue;
        }
        const actual = run(step.command, cwd);
        lines.push(...actual.output);
        if (actual.exit !== 0 || step.exit !== null) lines.push(`[exit ${actual.exit}]`);
        if (!UPDATE) {
          expect(actual.output.join('\n'), `${name}:${block.start}: $ ${step.command}`).toBe(step.output.join('\n'));
          expect(actual.exit, `exit code of $ ${step.command}`).toBe(step.exit ?? 0);
        }
      }
      if (UPDATE) updates.set(block.file, [...(updates.get(block.file) ?? []), { start: block.start, end: block.end, lines }]);
      // The same block with bin/'s fast paths off (README, "Speed") prints the same bytes, from the same start.
      freshWorkTree();
      await grafana.reset();
      cwd = work;
      const slow: string[] = [];
      for (const step of block.steps) {
        slow.push(`$ ${step.command}`);
        const cd = /^cd (\S+)$/.exec(step.command);
        if (cd) cwd = join(cwd, cd[1]!);
        else {
          const actual = run(step.command, cwd, { GRAFANA_POMERIUM_NO_FAST_PATH: '1' });
          slow.push(...actual.output);
          if (actual.exit !== 0 || step.exit !== null) slow.push(`[exit ${actual.exit}]`);
        }
      }
      expect(slow.join('\n'), `${name}:${block.start} with GRAFANA_POMERIUM_NO_FAST_PATH=1`).toBe(lines.join('\n'));
    });
  }
});

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(dir, join(prefix, d.name)) : [join(prefix, d.name)],
  );
}

// A new user tries the examples one after another in one clone: none may change what a later one
// prints, and none may edit the examples or leave files among them (the writing ones work on a `cp -r`).
describe('the examples in sequence, in one copy', () => {
  (UPDATE ? it.skip : it)('print what the docs show, and leave examples/ and docs/ as they were', async () => {
    freshWorkTree();
    for (const block of blocks.filter((b) => !b.skip)) {
      await grafana.reset(); // Grafana's users are not the clone's files
      let cwd = work;
      for (const step of block.steps) {
        const cd = /^cd (\S+)$/.exec(step.command);
        if (cd) {
          cwd = join(cwd, cd[1]!);
          continue;
        }
        const actual = run(step.command, cwd);
        expect(actual.output.join('\n'), `${relative(REPO, block.file)}:${block.start}: $ ${step.command}`).toBe(step.output.join('\n'));
      }
    }
    for (const dir of ['examples', 'docs']) {
      expect(filesUnder(join(work, dir)).sort(), `files left in ${dir}/`).toEqual(filesUnder(join(REPO, dir)).sort());
      for (const f of filesUnder(join(REPO, dir))) expect(readFileSync(join(work, dir, f), 'utf8'), `${dir}/${f} was changed`).toBe(readFileSync(join(REPO, dir, f), 'utf8'));
    }
  }, 900_000);
});

afterAll(() => {
  for (const [file, edits] of updates) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const e of edits.sort((a, b) => b.start - a.start)) lines.splice(e.start, e.end - e.start, ...e.lines);
    writeFileSync(file, lines.join('\n'));
  }
});

it('runs against the built CLI', () => {
  expect(execFileSync(process.execPath, [join(REPO, 'bin/grafana-pomerium.js'), '--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+/);
});

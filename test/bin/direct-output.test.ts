// src/core/io.ts writes a command's output with fs.writeSync, and hands the rest to process.stdout when
// that fails. A full non-blocking pipe fails with EAGAIN, often after a partial write that splits a
// UTF-8 character: the output must still arrive whole, byte for byte, with the exit code of the run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../transcripts/built-cli.js';

const BIN = join(REPO, 'bin/grafana-pomerium.js');
const dir = mkdtempSync(join(tmpdir(), 'gp-direct-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };

// ~1 MB of output, nearly all three-byte characters; three files shifted by 0, 1 and 2 bytes, so that
// wherever the kernel cuts a write, in one of them the cut falls inside a character.
const inis = ['s', 'sx', 'sxy'].map((section) => {
  const file = join(dir, `${section}.ini`);
  writeFileSync(file, `[${section}]\n${Array.from({ length: 10_000 }, (_, i) => `k${i} = ${'日本語'.repeat(10)}`).join('\n')}\n`);
  return file;
});
// Creating process.stdout on a pipe makes the pipe non-blocking (libuv), as a Node parent sharing its stdout would.
const nonBlocking = join(dir, 'non-blocking-stdout.cjs');
writeFileSync(nonBlocking, 'process.stdout;\n');

/** Runs the CLI with stdout a non-blocking pipe that nobody reads for the first 500 ms. */
function throughFullPipe(args: string[]): Promise<{ code: number | null; stdout: Buffer }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', nonBlocking, BIN, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.pause();
    setTimeout(() => child.stdout.on('data', (d: Buffer) => chunks.push(d)).resume(), 500);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks) }));
  });
}

describe('output through a full non-blocking pipe', () => {
  it('arrives whole and byte-identical, with the same exit code', async () => {
    for (const ini of inis) {
      const args = ['show-ini', ini];
      const reference = spawnSync(process.execPath, [BIN, ...args], { env, maxBuffer: 1 << 26 });
      expect(reference.stdout.length).toBeGreaterThan(512 * 1024);
      const r = await throughFullPipe(args);
      expect(r.code).toBe(reference.status);
      expect(r.stdout.equals(reference.stdout)).toBe(true);
    }
  }, 60_000);
});

// Starts the stand-in (main.ts, bundled with esbuild into a temp file) as a child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';

export interface StandinProcess {
  origin: string;
  reset(): Promise<void>;
  close(): void;
}

export async function startStandinProcess(): Promise<StandinProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'gp-standin-'));
  const outfile = join(dir, 'standin.mjs');
  await build({ entryPoints: [new URL('./main.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'silent' });
  const child = spawn(process.execPath, [outfile], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const origin = await next();
  return {
    origin,
    reset: async () => {
      const ok = next();
      child.stdin!.write('reset\n');
      await ok;
    },
    close: () => {
      child.stdin!.end();
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Builds dist/ once before any test file runs, for the tests that run the real CLI (transcripts,
// end-to-end). Test files must not build it themselves: vitest runs files in parallel.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: new URL('..', import.meta.url).pathname, stdio: 'inherit' });
}

// The committed tables in src/pomerium/generated/ must be exactly what scripts/gen-pomerium-tables.mjs writes
// from the release source: rerun it into a temp folder and compare bytes. Needs the bare git mirrors of
// pomerium/pomerium, pomerium/ingress-controller and envoyproxy/go-control-plane; without them (CI) it skips
// and says why.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../scripts/gen-pomerium-tables.mjs', import.meta.url).pathname;
const COMMITTED = new URL('../../src/pomerium/generated/', import.meta.url).pathname;

describe('scripts/gen-pomerium-tables.mjs', () => {
  it('reruns to the same bytes as the committed tables', async (ctx) => {
    const out = mkdtempSync(join(tmpdir(), 'gen-tables-'));
    try {
      const run = await promisify(execFile)(process.execPath, [SCRIPT, out], { maxBuffer: 1 << 20 }).catch((e: { code?: number; stderr?: string }) => e);
      if ('code' in run && run.code === 2 && /cannot run:/.test(run.stderr ?? '')) {
        ctx.skip(`the generator cannot run here: ${(run.stderr ?? '').trim()}`);
        return;
      }
      expect('code' in run ? run.stderr : '').toBe('');
      const written = readdirSync(out).sort();
      expect(written).toEqual(readdirSync(COMMITTED).sort());
      for (const f of written) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(COMMITTED, f), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);

  it('says why it cannot run when a mirror is absent, and writes nothing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gen-tables-'));
    try {
      const env = { ...process.env, POMERIUM_MIRROR: join(out, 'no-such-mirror') };
      const run = await promisify(execFile)(process.execPath, [SCRIPT, join(out, 'tables')], { env }).catch((e: { code?: number; stderr?: string }) => e);
      expect('code' in run && run.code).toBe(2);
      expect('stderr' in run && run.stderr).toContain('cannot run: the pomerium mirror is absent');
      expect(readdirSync(out)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

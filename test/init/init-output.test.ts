import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASES, EXPECTED, runInit } from './cases.js';

const EXTENSIONS = { ini: 'ini', env: 'env', helm: 'yaml' } as const;
// GP_UPDATE_EXPECTED=1 writes missing expected files (then read each one before committing it).
const update = process.env.GP_UPDATE_EXPECTED === '1';

describe('init output for each config, in each format', () => {
  for (const c of CASES) {
    for (const format of ['ini', 'env', 'helm'] as const) {
      it(`${c.name} (${format})`, async () => {
        const result = await runInit({ ...c.flags, format });
        expect(result.code, result.stderr).toBe(0);
        const path = `${EXPECTED}${c.name}.${EXTENSIONS[format]}`;
        if (update && !existsSync(path)) writeFileSync(path, result.stdout);
        expect(result.stdout).toBe(readFileSync(path, 'utf8'));
      });
    }
  }
});

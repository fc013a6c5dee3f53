// `show-ini --json` on every go-ini vector prints exactly that case's `{"sections","error"}`: the
// command (not only the parser) is what people compare with go-ini.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/commands/show-ini.js';
import { testIo } from '../helpers/run-command.js';

interface Case {
  name: string;
  input: string;
  sections: { name: string; keys: [string, string][] }[];
  error: string | null;
}

const { cases } = JSON.parse(readFileSync(new URL('../fixtures/go-ini/cases.json', import.meta.url), 'utf8')) as { cases: Case[] };
const dir = mkdtempSync(join(tmpdir(), 'gp-show-ini-vectors-'));

describe('show-ini --json on the go-ini vectors', () => {
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    writeFileSync(join(dir, `${i}.ini`), c.input, 'utf8');
    const io = testIo(dir);
    expect(await run([`${i}.ini`], { json: true, showSecrets: true }, io)).toBe(0);
    expect(JSON.parse(io.stdout.join(''))).toEqual({ sections: c.sections, error: c.error });
  });
});

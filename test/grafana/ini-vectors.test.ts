// Every case of ../shared/vectors/go-ini (real go-ini v1.67.0 output) must come out the same.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIni } from '../../src/grafana/ini-parse.js';
import { keyString, lookupKey } from '../../src/grafana/ini-values.js';

interface Case {
  name: string;
  input: string;
  sections: { name: string; keys: [string, string][] }[];
  error: string | null;
  rawValues?: { section: string; key: string; raw: string }[];
  lookups?: { section: string; key: string; found: boolean; value: string }[];
}

const vectors = JSON.parse(readFileSync(new URL('../fixtures/go-ini/cases.json', import.meta.url), 'utf8')) as { goIniVersion: string; cases: Case[] };

describe(`go-ini ${vectors.goIniVersion} vectors`, () => {
  it('holds all 413 cases', () => {
    expect(vectors.cases).toHaveLength(413);
  });

  it.each(vectors.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const doc = parseIni(c.input, 'grafana.ini');
    expect(doc.error?.message ?? null).toBe(c.error);
    const sections = doc.sections.map((s) => ({ name: s.name, keys: s.keys.map(({ key }) => [key, keyString(doc, s.name, key)]) }));
    expect(sections).toEqual(c.sections);
    for (const raw of c.rawValues ?? []) {
      const view = doc.sections.find((s) => s.name === raw.section)?.keys.find((k) => k.key === raw.key);
      expect(view?.value, `${raw.section}.${raw.key}`).toBe(raw.raw);
    }
    for (const l of c.lookups ?? []) {
      const found = lookupKey(doc, l.section, l.key);
      expect({ found: found.found, value: found.value }, `${l.section}.${l.key}`).toEqual({ found: l.found, value: l.value });
    }
  });
});

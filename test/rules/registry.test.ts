import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../src/rules/index.js';

describe('rule registry', () => {
  it('has unique, stable kebab-case ids grouped by prefix', () => {
    const ids = ALL_RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(grafana|pomerium|cross|ingress|helm|compose|input)\/[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it.each(ALL_RULES.map((r) => [r.meta.id, r] as const))('%s has a docs page with what, run-time effect, fix and sources', (id) => {
    const page = new URL(`../../docs/rules/${id}.md`, import.meta.url);
    expect(existsSync(page), `docs/rules/${id}.md`).toBe(true);
    const text = readFileSync(page, 'utf8');
    expect(text).toMatch(new RegExp(`^# ${id.replace('/', '\\/')}\\b`));
    for (const heading of ['## What it checks', '## What happens at run time', '## How to fix', '## Sources']) expect(text).toContain(heading);
  });
});

// docs/rules/README.md is rendered from the rule registry; the command pages name every flag the
// program has. Run with UPDATE_DOCS=1 to rewrite the index after adding or changing a rule.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UNUSED_DIRECTIVE_RULE } from '../../src/doctor/directives.js';
import { buildProgram } from '../../src/program.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Rule } from '../../src/rules/types.js';

const DOCS = new URL('../../docs/', import.meta.url);
const INDEX = new URL('rules/README.md', DOCS);

/** What each rule prefix looks at, in the order the index lists the groups. */
const GROUPS: Record<string, string> = {
  grafana: 'grafana.ini (and `GF_*` variables) as Grafana reads it',
  pomerium: 'the Pomerium config as Pomerium reads it',
  cross: 'both sides together: what Pomerium sends against what Grafana expects',
  ingress: 'Kubernetes Ingress annotations of the Pomerium Ingress Controller',
  helm: 'Grafana Helm chart values',
  compose: 'docker compose files',
};

const prefixOf = (rule: Rule) => rule.meta.id.split('/')[0]!;

/** A table cell: one line, `|` escaped so it does not end the cell. */
const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');

function renderRulesIndex(rules: readonly Rule[]): string {
  const prefixes = [...new Set([...Object.keys(GROUPS), ...rules.map(prefixOf)])].filter((p) => rules.some((r) => prefixOf(r) === p));
  const sections = prefixes.map((prefix) => {
    const rows = rules
      .filter((r) => prefixOf(r) === prefix)
      .map((r) => `| [\`${r.meta.id}\`](${r.meta.id}.md) | ${r.meta.severity} | ${cell(r.meta.description)} |`);
    return [`## ${prefix}/: ${GROUPS[prefix] ?? prefix}`, '', '| rule | severity | what it checks |', '| --- | --- | --- |', ...rows].join('\n');
  });
  return [
    '# doctor rules',
    '',
    '<!-- Generated from src/rules (ALL_RULES) by test/rules/docs-index.test.ts: run `UPDATE_DOCS=1 npx vitest run test/rules/docs-index.test.ts` after changing a rule. -->',
    '',
    '## Severity: one rule for all rules',
    '',
    '- **error**: Grafana or Pomerium will not do what the file says: sign-in fails for the route\'s users, Pomerium or Grafana refuses to start, a setting is silently ignored or silently replaced by a default (a key in a section Grafana never reads, a value Grafana cannot parse), or a security hole (anyone can sign in or forge an identity);',
    '- **warning**: it works, but is fragile, surprising or riskier than needed (works only through go-ini\'s parent lookup, a key set that will break on rotation, a weaker auth path);',
    '- **info**: could not check, or a suggestion.',
    '',
    'Each rule\'s page says, under "Severity", why its findings have the level they have.',
    '',
    `\`grafana-pomerium doctor\` has ${rules.length} rules. Each page says what the rule checks, what happens at run time, how to fix it, and the sources it follows.`,
    'The severity is the default; a rule may report one case at another level (a file it cannot read here is `info`, "could not check").',
    'Skip a rule with `--ignore RULE` or a disable comment; see [doctor](../commands/doctor.md).',
    '',
    sections.join('\n\n'),
    '',
    `Besides these, \`${UNUSED_DIRECTIVE_RULE}\` (warning) reports a \`grafana-pomerium-disable-next-line\` comment that suppresses nothing: [its page](meta/unused-disable-directive.md); see also [disable comments](../commands/doctor.md#disable-comments).`,
    '',
  ].join('\n');
}

describe('docs/rules/README.md', () => {
  it('is the index the registry renders (UPDATE_DOCS=1 rewrites it)', () => {
    const expected = renderRulesIndex(ALL_RULES);
    if (process.env.UPDATE_DOCS === '1') writeFileSync(INDEX, expected);
    expect(readFileSync(INDEX, 'utf8')).toBe(expected);
  });

  it('links every rule to a page that exists', () => {
    const links = [...renderRulesIndex(ALL_RULES).matchAll(/\]\(([^)#]+)\.md\)/g)].map((m) => m[1]!).filter((l) => !l.startsWith('..'));
    expect(links).toEqual([...ALL_RULES.map((r) => r.meta.id), UNUSED_DIRECTIVE_RULE]);
    for (const link of links) expect(existsSync(new URL(`rules/${link}.md`, DOCS)), link).toBe(true);
  });

  it('escapes a | in a description so the table keeps its columns', () => {
    const rule = { ...ALL_RULES[0]!, meta: { ...ALL_RULES[0]!.meta, id: 'grafana/x', description: 'a | b\nc' } };
    expect(renderRulesIndex([rule])).toContain('| [`grafana/x`](grafana/x.md) | ' + rule.meta.severity + ' | a \\| b c |');
  });
});

describe('docs/commands/<command>.md', () => {
  const commands = buildProgram().commands.filter((c) => c.name() !== 'help');

  it.each(commands.map((c) => [c.name(), c] as const))('%s names every flag of the command', (name, command) => {
    const page = readFileSync(new URL(`commands/${name}.md`, DOCS), 'utf8');
    for (const option of command.options) expect(page, `${name}.md: ${option.long}`).toContain(option.long!);
  });

  it('names only rule ids doctor has (as reports print them, [id], or in code spans)', () => {
    const known = new Set([...ALL_RULES.map((r) => r.meta.id), UNUSED_DIRECTIVE_RULE]);
    for (const name of ['doctor', 'init']) {
      const page = readFileSync(new URL(`commands/${name}.md`, DOCS), 'utf8');
      const named = [...page.matchAll(/[[`]((?:grafana|pomerium|cross|ingress|helm|compose|meta)\/[a-z0-9-]+)[\]`]/g)].map((m) => m[1]!);
      expect(named.length, `${name}.md names rules`).toBeGreaterThan(0);
      for (const id of named) expect(known.has(id), `${name}.md: ${id}`).toBe(true);
    }
  });
});

describe('docs/rules/<rule>.md states its severity (the severity rule of docs/rules/README.md)', () => {
  const rules = ALL_RULES;

  it.each(rules.map((r) => [r.meta.id, r.meta.severity] as const))('%s has a Severity section that names its default level', (id, severity) => {
    const page = readFileSync(new URL(`rules/${id}.md`, DOCS), 'utf8');
    const section = /^## Severity\n\n([\s\S]*?)(?=\n## |$)/m.exec(page)?.[1] ?? '';
    expect(section, `${id}.md ## Severity`).toMatch(new RegExp(`\\b${severity}\\b`));
  });

  it('meta/unused-disable-directive has one too', () => {
    expect(readFileSync(new URL('rules/meta/unused-disable-directive.md', DOCS), 'utf8')).toMatch(/^## Severity\n\nwarning/m);
  });
});

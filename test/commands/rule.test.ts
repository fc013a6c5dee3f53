// `rule ID` prints the page that ships in docs/rules/; `rule --list` lists the registry; and no output
// or source of the tool points at a web repository that does not exist.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/commands/rule.js';
import { UNUSED_DIRECTIVE_RULE } from '../../src/doctor/directives.js';
import { ruleDocsFile } from '../../src/report/rule-docs.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { testIo, transcript } from '../helpers/run-command.js';

const REPO = new URL('../..', import.meta.url).pathname;
const rule = (args: string[], options: Record<string, unknown> = {}) => {
  const io = testIo(REPO);
  return transcript(io, () => run(args, options, io));
};

describe('grafana-pomerium rule', () => {
  it('prints the rule page byte for byte', async () => {
    const t = await rule(['grafana/jwt-header-name']);
    expect(t.code).toBe(0);
    expect(t.stdout).toBe(readFileSync(new URL('../../docs/rules/grafana/jwt-header-name.md', import.meta.url), 'utf8'));
  });

  it('has a page for every rule doctor can report, found inside the package', () => {
    for (const id of [...ALL_RULES.map((r) => r.meta.id), UNUSED_DIRECTIVE_RULE]) expect(ruleDocsFile(id), id).toBe(`${REPO}docs/rules/${id}.md`);
  });

  it('--list: every rule once, sorted, with its severity and summary', async () => {
    const t = await rule([], { list: true });
    expect(t.code).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(ALL_RULES.length + 1);
    const ids = lines.map((l) => l.split(/\s+/)[0]);
    expect(ids).toEqual([...ids].sort((a, b) => a!.localeCompare(b!)));
    const header = ALL_RULES.find((r) => r.meta.id === 'grafana/jwt-header-name')!;
    expect(lines.find((l) => l.startsWith('grafana/jwt-header-name '))).toMatch(new RegExp(`^grafana/jwt-header-name +${header.meta.severity} +${header.meta.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    expect(lines.find((l) => l.startsWith(UNUSED_DIRECTIVE_RULE))).toMatch(/ warning /);
  });

  it('an unknown id is a usage error with the closest id', async () => {
    const t = await rule(['grafana/jwt-header']);
    expect(t.code).toBe(2);
    expect(t.stderr).toBe('error: unknown rule "grafana/jwt-header"\n  hint: did you mean grafana/jwt-header-name? (rule --list lists them all)\n');
    expect((await rule(['../../package'])).code).toBe(2);
    expect((await rule([])).stderr).toContain('error: which rule?');
  });
});

describe('no link to a repository that does not exist', () => {
  it('no source, doc, template or test expectation names the grafana-pomerium GitHub repository', () => {
    // git grep over tracked and new files: the project has no public repository to link to.
    const grep = spawnSync('git', ['grep', '-n', '--untracked', '-I', '-e', 'github.com/grafana-pomerium', '-e', 'grafana-pomerium/grafana-pomerium', '--', '.', ':!test/commands/rule.test.ts'], { cwd: REPO, encoding: 'utf8' });
    expect(grep.stdout).toBe('');
    expect(grep.status).toBe(1); // git grep: 1 = nothing found
  });
});

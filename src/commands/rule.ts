// `grafana-pomerium rule ID` prints a rule's page from the docs that ship in the package (as `ruff rule`
// does); `rule --list` lists every rule with its severity and a one-line summary.
import { didYouMean } from '../core/did-you-mean.js';
import { UserError } from '../core/errors.js';
import type { Severity } from '../core/finding.js';
import type { Io } from '../core/io.js';
import { UNUSED_DIRECTIVE_RULE } from '../doctor/directives.js';
import { ruleDocsText } from '../report/rule-docs.js';
import { ALL_RULES } from '../rules/index.js';

interface Flags {
  list?: boolean;
}

/** Every rule doctor can report: the registry's, then the directive check doctor runs itself. */
function knownRules(): { id: string; severity: Severity; description: string }[] {
  return [
    ...ALL_RULES.map((r) => ({ id: r.meta.id, severity: r.meta.severity, description: r.meta.description })),
    // src/doctor/directives.ts reports it as a warning.
    { id: UNUSED_DIRECTIVE_RULE, severity: 'warning', description: 'A grafana-pomerium-disable-next-line comment that suppresses nothing' },
  ];
}

export async function run(args: string[], options: Record<string, unknown>, io: Io): Promise<number> {
  const flags = options as Flags;
  const rules = knownRules();
  if (flags.list) {
    if (args.length > 0) throw new UserError('rule --list takes no rule id');
    const width = Math.max(...rules.map((r) => r.id.length));
    const sorted = [...rules].sort((a, b) => a.id.localeCompare(b.id));
    io.out(sorted.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.description.replace(/\s+/g, ' ')}`).join('\n') + '\n');
    return 0;
  }
  const id = args[0];
  if (id === undefined) throw new UserError('which rule? give its id (e.g. grafana-pomerium rule grafana/jwt-header-name), or --list');
  if (!rules.some((r) => r.id === id)) {
    const guess = didYouMean(id, rules.map((r) => r.id));
    throw new UserError(`unknown rule ${JSON.stringify(id)}`, { hint: guess ? `did you mean ${guess}? (rule --list lists them all)` : 'rule --list lists them all' });
  }
  const text = ruleDocsText(id);
  if (text === null) throw new UserError(`the page of ${id} is missing from this installation (docs/rules/${id}.md)`, { hint: 'reinstall the package: its docs/ folder is part of it' });
  io.out(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}

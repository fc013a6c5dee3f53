// Findings that say the same thing once: a finding that is only the consequence of another one shown beside
// it is dropped (the cause says what to fix), and a finding about a setting missing from Grafana's Helm
// values, which has no line of its own, is placed at the values' `grafana.ini:` key.
import type { Finding } from '../core/finding.js';
import type { HelmValues } from '../grafana/helm-values.js';

type WithId = Finding & { messageId?: string };

/** cause (rule:message) -> findings it makes redundant, when both are about the same file. */
const CONSEQUENCES: { cause: string; drops: string[] }[] = [
  // `auth: jwt:` nested in the chart values: Grafana sees no [auth.jwt] at all, so "enabled not set" and "header_name empty" follow.
  { cause: 'helm/nested-section', drops: ['grafana/jwt-not-enabled:missing', 'grafana/jwt-header-name:missing'] },
  // JWT sign-in not enabled: an empty header_name is the same "Grafana never reads Pomerium's JWT".
  { cause: 'grafana/jwt-not-enabled:missing', drops: ['grafana/jwt-header-name:missing'] },
];

const idOf = (f: WithId) => `${f.ruleId}:${f.messageId ?? ''}`;
const matches = (f: WithId, pattern: string) => (pattern.includes(':') ? idOf(f) === pattern : f.ruleId === pattern);

export function withoutConsequences<T extends WithId>(findings: T[]): T[] {
  const dropped = new Set<T>();
  for (const { cause, drops } of CONSEQUENCES) {
    const causes = findings.filter((f) => matches(f, cause) && !dropped.has(f));
    for (const f of findings) {
      if (drops.some((d) => matches(f, d)) && causes.some((c) => c.file === f.file || f.file === null)) dropped.add(f);
    }
  }
  return findings.filter((f) => !dropped.has(f));
}

/** A finding about the chart's grafana.ini with no line: at the values' `grafana.ini:` key (where the section goes). */
export function placedInValues<T extends Finding>(findings: T[], values: HelmValues | null | undefined): T[] {
  if (!values) return findings;
  const at = /^([ \t]*)grafana\.ini:/m.exec(values.doc.text);
  if (!at) return findings;
  const line = values.doc.text.slice(0, at.index).split('\n').length;
  const column = at[1]!.length + 1;
  return findings.map((f) => (f.line === null && f.file === values.file ? { ...f, line, column, endLine: line, endColumn: column + 'grafana.ini'.length } : f));
}

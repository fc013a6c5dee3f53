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

/**
 * The simulated sign-in names the run-time symptom of a cause that a single-setting rule also reports at the same
 * line (issue 10: say it once). The sign-in finding stays, taking that rule's hint (how to fix the line) and fix.
 */
const SAME_LINE: { keeper: string; absorbs: string[] }[] = [
  {
    keeper: 'cross/sign-in',
    absorbs: ['cross/jwt-claims:claimNotSent', 'cross/jwt-claims:pathClaimNotSent', 'cross/jwt-claims:extraIsString', 'cross/claim-paths'],
  },
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
  const kept = findings.filter((f) => !dropped.has(f));
  return absorbedAtSameLine(kept);
}

function absorbedAtSameLine<T extends WithId>(findings: T[]): T[] {
  const at = (f: Finding) => `${f.file}:${f.line}`;
  const absorbed = new Set<T>();
  const replaced = new Map<T, T>();
  for (const { keeper, absorbs } of SAME_LINE) {
    for (const k of findings.filter((f) => matches(f, keeper) && f.line !== null)) {
      const twins = findings.filter((f) => f !== k && at(f) === at(k) && absorbs.some((a) => matches(f, a)));
      if (twins.length === 0) continue;
      twins.forEach((t) => absorbed.add(t));
      const hint = twins.find((t) => t.hint)?.hint;
      const fix = k.fix ?? twins.find((t) => t.fix)?.fix;
      replaced.set(k, { ...k, ...(hint ? { hint: k.hint ? `${hint}; ${k.hint}` : hint } : {}), ...(fix ? { fix } : {}) });
    }
  }
  return findings.filter((f) => !absorbed.has(f)).map((f) => replaced.get(f) ?? f);
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

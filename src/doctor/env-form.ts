// Findings about a Grafana configured through its environment (an env file, compose `environment:`, a
// Deployment's `env:`, the chart's `env:`) speak that form: the rules word hints as grafana.ini
// (`set header_name = X under [auth.jwt]`), and this renders them as the variable to set
// (`set GF_AUTH_JWT_HEADER_NAME=X`), in one place for every rule. A finding about a missing setting,
// which has no line of its own, is placed where such variables are written.
import type { Finding } from '../core/finding.js';
import type { Span } from '../core/span.js';
import { GRAFANA_KEYS } from '../grafana/defaults.js';

export interface GrafanaEnvForm {
  /** Where each GF_* variable is written. */
  spans: ReadonlyMap<string, { nameSpan: Span; valueSpan: Span }>;
  /** Grafana has no grafana.ini here: every Grafana finding is about the environment. */
  envOnly: boolean;
}

/** Grafana's variable for a setting (setting.go `envKey`: GF_, section and key upper-cased, `.` and `-` as `_`). */
export function grafanaEnvName(section: string, key: string): string {
  const part = (s: string) => s.toUpperCase().replace(/[.-]/g, '_');
  return section === '' ? `GF_${part(key)}` : `GF_${part(section)}_${part(key)}`;
}

/** The section a bare key belongs to: [auth.jwt] when it has it (the JWT rules' keys), else the one section that has it. */
function sectionOf(key: string): string | null {
  const sections = [...new Set(GRAFANA_KEYS.filter((k) => k.key === key).map((k) => k.section))];
  if (sections.includes('auth.jwt')) return 'auth.jwt';
  return sections.length === 1 ? sections[0]! : null;
}

/** A hint worded for grafana.ini, worded for the environment. Text it does not recognise is kept. */
export function envHint(hint: string): string {
  const env = (section: string | null, key: string, value: string) => (section === null ? null : `${grafanaEnvName(section, key)}=${value.trim()}`);
  return hint
    .replace(/\bset \[([^\]]+)\] ([\w.-]+) = ([^:;,\n`]*?)(?=$|[:;,]\s|`)/g, (whole, section: string, key: string, value: string) => (env(section, key, value) ? `set ${env(section, key, value)}` : whole))
    .replace(/\bset ([\w.-]+) = (\S+) under \[([^\]]+)\]/g, (whole, key: string, value: string, section: string) => `set ${env(section, key, value)}`)
    .replace(/`([a-z_]+) = ([^`]*)`/g, (whole, key: string, value: string) => (env(sectionOf(key), key, value) ? `\`${env(sectionOf(key), key, value)}\`` : whole))
    .replace(/\bset ([a-z_]+) = ([^:;,\n`]+?)(?=$|[:;,]\s| \()/g, (whole, key: string, value: string) => (env(sectionOf(key), key, value) ? `set ${env(sectionOf(key), key, value)}` : whole))
    .replace(/\b(to|from|in) ([a-z]+_[a-z_]+)\b(?! =)/g, (whole, word: string, key: string) => (sectionOf(key) ? `${word} ${grafanaEnvName(sectionOf(key)!, key)}` : whole))
    .replace(/\bdelete (?:this|the) line\b/g, 'remove the variable')
    // The variable names its section: "in [auth.jwt]" after it says nothing more.
    .replace(/(GF_[A-Z0-9_]+=[^\s`]*`?) (?:in|under) \[[^\]]+\]/g, '$1');
}

function within(span: Span, finding: Finding): boolean {
  return finding.file === span.file && finding.line !== null && finding.line >= span.line && finding.line <= span.endLine;
}

/** Grafana findings in the environment's form: hints rewritten, findings with no line placed at the variables. */
export function inEnvForm<T extends Finding>(findings: T[], form: GrafanaEnvForm | null): T[] {
  if (!form) return findings;
  const spans = [...form.spans.entries()].filter(([name]) => name.startsWith('GF_'));
  if (spans.length === 0 && !form.envOnly) return findings;
  // Where a missing setting would go: beside the JWT variables, else the first GF_ variable (none: --use-env).
  const anchor = (spans.find(([name]) => name.startsWith('GF_AUTH_JWT_')) ?? spans[0])?.[1].nameSpan ?? null;
  return findings.map((f) => {
    const aboutEnv = spans.some(([, s]) => within(s.nameSpan, f) || within(s.valueSpan, f));
    // No line and no file: a setting missing from Grafana's side (Pomerium's findings name its file).
    const unplacedGrafana = form.envOnly && f.line === null && f.file === null;
    if (!aboutEnv && !unplacedGrafana) return f;
    const placed = unplacedGrafana && anchor ? { file: anchor.file, line: anchor.line, column: anchor.column, endLine: anchor.endLine, endColumn: anchor.endColumn } : {};
    return { ...f, ...placed, ...(f.hint !== undefined ? { hint: envHint(f.hint) } : {}) };
  });
}

import { CURRENT_GRAFANA_VERSION, CURRENT_POMERIUM_VERSION } from '../../src/core/versions.js';
import { lint, type LintResult } from '../../src/doctor/lint.js';
import type { FileLookup, Rule, ServedJwks } from '../../src/rules/types.js';

export interface LintCase {
  grafana?: string;
  pomerium?: string;
  env?: Record<string, string>;
  route?: string;
  grafanaVersion?: string;
  pomeriumVersion?: string;
  /** Files the configs name (`jwk_set_file`, `signing_key_file`, `$__file{}`), by path. */
  files?: Record<string, string>;
  /** Like `--root`: a path not in `files` is missing (an error) instead of "could not check". */
  root?: boolean;
  servedJwks?: ServedJwks;
  /** Kubernetes manifests instead of pomerium.yaml, by file name. */
  kubernetes?: Record<string, string>;
  /** Grafana Helm values (file values.yaml) instead of grafana.ini. */
  grafanaValues?: string;
  /** A compose file (docker-compose.yml); `vars` interpolate it, `files` are its host files. */
  compose?: string;
  vars?: Record<string, string>;
}

export const VALUES_FILE = 'values.yaml';
export const COMPOSE_FILE = 'docker-compose.yml';

export const GRAFANA_FILE = 'grafana.ini';
export const POMERIUM_FILE = 'pomerium.yaml';

/** Runs doctor's core on texts, as the CLI would on files named grafana.ini and pomerium.yaml. */
export function lintCase(c: LintCase, rules?: readonly Rule[]): LintResult {
  const readFile = (path: string): FileLookup => {
    const text = c.files?.[path];
    if (text !== undefined) return { status: 'ok', text, path };
    return c.root ? { status: 'missing', path } : { status: 'unknown', path, reason: 'not visible where doctor runs' };
  };
  return lint(
    {
      pomerium: c.pomerium !== undefined ? { file: POMERIUM_FILE, text: c.pomerium } : null,
      grafana: c.grafana !== undefined ? { file: GRAFANA_FILE, text: c.grafana } : null,
      env: c.env ?? {},
      ...(c.route ? { route: c.route } : {}),
      grafanaVersion: c.grafanaVersion ?? CURRENT_GRAFANA_VERSION,
      pomeriumVersion: c.pomeriumVersion ?? CURRENT_POMERIUM_VERSION,
      readFile,
      servedJwks: c.servedJwks ?? null,
      kubernetes: c.kubernetes ? { source: '.', files: Object.entries(c.kubernetes).map(([file, text]) => ({ file, text })) } : null,
      grafanaValues: c.grafanaValues !== undefined ? { file: VALUES_FILE, text: c.grafanaValues } : null,
      compose: c.compose !== undefined ? { file: COMPOSE_FILE, text: c.compose, vars: c.vars ?? {}, readFile: (path) => c.files?.[path] ?? null } : null,
    },
    rules ? { rules } : {},
  );
}

/** `ruleId messageId @line:column` strings, sorted: compact to assert on. */
export function summarize(result: LintResult, ruleId?: string): string[] {
  return result.findings
    .filter((f) => ruleId === undefined || f.ruleId === ruleId)
    .map((f) => `${f.ruleId} ${f.messageId ?? '-'} @${f.file === null ? '-' : f.file === GRAFANA_FILE ? 'ini' : f.file === POMERIUM_FILE ? 'yaml' : f.file}:${f.line ?? '-'}:${f.column ?? '-'}`);
}

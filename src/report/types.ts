import type { ChalkInstance } from 'chalk';
import type { Finding, Severity } from '../core/finding.js';

/** Metadata of a rule that ran (SARIF lists every rule, including those that found nothing). */
export interface RuleInfo {
  id: string;
  description: string;
  severity: Severity;
}

export interface ReportInput {
  findings: readonly Finding[];
  /** File text by the path findings use, for source excerpts. */
  sources: ReadonlyMap<string, string>;
  rules: readonly RuleInfo[];
  /**
   * Colours for the human report; absent: plain text. The other formats never colour. The CLI loads
   * chalk only when colour is wanted, which keeps it off the start-up path of a piped or CI run.
   */
  colors?: ChalkInstance;
  /** Directory that SARIF URIs and GitHub annotation paths are made relative to (the repository root in CI). */
  cwd: string;
  /** Applied to every source line before it is printed, so secrets in excerpts never leave. */
  maskSecrets?: (file: string, line: number, text: string) => string;
  /** What `$__file{}`/`$__env{}` expanded to: replaced by the reference wherever a message would show it. */
  hiddenValues?: readonly { reference: string; text: string }[];
  /** `--show-secrets`: values are not masked by key or shape (expanded file content stays hidden). */
  showSecrets?: boolean;
}

/** Formats findings; the result is the whole output, ending in a newline. */
export type Reporter = (input: ReportInput) => string;

// The terminal report, after actionlint and ShellCheck: a greppable, editor-clickable first line,
// the source line with the span underlined, then hint and docs.
import type { ChalkInstance } from 'chalk';
import { sortFindings, type Finding, type Severity } from '../core/finding.js';
import { lineIndexOf, type LineIndex } from '../core/span.js';
import { escapeControlsInLine, maskSecretAssignments, maskSecretShapes } from '../core/sanitize.js';
import { countBySeverity, type SeverityCounts } from './counts.js';
import { ruleDocsUrl } from './rule-docs.js';
import { shownFindings } from './safe.js';
import type { ReportInput } from './types.js';

/** Tabs in excerpts are expanded to this stop so the caret line and the source line agree on every terminal. */
const TAB_STOP = 4;

const SEVERITY_STYLE: Record<Severity, (c: ChalkInstance) => ChalkInstance> = {
  error: (c) => c.red,
  warning: (c) => c.yellow,
  info: (c) => c.blue,
};

/** Chalk's shape without colours: every style, at any depth, returns the text as it is. */
const PLAIN: ChalkInstance = new Proxy(((text: unknown) => String(text)) as ChalkInstance, { get: () => PLAIN });

export function formatHuman(input: ReportInput): string {
  const c = input.colors ?? PLAIN;
  const indexes = new Map<string, LineIndex>();
  const lineIndex = (file: string): LineIndex | undefined => {
    const text = input.sources.get(file);
    if (text === undefined) return undefined;
    let index = indexes.get(file);
    if (!index) indexes.set(file, (index = lineIndexOf(text, file)));
    return index;
  };
  const mask = input.maskSecrets ?? ((_file: string, _line: number, text: string) => text);

  const findings = sortFindings(input.findings);
  const blocks = sortFindings(shownFindings(findings, input)).map((finding) => {
    const style = SEVERITY_STYLE[finding.severity](c);
    const lines = [`${escapeControlsInLine(place(finding))}${style.bold(finding.severity)}: ${escapeControlsInLine(finding.message)} ${c.dim(`[${finding.ruleId}]`)}`];
    const index = finding.file === null ? undefined : lineIndex(finding.file);
    if (index && finding.file !== null && finding.line !== null && finding.line <= index.lineStarts.length) {
      const masked = mask(finding.file, finding.line, index.lineText(finding.line));
      const text = input.showSecrets ? masked : maskSecretShapes(maskSecretAssignments(masked));
      lines.push(...excerpt(finding, text, c, style));
    }
    if (finding.hint !== undefined) lines.push(`  ${c.cyan('hint:')} ${escapeControlsInLine(finding.hint)}`);
    lines.push(c.dim(`  docs: ${ruleDocsUrl(finding.ruleId)}`));
    return lines.join('\n');
  });
  return [...blocks, summary(countBySeverity(findings), c)].join('\n\n') + '\n';
}

/** `file:line:col: `, as much of it as the finding has. */
function place(finding: Finding): string {
  const parts: (string | number)[] = [];
  for (const part of [finding.file, finding.line, finding.column]) {
    if (part === null) break;
    parts.push(part);
  }
  return parts.length ? `${parts.join(':')}: ` : '';
}

/**
 * The source line under a gutter, and `^~~~` under the span. A span that runs past its first line is
 * underlined to the end of that line; an empty span (an insertion point) still gets its caret.
 */
function excerpt(finding: Finding, text: string, c: ChalkInstance, style: ChalkInstance): string[] {
  const line = finding.line!;
  const start = clamp((finding.column ?? 1) - 1, 0, text.length);
  const end =
    finding.endLine === null || finding.endColumn === null
      ? start
      : finding.endLine > line
        ? text.length
        : clamp(finding.endColumn - 1, start, text.length);
  // Control characters are shown escaped (`\e`, `\x07`), part by part so the caret stays under the span; a very long line
  // is cut around the span.
  let before = escapeExcerpt(text.slice(0, start));
  const inside = escapeExcerpt(text.slice(start, end));
  let after = escapeExcerpt(text.slice(end));
  if (before.length > EXCERPT_CONTEXT) before = `…${before.slice(before.length - EXCERPT_CONTEXT)}`;
  if (after.length > EXCERPT_CONTEXT) after = `${after.slice(0, EXCERPT_CONTEXT)}…`;
  const shownInside = inside.length > EXCERPT_CONTEXT * 2 ? `${inside.slice(0, EXCERPT_CONTEXT * 2)}…` : inside;
  const shown = before + shownInside + after;
  const indent = displayWidth(before);
  const width = Math.max(1, displayWidth(before + shownInside) - indent);
  const gutter = ' '.repeat(String(line).length);
  return [
    `${c.dim(`${line} |`)} ${expandTabs(shown)}`.trimEnd(),
    `${c.dim(`${gutter} |`)} ${' '.repeat(indent)}${style('^' + '~'.repeat(width - 1))}`,
  ];
}

/** Characters of an excerpt shown on each side of the span (a 4 KB line of junk is not a report). */
const EXCERPT_CONTEXT = 160;

/** Controls escaped, tabs kept (they are expanded to the tab stop). */
const escapeExcerpt = (text: string) => escapeControlsInLine(text, { keepTabs: true });

function summary({ errors, warnings, infos }: SeverityCounts, c: ChalkInstance): string {
  const total = errors + warnings + infos;
  if (total === 0) return c.green('✓ no problems found');
  const text = `✖ ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')})`;
  const worst: Severity = errors ? 'error' : warnings ? 'warning' : 'info';
  return SEVERITY_STYLE[worst](c).bold(text);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const clamp = (n: number, lo: number, hi: number) => Math.min(Math.max(n, lo), hi);

function expandTabs(text: string): string {
  let out = '';
  let cells = 0;
  for (const ch of text) {
    if (ch === '\t') {
      const pad = TAB_STOP - (cells % TAB_STOP);
      out += ' '.repeat(pad);
      cells += pad;
    } else {
      out += ch;
      cells += charWidth(ch);
    }
  }
  return out;
}

/** Terminal cells `text` takes once its tabs are expanded. */
function displayWidth(text: string): number {
  let cells = 0;
  for (const ch of expandTabs(text)) cells += charWidth(ch);
  return cells;
}

// East Asian wide and fullwidth characters and emoji shown as emoji take two cells; combining marks take none.
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|\p{Emoji_Presentation}/u;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200B-\u200F]/u;

function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

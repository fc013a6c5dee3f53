// Small helpers the cross/ rules share: offsets for fixes, and reading values the models do not keep.
import type { Fix } from '../../core/finding.js';
import { LineIndex, type Span } from '../../core/span.js';
import type { IniHeader } from '../../grafana/ini-types.js';
import type { Setting } from '../../grafana/model-types.js';
import { validateJwksText } from '../../jwks/validate.js';
import type { PublicJwk, RuleContext } from '../types.js';

/** [start, end) offsets of a span in `text` (spans are 1-based; columns in UTF-16 units, like offsets). */
function offsetsOf(text: string, span: Span): { start: number; end: number } {
  const starts = new LineIndex(text, span.file).lineStarts;
  return {
    start: (starts[span.line - 1] ?? text.length) + span.column - 1,
    end: (starts[span.endLine - 1] ?? text.length) + span.endColumn - 1,
  };
}

/** A fix that replaces the text at `span` in its file, when doctor has that file's text. */
export function replaceFix(ctx: RuleContext, span: Span | null, text: string, description: string): Fix | undefined {
  const source = span ? ctx.textOf(span.file) : undefined;
  if (!span || source === undefined) return undefined;
  return { file: span.file, description, edits: [{ ...offsetsOf(source, span), text }] };
}

/** The single edit that turns `before` into `after` (common prefix and suffix kept). */
export function diffEdit(before: string, after: string): { start: number; end: number; text: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}

/** A Grafana setting that some layer set to a non-empty value this tool can see, else undefined. */
export function setValue(ctx: RuleContext, section: string, key: string): Setting | undefined {
  const setting = ctx.grafana?.get(section, key);
  return setting && setting.known && setting.value.trim() !== '' && setting.source !== 'default' ? setting : undefined;
}

/** A fix that rewrites a grafana.ini value, only when it was written in the file unquoted (so the span is the value). */
export function iniValueFix(ctx: RuleContext, setting: Setting, value: string, description: string): Fix | undefined {
  if (setting.source !== 'file' || !setting.span) return undefined;
  const entry = ctx.grafana?.doc?.entries.findLast((e) => e.section === setting.section && e.key === setting.key);
  if (!entry || entry.quoting !== 'none' || entry.cutComment) return undefined;
  return replaceFix(ctx, setting.span, value, description);
}

/** The text of a top-level scalar option of the Pomerium file, which the model does not keep (e.g. `idp_provider_url`). */
export function topLevelText(ctx: RuleContext, name: string): string | undefined {
  const key = ctx.pomerium?.topLevelKeys.findLast((k) => k.name.toLowerCase() === name);
  const source = key?.valueSpan ? ctx.textOf(key.valueSpan.file) : undefined;
  if (!key?.valueSpan || source === undefined) return undefined;
  const { start, end } = offsetsOf(source, key.valueSpan);
  return source.slice(start, end).trim().replace(/^(["'])(.*)\1$/s, '$2');
}

/** The served JWKS (`--jwks`/`--live`) as keys, a validation problem, or why it could not be had. */
export function servedKeySet(ctx: RuleContext): { keys: PublicJwk[] } | { invalid: string; empty: boolean } | { unreachable: string } | null {
  const served = ctx.servedJwks;
  if (!served) return null;
  if ('keys' in served) return { keys: served.keys };
  if ('unreachable' in served) return { unreachable: served.unreachable };
  const checked = validateJwksText(served.text);
  if (checked.ok) return { keys: checked.jwks.keys };
  return { invalid: checked.problems.map((p) => p.message).join('; '), empty: checked.problems.some((p) => p.code === 'no-keys') };
}

/**
 * The kid Pomerium signs with: from its configured key material, else the first key of the served set
 * (authorize signs with the first PEM block, and the JWKS lists the blocks in order).
 */
export function signerKid(ctx: RuleContext): { kid: string; from: string } | null {
  const signing = ctx.signing;
  if (signing && 'signer' in signing && signing.signer) return { kid: signing.signer.kid, from: signing.source };
  const served = servedKeySet(ctx);
  const first = served && 'keys' in served ? served.keys[0]?.kid : undefined;
  return first ? { kid: first, from: `the first key of ${ctx.servedJwks!.source}` } : null;
}

/** The last `[name]` header of grafana.ini (where a missing key of that section should go). */
export function sectionHeader(ctx: RuleContext, name: string): IniHeader | undefined {
  return ctx.grafana?.doc?.headers.findLast((h) => h.name === name);
}

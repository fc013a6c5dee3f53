import { UserError } from '../../core/errors.js';
import type { Fix } from '../../core/finding.js';
import { isSecretKey } from '../../doctor/secrets.js';
import { encodeIniValue } from '../../grafana/ini-edit.js';
import { isGoSpace } from '../../core/go-text.js';
import type { IniDocument, IniEntry } from '../../grafana/ini-types.js';
import { defineRule } from '../types.js';
import { offsetAt } from './place.js';

/** An opening quote or bracket the kept text leaves open: the cut text closes it, so it was part of the value. */
function leftOpen(kept: string): boolean {
  if ((kept.startsWith('"') || kept.startsWith("'")) && !kept.endsWith(kept[0]!)) return true;
  const count = (re: RegExp) => kept.match(re)?.length ?? 0;
  return count(/[{[(]/g) > count(/[}\])]/g);
}

/** The value text go-ini kept, as written (quotes included). */
function keptText(doc: IniDocument, entry: IniEntry): string {
  const { line, column, endLine, endColumn } = entry.valueSpan;
  return doc.text.slice(offsetAt(doc, line, column), offsetAt(doc, endLine, endColumn));
}

/**
 * Whether the text go-ini cut off was meant as part of the value: the `;`/`#` is glued to it (a URL
 * `#fragment`, `a;b`) or sits inside a quote or bracket the value opens (`"a;b"`, JSON, JMESPath).
 * A spaced-out ` ; note` after a complete value is an ordinary comment.
 */
function cutIntoValue(doc: IniDocument, entry: IniEntry): boolean {
  const cut = entry.cutComment;
  if (!cut || cut.text.slice(1).trim() === '') return false;
  const cutStart = offsetAt(doc, cut.span.line, cut.span.column);
  const glued = !isGoSpace(doc.text.charCodeAt(cutStart - 1));
  const kept = keptText(doc, entry);
  return (glued && kept !== '') || leftOpen(kept);
}

/**
 * The value the writer meant: the kept text plus the cut text, up to the first spaced-out ` ;`/` #` that comes
 * after every quote and bracket is closed again (an ordinary comment the line may also carry).
 */
function meantValue(written: string, kept: string): string {
  for (const m of written.matchAll(/\s[;#]/g)) {
    const prefix = written.slice(0, m.index).trimEnd();
    if (prefix.length > kept.length && !leftOpen(prefix)) return prefix;
  }
  return written;
}

/** Rewrites the meant value (surrounding plain quotes dropped: they never protected anything) so go-ini keeps it whole. */
function protectFix(doc: IniDocument, entry: IniEntry): Fix | undefined {
  const start = offsetAt(doc, entry.valueSpan.line, entry.valueSpan.column);
  const meant = meantValue(doc.text.slice(start, offsetAt(doc, entry.cutComment!.span.endLine, entry.cutComment!.span.endColumn)), keptText(doc, entry));
  const quoted = meant.length >= 2 && (meant[0] === '"' || meant[0] === "'") && meant.endsWith(meant[0]);
  try {
    const text = encodeIniValue(quoted ? meant.slice(1, -1) : meant);
    return { file: doc.file, description: `quote ${entry.key} so go-ini keeps the text after \`${entry.cutComment!.text[0]}\``, edits: [{ start, end: start + meant.length, text }] };
  } catch (err) {
    if (err instanceof UserError) return undefined; // holds both a backtick and `"""`: no quoting go-ini reads back
    throw err;
  }
}

/** A trailing ` ; note` / ` # note`, as copied from an ini line. */
const ENV_COMMENT = /\s([;#])\s*\S.*$/s;

export default defineRule({
  meta: {
    id: 'grafana/inline-comment',
    description: 'A value cut short by go-ini at `;`/`#`, or an ini comment copied into a GF_* variable',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      cut: 'go-ini ends {{key}} at `{{symbol}}` (an inline comment starts there, and quotes do not protect it): Grafana reads only the text before it',
      envComment:
        "{{name}} carries what looks like an ini comment (` {{symbol}} …`): Grafana does not strip comments from environment variables, so it is part of the value",
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    const doc = grafana.doc;
    for (const entry of doc?.entries ?? []) {
      if (!doc || !cutIntoValue(doc, entry)) continue;
      // A secret is not rewritten: what the running setup uses may be the cut value.
      const fix = isSecretKey(entry.key) ? undefined : protectFix(doc, entry);
      report({
        messageId: 'cut',
        data: { key: entry.key, symbol: entry.cutComment!.text[0]! },
        span: entry.cutComment!.span,
        hint: 'wrap the whole value in backticks (`…`) or triple quotes ("""…"""); those are the only quotes go-ini keeps `;` and `#` in',
        ...(fix ? { fix } : {}),
      });
    }
    for (const override of grafana.envOverrides) {
      // A password may well contain ` #`; it is not quoted here either way.
      if (override.status !== 'applied' || isSecretKey(override.name)) continue;
      const comment = ENV_COMMENT.exec(override.value);
      if (!comment) continue;
      report({
        messageId: 'envComment',
        data: { name: override.name, symbol: comment[1]! },
        span: override.span,
        file: override.span?.file ?? null,
        hint: 'remove the comment from the variable and keep only the value',
      });
    }
  },
});

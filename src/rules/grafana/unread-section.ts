import { didYouMean } from '../../core/did-you-mean.js';
import { KNOWN_SECTIONS } from '../../grafana/defaults.js';
import { DEFAULT_SECTION } from '../../grafana/ini-parse.js';
import type { IniDocument, IniHeader } from '../../grafana/ini-types.js';
import { defineRule } from '../types.js';
import { replaceSpan } from './place.js';

/** Short names people write for a section. */
const ALIASES: Record<string, string> = { jwt: 'auth.jwt', anonymous: 'auth.anonymous', proxy: 'auth.proxy' };

const NAMED_SECTIONS = [...KNOWN_SECTIONS].filter((s) => s !== DEFAULT_SECTION);

/**
 * The section a header that Grafana never reads was meant to be: spaces, case, `_`/`-` for `.`, stray dots,
 * a short alias, or a typo close to a modelled section. Undefined for real sections this tool does not model.
 */
export function intendedSection(name: string): string | undefined {
  if (KNOWN_SECTIONS.has(name)) return undefined;
  const normalized = name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '.')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.|\.$/g, '');
  const alias = ALIASES[normalized] ?? normalized;
  if (KNOWN_SECTIONS.has(alias) && alias !== DEFAULT_SECTION) return alias;
  return didYouMean(name.trim(), NAMED_SECTIONS);
}

/** The text after a header's closing `]` on its line, when it is not a comment (go-ini drops it). */
function trailingText(doc: IniDocument, header: IniHeader): { start: number; end: number; text: string } | null {
  const line = doc.index.position(header.end).line;
  const lineEnd = doc.index.lineStarts[line] ?? doc.text.length;
  const rest = doc.text.slice(header.end, lineEnd);
  const text = rest.trim();
  if (text === '' || text.startsWith(';') || text.startsWith('#')) return null;
  const start = header.end + rest.indexOf(text);
  return { start, end: start + text.length, text };
}

export default defineRule({
  meta: {
    id: 'grafana/unread-section',
    description: 'A grafana.ini section header that Grafana never reads, or that swallows a key',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      misspelled:
        'Grafana never reads the section "{{name}}": go-ini keeps section names exactly as written (spaces, case and punctuation included), so every key under it is ignored; did you mean [{{intended}}]?',
      swallowedKey: 'go-ini ignores text after the `]` of a section header, so `{{key}}` on this line is never read',
    },
  },
  check(ctx, report) {
    const doc = ctx.grafana!.doc;
    if (!doc) return;
    // Offsets index the text after a BOM; without one they are the file's, so only then can a fix be offered.
    const fixable = !doc.bom;
    for (const header of doc.headers) {
      const intended = intendedSection(header.name);
      if (intended) {
        report({
          messageId: 'misspelled',
          data: { name: header.name, intended },
          span: header.span,
          hint: `write the header as [${intended}]`,
          ...(fixable ? { fix: replaceSpan(doc, header.span, `[${intended}]`, `rename section to [${intended}]`) } : {}),
        });
      }
      const trailing = trailingText(doc, header);
      const key = trailing && /^([^=:]*?)\s*[=:]/.exec(trailing.text)?.[1];
      if (trailing && key) {
        const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
        report({
          messageId: 'swallowedKey',
          data: { key },
          span: doc.index.span(trailing.start, trailing.end),
          hint: 'put the key on its own line below the header',
          ...(fixable ? { fix: { file: doc.file, description: `move ${key} to its own line`, edits: [{ start: header.end, end: trailing.start, text: eol }] } } : {}),
        });
      }
    }
  },
});

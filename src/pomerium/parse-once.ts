// One parse per text: doctor asks of the same Pomerium file whether it parses, whether it is a bare
// route list, and then reads it; each yaml parseDocument of a 10,000-route file costs about a second.
import { parseDocument, type Document } from 'yaml';

type Options = Parameters<typeof parseDocument>[1];

/**
 * Texts at least this long are parsed ahead by the fast reader (src/pomerium/fast-document.ts). yaml's
 * first parse runs cold and is slow for its size (measured with doctor on Node 20: about even with
 * loading js-yaml at 2.8 KB, 26 ms slower at 7 KB, 66 ms at 18 KB); below this, yaml parses.
 */
export const FAST_READER_MIN_CHARS = 4 * 1024;

let last: { text: string; options: Options; doc: Document.Parsed } | null = null;

/**
 * yaml's `parseDocument(text, options)`, answered from the last call when the text and the options
 * object are the same. Callers only read the document: none may change it.
 */
export function parseDocumentOnce(text: string, options: Options): Document.Parsed {
  if (last && last.text === text && last.options === options) return last.doc;
  const doc = parseDocument(text, options);
  last = { text, options, doc };
  return doc;
}

/**
 * For a large text, builds the document parseDocumentOnce will answer with, by the fast reader (it
 * loads js-yaml, so only here and only when needed); for YAML that reader does not model, nothing
 * happens and yaml parses it as before. The document is the one yaml would give, node by node.
 * Says which reader will have parsed the text, or null for a small one (`minChars`: tests read small ones too).
 */
export async function parseAheadIfLarge(text: string, options: Options, minChars = FAST_READER_MIN_CHARS): Promise<'js-yaml events' | 'yaml' | null> {
  if (text.length < minChars) return null;
  const { parseDocumentFast } = await import('./fast-document.js');
  const doc = parseDocumentFast(text, options ?? {});
  if (!doc) return 'yaml';
  last = { text, options, doc };
  return 'js-yaml events';
}

// One parse per text: doctor asks of the same Pomerium file whether it parses, whether it is a bare
// route list, and then reads it; each yaml parseDocument of a 10,000-route file costs about a second.
import { parseDocument, type Document } from 'yaml';

type Options = Parameters<typeof parseDocument>[1];

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

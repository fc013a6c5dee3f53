import type { Fix } from '../../core/finding.js';
import { isSecretKey } from '../../doctor/secrets.js';
import { KNOWN_SECTIONS } from '../../grafana/defaults.js';
import type { IniDocument, IniEntry } from '../../grafana/ini-types.js';
import { defineRule } from '../types.js';
import { offsetAt } from './place.js';

/** `$NAME` not followed by `{`: Grafana expands only `${NAME}`, `$__env{NAME}` and `$__file{path}` (expanders.go). */
const BARE_VARIABLE = /\$([A-Za-z_]\w*)(?![\w{])/g;

export default defineRule({
  meta: {
    id: 'grafana/file-expansion',
    description: 'A `$__file{}` whose file is missing, or a `$VAR` Grafana never expands',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      missingFile: 'Grafana will not start: "{{message}}"',
      notVisible: 'could not check [{{section}}] {{key}}: {{message}}',
      bareVariable: '`${{variable}}` stays as written: Grafana expands only `${{{variable}}}`, `$__env{{{variable}}}` and `$__file{path}`, never `$NAME` without braces',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    const file = grafana.doc?.file ?? null;
    for (const problem of grafana.expansionProblems) {
      const data = { section: problem.section, key: problem.key, message: problem.message };
      if (problem.fatal) report({ messageId: 'missingFile', data, span: problem.span, file, hint: 'create the file where Grafana runs (mount it into the container), or fix the path' });
      else report({ messageId: 'notVisible', data, severity: 'info', span: problem.span, file, hint: 'pass --root DIR to say where the container\'s files are, to check that the file exists' });
    }
    const doc = grafana.doc;
    if (!doc) return;
    // Only the modelled sections: elsewhere `$NAME` can be meant literally (the CSP template's `$NONCE`).
    for (const entry of doc.entries) {
      if (!KNOWN_SECTIONS.has(entry.section) || isSecretKey(entry.key)) continue;
      for (const match of entry.value.matchAll(BARE_VARIABLE)) {
        const variable = match[1]!;
        const fix = bracesFix(doc, entry, match.index, variable);
        report({
          messageId: 'bareVariable',
          data: { variable },
          span: entry.valueSpan,
          hint: `write \${${variable}}`,
          ...(fix ? { fix } : {}),
        });
      }
    }
  },
});

/** `$NAME` → `${NAME}`, when the value is written plainly on one line (so offsets in the value are offsets in the file). */
function bracesFix(doc: IniDocument, entry: IniEntry, at: number, variable: string): Fix | undefined {
  if (doc.bom || entry.quoting !== 'none' || entry.valueSpan.line !== entry.valueSpan.endLine) return undefined;
  const start = offsetAt(doc, entry.valueSpan.line, entry.valueSpan.column);
  if (doc.text.slice(start, start + entry.value.length) !== entry.value) return undefined;
  return { file: doc.file, description: `write \${${variable}}`, edits: [{ start: start + at, end: start + at + variable.length + 1, text: `\${${variable}}` }] };
}

import { groupBy } from '../../core/group-by.js';
import type { IniEntry, IniHeader } from '../../grafana/ini-types.js';
import { defineRule } from '../types.js';

export default defineRule({
  meta: {
    id: 'grafana/duplicate',
    description: 'A section or key written more than once: which one Grafana uses',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      section: '[{{section}}] appears again (first on line {{firstLine}}): go-ini merges both into one section, and a key written in both takes its last value',
      overridden: '{{key}} in [{{section}}] is set again on line {{winnerLine}}: go-ini keeps only the last value, so this one is ignored',
      blanked: '{{key}} in [{{section}}] is set again, empty, on line {{winnerLine}}: go-ini keeps the empty value and Grafana skips empty values, so neither applies and Grafana uses its default',
      repeated: '{{key}} in [{{section}}] is repeated with the same value on line {{winnerLine}}: this line has no effect',
    },
  },
  check(ctx, report) {
    const doc = ctx.grafana!.doc;
    if (!doc) return;
    for (const headers of groupBy<IniHeader>(doc.headers, (h) => h.name).values()) {
      for (const header of headers.slice(1)) {
        report({ messageId: 'section', severity: 'info', data: { section: header.name, firstLine: headers[0]!.span.line }, span: header.span, hint: 'move these keys under the first header and delete this one' });
      }
    }
    for (const entries of repeatedKeys(doc.entries)) {
      const winner = entries.at(-1)!;
      for (const entry of entries.slice(0, -1)) {
        const messageId = winner.value === '' && entry.value !== '' ? 'blanked' : entry.value === winner.value ? 'repeated' : 'overridden';
        report({
          messageId,
          // A repeat with the same value loses nothing; otherwise a written value is silently dropped.
          severity: messageId === 'repeated' ? 'info' : 'error',
          data: { key: entry.key, section: entry.section, winnerLine: winner.keySpan.line },
          span: doc.index.span(entry.start, entry.end),
          hint: messageId === 'repeated' ? 'delete this line' : 'keep one line with the value you mean and delete the others',
        });
      }
    }
  },
});

/**
 * The entries of each `[section] key` written more than once, groups in the order their first entry appears. Keys
 * written once (nearly all of a big file) get no array of their own.
 */
function repeatedKeys(entries: readonly IniEntry[]): IniEntry[][] {
  const bySection = new Map<string, Map<string, IniEntry | IniEntry[]>>();
  const repeated: IniEntry[][] = [];
  for (const entry of entries) {
    // `#1`, `#2`… are go-ini's names for `-` list items, not keys anyone wrote twice.
    if (entry.key.startsWith('#')) continue;
    let keys = bySection.get(entry.section);
    if (!keys) bySection.set(entry.section, (keys = new Map()));
    const seen = keys.get(entry.key);
    if (seen === undefined) keys.set(entry.key, entry);
    else if (Array.isArray(seen)) seen.push(entry);
    else {
      const group = [seen, entry];
      keys.set(entry.key, group);
      repeated.push(group);
    }
  }
  return repeated.sort((a, b) => a[0]!.start - b[0]!.start);
}

import { shownIniError } from '../../doctor/secrets.js';
import { defineRule } from '../types.js';

/** What to do about each go-ini load error (the message starts with these words). */
const HINTS: [prefix: string, hint: string][] = [
  ['key-value delimiter not found', 'every line must be `key = value`, a `[section]` header, or a comment starting with `;` or `#`'],
  ['empty key name', 'write a key name before the `=`'],
  ['missing closing key quote', 'close the quote (`"`, `"""` or a backtick) that this line opens'],
  ['unclosed section', 'close the section header with `]`'],
  ['empty section name', 'name the section between `[` and `]`'],
];

export default defineRule({
  meta: {
    id: 'grafana/ini-syntax',
    description: 'grafana.ini does not load in go-ini, so Grafana refuses to start',
    severity: 'error',
    requires: ['grafana'],
    judgesUnparsedInput: true,
    messages: {
      loadError: 'go-ini cannot load this file: {{message}}. Grafana stops at start-up ("failed to parse" the config file) and serves nothing',
    },
  },
  check(ctx, report) {
    const doc = ctx.grafana?.doc;
    if (!doc?.error) return;
    const { message, span } = doc.error;
    const shown = shownIniError(doc.error, doc);
    const hint = HINTS.find(([prefix]) => message.startsWith(prefix))?.[1] ?? 'fix the line so go-ini can read it';
    report({ messageId: 'loadError', data: { message: shown }, span, hint });
  },
});

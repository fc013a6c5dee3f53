import { defineRule } from '../types.js';
import { keptEntriesInKnownSections, moveEntryFix, placementOf } from './key-placement.js';

/** What people meant by a key that has a better-suited JWT counterpart. */
const NOTES: Record<string, string> = {
  allow_sign_up: '; for JWT users the switch is [auth.jwt] auto_sign_up, [users] allow_sign_up does not govern JWT sign-up',
};

export default defineRule({
  meta: {
    id: 'grafana/misplaced-key',
    description: 'A grafana.ini key sits in a section where Grafana does not read it',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      ignored: '`{{key}}` is not a key of [{{section}}]: Grafana stores it there and never reads it, so the setting has no effect; it belongs in [{{home}}]',
      viaParent:
        '`{{key}}` is not a key of [{{section}}]: it takes effect only because go-ini\'s parent-section lookup writes it into [{{parent}}] {{key}}{{replaces}}; readers of this file will not expect that',
      viaParentLost: '`{{key}}` under [{{section}}] is written into [{{parent}}] by go-ini\'s parent-section lookup, but {{winner}} sets [{{parent}}] {{key}} too and wins, so this line has no effect',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    const doc = grafana.doc;
    if (!doc) return;
    for (const entry of keptEntriesInKnownSections(doc)) {
      const placement = placementOf(entry.section, entry.key);
      // An empty value is skipped when Grafana merges the file: wherever it sits, it does nothing.
      if (placement.kind !== 'misplaced' || entry.value === '') continue;
      const data = { key: entry.key, section: entry.section, home: placement.home };
      const landed = grafana.get(entry.section, entry.key);
      const parent = landed && landed.section !== entry.section ? landed.section : undefined;
      if (parent === undefined) {
        const existing = doc.entries.findLast((e) => e.section === placement.home && e.key === entry.key);
        const clash = existing ? `; [${placement.home}] already sets ${entry.key} on line ${existing.keySpan.line}: keep the value you mean there` : '';
        report({
          messageId: 'ignored',
          data,
          span: entry.keySpan,
          hint: `move the line into [${placement.home}]${clash}${NOTES[entry.key] ?? ''}`,
          ...withFix(existing ? undefined : moveEntryFix(doc, entry, placement.home)),
        });
        continue;
      }
      const sameSpot = (a: { line: number; column: number } | null) => a !== null && a.line === entry.valueSpan.line && a.column === entry.valueSpan.column;
      const rivals = doc.entries.filter((e) => e.section === parent && e.key === entry.key);
      if (!sameSpot(landed!.span)) {
        const winner = landed!.envName ?? (landed!.span ? `line ${landed!.span.line}` : `[${parent}]`);
        report({ messageId: 'viaParentLost', data: { ...data, parent, winner }, span: entry.keySpan, hint: `delete this line; the value that counts is the one in [${parent}]` });
        continue;
      }
      const replaces = rivals.length > 0 ? `, replacing the [${parent}] value on line ${rivals.at(-1)!.keySpan.line}` : '';
      report({
        messageId: 'viaParent',
        // It works, through a go-ini quirk a reader does not expect: fragile, not broken.
        severity: 'warning',
        data: { ...data, parent, replaces },
        span: entry.keySpan,
        hint: `move the line into [${parent}]${rivals.length > 0 ? ` in place of the [${parent}] ${entry.key} line` : ''}`,
        ...withFix(rivals.length === 0 ? moveEntryFix(doc, entry, parent) : undefined),
      });
    }
  },
});

function withFix<T>(fix: T | undefined): { fix?: T } {
  return fix ? { fix } : {};
}

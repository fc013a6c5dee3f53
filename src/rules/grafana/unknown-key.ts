import { didYouMean } from '../../core/did-you-mean.js';
import { grafanaKey, GRAFANA_KEYS } from '../../grafana/defaults.js';
import type { IniDocument, IniEntry } from '../../grafana/ini-types.js';
import { defineRule } from '../types.js';
import { keptEntriesInKnownSections, placementOf } from './key-placement.js';
import { entriesOf, replaceSpan } from './place.js';

/**
 * The catalog is complete for [auth.jwt] (every key `readAuthJWTSettings` reads), so any other name there is
 * unknown. Elsewhere it lists only what this tool needs, so there a name is judged only when it looks like a typo.
 */
const COMPLETE_SECTIONS = new Set(['auth.jwt']);

/** Why a key people write is not read, for the keys that keep turning up. */
const NEVER_READ: Record<string, { why: string; hint: string; rename?: string }> = {
  'auth.jwt\u0000enable_login_token': {
    why: 'defaults.ini lists it, but no JWT code reads it (grafana#126608): JWT sign-in never turns into a Grafana session, every request is signed in from the header',
    hint: 'delete the line; only [auth.proxy] enable_login_token is real',
  },
  'auth.jwt\u0000expected_claims': {
    why: 'it is the old misspelling from defaults.ini before 9.3 (grafana#58231); Grafana reads `expect_claims`, so these claims are never checked',
    hint: 'rename the key to expect_claims',
    rename: 'expect_claims',
  },
  'auth.jwt\u0000name_attribute_path': {
    why: 'Grafana has no such setting (feature request grafana#99617): the display name comes only from the top-level `name` claim',
    hint: 'delete the line; have the identity provider put the display name in Pomerium\'s `name` claim',
  },
};

export default defineRule({
  meta: {
    id: 'grafana/unknown-key',
    description: 'A grafana.ini key that Grafana never reads (dead, unsupported or misspelled)',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      neverRead: 'Grafana never reads [{{section}}] {{key}}: {{why}}',
      didYouMean: 'Grafana has no [{{section}}] key `{{key}}`, so it is ignored; did you mean `{{suggestion}}`? (key names are case-sensitive)',
      unknown: 'Grafana has no [{{section}}] key `{{key}}`, so it is ignored',
    },
  },
  check(ctx, report) {
    const doc = ctx.grafana!.doc;
    if (!doc) return;
    for (const entry of keptEntriesInKnownSections(doc)) {
      if (entry.key.startsWith('#')) continue; // go-ini's auto-numbered `-` keys
      const data = { section: entry.section, key: entry.key };
      const known = NEVER_READ[`${entry.section}\u0000${entry.key}`];
      const placement = placementOf(entry.section, entry.key);
      if (known) {
        report({
          messageId: 'neverRead',
          data: { ...data, why: known.why },
          span: entry.keySpan,
          hint: known.hint,
          ...renameFix(doc, entry, known.rename),
        });
      } else if (placement.kind === 'catalog' && grafanaKey(entry.section, entry.key)?.read === null) {
        report({ messageId: 'neverRead', data: { ...data, why: 'no Grafana release reads it' }, span: entry.keySpan, hint: 'delete the line' });
      } else if (placement.kind === 'unknown') {
        const suggestion = didYouMean(entry.key, readKeysOf(entry.section));
        if (suggestion) {
          const caseOnly = suggestion.toLowerCase() === entry.key.toLowerCase();
          report({ messageId: 'didYouMean', data: { ...data, suggestion }, span: entry.keySpan, hint: `rename the key to ${suggestion}`, ...renameFix(doc, entry, caseOnly ? suggestion : undefined) });
        } else if (COMPLETE_SECTIONS.has(entry.section)) {
          report({ messageId: 'unknown', data, span: entry.keySpan, hint: `delete the line, or check the name against the [${entry.section}] keys in Grafana's documentation` });
        }
      }
    }
  },
});

/** The keys some release reads in `section`, listed once per section rather than once per entry. */
const readKeysBySection = new Map<string, string[]>();
function readKeysOf(section: string): string[] {
  let keys = readKeysBySection.get(section);
  if (!keys) {
    keys = GRAFANA_KEYS.filter((k) => k.section === section && k.read !== null).map((k) => k.key);
    readKeysBySection.set(section, keys);
  }
  return keys;
}

/** Renaming is safe only when the new name is not written in the section already (it would become a duplicate). */
function renameFix(doc: IniDocument, entry: IniEntry, to: string | undefined) {
  if (!to || entriesOf(doc, entry.section, to).length > 0) return {};
  return { fix: replaceSpan(doc, entry.keySpan, to, `rename ${entry.key} to ${to}`) };
}

import { didYouMean } from '../../core/did-you-mean.js';
import { GRAFANA_KEYS, grafanaKey, isReadIn, KNOWN_SECTIONS } from '../../grafana/defaults.js';
import { grafanaEnvName } from '../../grafana/env-overrides.js';
import type { EnvOverride } from '../../grafana/model-types.js';
import { defineRule } from '../types.js';

/** The Docker image reads `GF_<X>__FILE` (a path) into `GF_<X>` before Grafana starts (packaging/docker/run.sh). */
const FILE_SUFFIX = '__FILE';

/** `GF_<SECTION>_` prefixes, longest first, so `GF_AUTH_JWT_` wins over `GF_AUTH_`. */
const SECTION_PREFIXES = [...KNOWN_SECTIONS]
  .map((section) => ({ section, prefix: grafanaEnvName(section, '') }))
  .sort((a, b) => b.prefix.length - a.prefix.length);

/**
 * The variable an unknown one was meant to be: a key name close to a real one of the same section, or
 * the same key in the section Grafana reads it from (`GF_AUTH_JWT_AUTO_ASSIGN_ORG_ROLE` → `GF_USERS_…`).
 */
function intendedVariable(name: string): string | undefined {
  const match = SECTION_PREFIXES.find((p) => name.startsWith(p.prefix));
  if (!match) return undefined;
  const names = GRAFANA_KEYS.filter((k) => k.section === match.section && k.read !== null).map((k) => grafanaEnvName(k.section, k.key));
  const key = name.slice(match.prefix.length).toLowerCase();
  const home = GRAFANA_KEYS.find((k) => k.key === key && k.section !== match.section && k.read !== null);
  return didYouMean(name, names) ?? (home && grafanaEnvName(home.section, home.key));
}

/** The one section whose key list is complete in the catalog: an unknown key there is certainly ignored. */
const JWT_PREFIX = grafanaEnvName('auth.jwt', '');

export default defineRule({
  meta: {
    id: 'grafana/env-ignored',
    description: 'A GF_* environment variable that Grafana silently ignores, or that stops the Docker image',
    severity: 'error',
    requires: ['grafana'],
    messages: {
      absentKey:
        'Grafana {{version}} ignores {{name}}: GF_* variables only override keys already present in its defaults.ini or in grafana.ini, and [{{section}}] {{key}} is in neither',
      notRead: 'Grafana {{version}} never reads [{{section}}] {{key}}, so {{name}} has no effect',
      misspelled: 'Grafana reads no variable named {{name}}, so it is ignored; did you mean {{suggestion}}?',
      unknownKey: 'Grafana has no [auth.jwt] key for {{name}}, so it is ignored',
      empty: '{{name}} is empty, and Grafana applies only non-empty values: [{{section}}] {{key}} keeps its value from grafana.ini or the defaults',
      exclusive: 'the Grafana Docker image refuses to start: "ERROR: Both {{base}} and {{name}} are set (but are exclusive)"',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    const version = grafana.version;
    const byName = new Map(grafana.envOverrides.map((o) => [o.name, o]));
    // A variable from the process environment has no line: the finding goes to the Grafana config it changes.
    const at = (o: EnvOverride) => ({ span: o.nameSpan, file: o.nameSpan?.file ?? grafana.doc?.file ?? null });
    for (const o of grafana.envOverrides) {
      const data = { name: o.name, version, section: o.target?.section ?? '', key: o.target?.key ?? '' };
      const entry = o.target && grafanaKey(o.target.section, o.target.key);
      if (entry && !isReadIn(entry, version) && o.status !== 'empty') {
        report({ messageId: 'notRead', data, ...at(o), hint: entry.read?.from ? `Grafana reads it from ${entry.read.from}; upgrade, or remove the variable` : 'remove the variable' });
      } else if (o.status === 'absent-key') {
        report({ messageId: 'absentKey', data, ...at(o), hint: `write the key in grafana.ini (\`${data.key} =\` with any non-empty value under [${data.section}]) so the variable can override it` });
      } else if (o.status === 'empty') {
        report({ messageId: 'empty', data, ...at(o), hint: `give ${o.name} a value, or remove it` });
      } else if (o.status === 'unknown' && o.name.endsWith(FILE_SUFFIX)) {
        const base = o.name.slice(0, -FILE_SUFFIX.length);
        const other = byName.get(base);
        if (o.value !== '' && other?.value && other.fromFile === undefined) {
          report({ messageId: 'exclusive', data: { ...data, base }, ...at(o), hint: `keep one of ${base} and ${o.name}` });
        }
      } else if (o.status === 'unknown') {
        const suggestion = intendedVariable(o.name);
        if (suggestion) report({ messageId: 'misspelled', data: { ...data, suggestion }, ...at(o), hint: `rename it to ${suggestion}` });
        else if (o.name.startsWith(JWT_PREFIX)) report({ messageId: 'unknownKey', data, ...at(o), hint: 'remove the variable; the [auth.jwt] keys are listed in docs/rules/grafana/unknown-key.md' });
      }
    }
  },
});

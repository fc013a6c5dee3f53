// Every rule has fixture folders under test/fixtures/rules/<rule-id>/<case>/ holding a grafana.ini
// and/or a pomerium.yaml (plus an optional case.json with versions, env, files, route). The
// expected findings of that rule are written beside the lines that cause them:
//   `key = value ; expect: grafana/some-rule` or `key: value # expect: pomerium/some-rule`
//   a full-line `; expect-next-line: <rule>` (INI) / `# expect-next-line: <rule>` (YAML)
//   `# expect-unplaced: <rule>` anywhere, for a finding with no line.
//   A marker may name the severity too, `<rule>=error` (warning, info): then that finding must have it.
// A case whose name starts with "clean" must produce no finding of its rule.
// The deployment forms: case.json `"kubernetes": ["ingress.yaml", ...]` names manifest files of the case folder;
// a values.yaml or docker-compose.yml in the folder is read as Grafana Helm values or a compose file.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAheadIfLarge, parseDocumentOnce } from '../../src/pomerium/parse-once.js';
import { YAML_OPTIONS } from '../../src/pomerium/read.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { COMPOSE_FILE, GRAFANA_FILE, POMERIUM_FILE, VALUES_FILE, lintCase, type LintCase } from '../helpers/lint.js';

const ROOT = new URL('../fixtures/rules/', import.meta.url).pathname;

function dirs(path: string): string[] {
  return existsSync(path) ? readdirSync(path).filter((d) => statSync(join(path, d)).isDirectory()) : [];
}

function markers(text: string, file: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    const same = /\s[;#]\s*expect:\s*([\w/,=\s-]+?)\s*$/.exec(line);
    const next = /^\s*[;#]\s*expect-next-line:\s*([\w/,=\s-]+?)\s*$/.exec(line);
    const unplaced = /^\s*[;#]\s*expect-unplaced:\s*([\w/,=\s-]+?)\s*$/.exec(line);
    const add = (list: string, where: string) => list.split(/[\s,]+/).filter(Boolean).forEach((id) => found.push(`${id} ${where}`));
    if (next) add(next[1]!, `${file}:${i + 2}`);
    else if (unplaced) add(unplaced[1]!, `${file}:-`);
    else if (same) add(same[1]!, `${file}:${i + 1}`);
  });
  return found;
}

const ruleIds = ALL_RULES.map((r) => r.meta.id);

describe('rule fixtures', () => {
  for (const ruleId of ruleIds) {
    const ruleDir = join(ROOT, ruleId);
    const cases = dirs(ruleDir);
    describe(ruleId, () => {
      it('has a fixture that triggers it and one that must not', () => {
        expect(cases.some((c) => c.startsWith('clean')), `${ruleDir}/clean*`).toBe(true);
        expect(cases.some((c) => !c.startsWith('clean')), `${ruleDir}/<triggering case>`).toBe(true);
      });
      for (const name of cases) {
        it(name, async () => {
          const dir = join(ruleDir, name);
          const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : undefined);
          const { kubernetes: manifestNames, ...options } = JSON.parse(read('case.json') ?? '{}') as Omit<LintCase, 'grafana' | 'pomerium' | 'kubernetes'> & { kubernetes?: string[] };
          const grafana = read(GRAFANA_FILE);
          const pomerium = read(POMERIUM_FILE);
          const grafanaValues = read(VALUES_FILE);
          const compose = read(COMPOSE_FILE);
          const kubernetes = manifestNames && Object.fromEntries(manifestNames.map((f) => [f, read(f) ?? '']));
          const lintThis = () =>
            lintCase({
              ...options,
              ...(grafana !== undefined ? { grafana } : {}),
              ...(pomerium !== undefined ? { pomerium } : {}),
              ...(grafanaValues !== undefined ? { grafanaValues } : {}),
              ...(compose !== undefined ? { compose } : {}),
              ...(kubernetes ? { kubernetes } : {}),
            });
          parseDocumentOnce('', YAML_OPTIONS); // forget the last document: yaml parses this case's pomerium.yaml
          const result = lintThis();
          // Whatever the size, the fast reader (src/pomerium/fast-document.ts) must change no finding where it answers.
          if (pomerium !== undefined && (await parseAheadIfLarge(pomerium, YAML_OPTIONS, 0)) === 'js-yaml events') {
            expect(JSON.stringify(lintThis().findings), 'the same findings from the fast reader').toBe(JSON.stringify(result.findings));
          }
          const ofRule = result.findings.filter((f) => f.ruleId === ruleId);
          const actual = ofRule.map((f) => `${f.ruleId} ${f.file ?? '-'}:${f.line ?? '-'}`).sort();
          const expected = [
            ...markers(grafana ?? '', GRAFANA_FILE),
            ...markers(pomerium ?? '', POMERIUM_FILE),
            ...markers(grafanaValues ?? '', VALUES_FILE),
            ...markers(compose ?? '', COMPOSE_FILE),
            ...Object.entries(kubernetes ?? {}).flatMap(([f, text]) => markers(text, f)),
          ]
            .filter((m) => m.startsWith(`${ruleId} `) || m.startsWith(`${ruleId}=`))
            .map((m) => m.replace(/ (\S+):-$/, ' $1:-'));
          // `rule=severity` markers: the finding at that place has that severity.
          for (const m of expected) {
            const sev = /^(\S+)=(error|warning|info) (\S+):(\S+)$/.exec(m);
            if (!sev) continue;
            const at = ofRule.filter((f) => `${f.file ?? '-'}:${f.line ?? '-'}` === `${sev[3]}:${sev[4]}`).map((f) => f.severity);
            expect(at, `${m}`).toContain(sev[2]);
          }
          expected.splice(0, expected.length, ...expected.map((m) => m.replace(/^(\S+)=\w+ /, '$1 ')).sort());
          if (name.startsWith('clean')) expect(expected, 'a clean case carries no expect markers').toEqual([]);
          else expect(expected.length, 'a triggering case marks its findings').toBeGreaterThan(0);
          expect(actual).toEqual(expected);
        });
      }
    });
  }
});

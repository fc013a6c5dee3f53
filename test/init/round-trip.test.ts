// init's output, read back the way Grafana (and the Helm chart, and compose) would read it, must be
// what init meant, and doctor must find no error in it with the same Pomerium config.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../src/core/env-file.js';
import { parseIni } from '../../src/grafana/ini-parse.js';
import { lintCase } from '../helpers/lint.js';
import { CASES, FIXTURES, fixture, runInit, type InitCase } from './cases.js';

/** What the Grafana chart's _config.tpl writes for `grafana.ini:` values: sorted keys, strings raw, others with %v. */
function chartIni(values: string): string {
  const ini = (parse(values) as { 'grafana.ini': Record<string, Record<string, unknown>> })['grafana.ini'];
  return Object.keys(ini)
    .sort()
    .map((section) => {
      const keys = ini[section]!;
      return [`[${section}]`, ...Object.keys(keys).sort().map((k) => `  ${k} = ${String(keys[k])}`)].join('\n');
    })
    .join('\n');
}

/** go-ini's sections as `section key = value` lines, sorted (DEFAULT and empty sections left out). */
function iniValues(text: string): string[] {
  const doc = parseIni(text, 'grafana.ini');
  expect(doc.error).toBeNull();
  return doc.sections.flatMap((s) => s.keys.map((k) => `${s.name} ${k.key} = ${k.value}`)).sort();
}

/** A copy of the fixtures, where --write-pomerium may apply init's route fix. */
let workDir = '';
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'gp-init-'));
  cpSync(FIXTURES, workDir, { recursive: true });
});

/** The Pomerium config as init leaves it (route fix applied), and its environment. */
async function pomeriumInput(c: InitCase): Promise<{ pomerium?: string; env?: Record<string, string> }> {
  const pomerium = c.flags.pomerium as string | undefined;
  if (pomerium) expect((await runInit({ ...c.flags, writePomerium: true }, workDir)).code).toBe(0);
  const envFile = c.flags.envFile as string | undefined;
  const env = envFile ? Object.fromEntries(parseEnvFile(fixture(envFile), envFile).entries.map((e) => [e.name, e.value])) : undefined;
  return { ...(pomerium ? { pomerium: readFileSync(join(workDir, pomerium), 'utf8') } : {}), ...(env ? { env } : {}) };
}

async function errorsOf(c: InitCase, grafana: string, gfEnv: Record<string, string> = {}): Promise<string[]> {
  const input = await pomeriumInput(c);
  const result = lintCase({
    ...input,
    grafana,
    env: { ...input.env, ...gfEnv },
    ...(c.flags.route ? { route: c.flags.route as string } : {}),
    ...(c.grafanaVersion ? { grafanaVersion: c.grafanaVersion } : {}),
    ...(c.pomeriumVersion ? { pomeriumVersion: c.pomeriumVersion } : {}),
  });
  // A route whose policy admits nobody is the config's own choice, which init does not write (only --add-route does).
  return result.findings.filter((f) => f.severity === 'error' && f.messageId !== 'policyDeniesAll').map((f) => `${f.ruleId}: ${f.message}`);
}

describe('init output read back', () => {
  for (const c of CASES) {
    it(`${c.name}: the ini, the env lines and the Helm values give the same settings, and doctor finds no error`, async () => {
      const ini = (await runInit({ ...c.flags, format: 'ini' })).stdout;
      const env = (await runInit({ ...c.flags, format: 'env' })).stdout;
      const helm = (await runInit({ ...c.flags, format: 'helm' })).stdout;
      const wanted = iniValues(ini);
      expect(wanted.length).toBeGreaterThan(5);

      const parsedEnv = parseEnvFile(env, '.env');
      expect(parsedEnv.errors).toEqual([]);
      const fromEnv = parsedEnv.entries.map((e) => `${e.name}=${e.value}`);
      expect(fromEnv).toHaveLength(wanted.length);
      for (const line of wanted) {
        const [, section, key, value] = /^(\S+) (\S+) = (.*)$/.exec(line)!;
        expect(fromEnv).toContain(`GF_${section!.replace('.', '_').toUpperCase()}_${key!.toUpperCase()}=${value}`);
      }
      expect(iniValues(chartIni(helm))).toEqual(wanted);
      expect(helm).not.toMatch(/^ {2}auth:\n {4}jwt:/m);

      expect(await errorsOf(c, ini)).toEqual([]);
      const gf = Object.fromEntries(parsedEnv.entries.map((e) => [e.name, e.value]));
      // The env form needs the keys defaults.ini lacks in grafana.ini too, as its comments say.
      const needed = env.includes('only if grafana.ini has') ? ini : '';
      expect(await errorsOf(c, needed, gf)).toEqual([]);
    });
  }

  it('the Helm chart keeps a value with ; or # whole (go-ini quoting inside the YAML string)', async () => {
    const result = await runInit({ pomerium: 'hosted-v5.yaml', jwksFile: '/etc/grafana/jwks#1;a.json', format: 'helm' });
    expect(result.stdout).toContain('jwk_set_file: "`/etc/grafana/jwks#1;a.json`"');
    expect(iniValues(chartIni(result.stdout))).toContain('auth.jwt jwk_set_file = /etc/grafana/jwks#1;a.json');
  });
});

// init and doctor agree (issue 10 item 5): on every fixture pair (the seven guide versions, the examples),
// `init --write --write-pomerium` leaves nothing doctor reports that init could have avoided, and
// `doctor --fix` reaches its fixed point in one run (a second run changes nothing).
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as doctor } from '../../src/commands/doctor.js';
import { run as init } from '../../src/commands/init.js';
import { parseEnvFile } from '../../src/core/env-file.js';
import type { LintResult } from '../../src/doctor/lint.js';
import { lintCase } from '../helpers/lint.js';
import { testIo, transcript } from '../helpers/run-command.js';

const REPO = new URL('../../', import.meta.url).pathname;
const GUIDES = join(REPO, 'test/fixtures/guides');
const PAIRS: { name: string; dir: string }[] = [
  ...readdirSync(GUIDES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => ({ name: `guide ${d.name}`, dir: join(GUIDES, d.name) })),
  { name: 'examples/compose', dir: join(REPO, 'examples/compose') },
  { name: 'docs/examples/2023-guide', dir: join(REPO, 'docs/examples/2023-guide') },
].filter((p) => existsSync(join(p.dir, 'pomerium.yaml')));

function copy(dir: string): string {
  const work = mkdtempSync(join(tmpdir(), 'gp-agree-'));
  for (const f of ['pomerium.yaml', 'grafana.ini']) if (existsSync(join(dir, f))) cpSync(join(dir, f), join(work, f));
  if (!existsSync(join(work, 'grafana.ini'))) writeFileSync(join(work, 'grafana.ini'), '');
  return work;
}

type Finding = LintResult['findings'][number];

/** doctor's findings on the pair as it is now (doctor's core on the files' texts: message ids and fixes included). */
function doctorFindings(work: string): Finding[] {
  const read = (f: string) => readFileSync(join(work, f), 'utf8');
  return lintCase({ pomerium: read('pomerium.yaml'), grafana: read('grafana.ini') }).findings;
}

async function doctorFix(work: string): Promise<void> {
  const io = testIo(work);
  const t = await transcript(io, () => doctor([], { pomerium: 'pomerium.yaml', grafana: 'grafana.ini', format: 'json', failLevel: 'error', fix: true }, io));
  expect(t.code, t.stderr).toBeLessThan(2);
}

/**
 * What init cannot change: Pomerium's own options (pomerium/*: keys and secrets are the user's), and a route
 * policy that admits nobody (init writes a policy only with --add-route). Everything else is grafana.ini, which
 * init writes, or the route options init --write-pomerium sets.
 */
// Whether Grafana trusts the certificate behind jwk_set_url is the Grafana host's CA store (tls_client_ca, SSL_CERT_FILE,
// a mounted CA), which init does not write: cross/jwk-set-url-trust is outside what init can avoid.
const initCannotAvoid = (f: Finding) =>
  f.severity === 'info' || f.ruleId.startsWith('pomerium/') || f.messageId === 'policyDeniesAll' || f.ruleId === 'cross/jwk-set-url-trust';

describe('init and doctor agree', () => {
  for (const pair of PAIRS) {
    it(`${pair.name}: after init --write --write-pomerium, doctor finds nothing init could have avoided`, async () => {
      const work = copy(pair.dir);
      const io = testIo(work);
      const t = await transcript(io, () => init([], { pomerium: 'pomerium.yaml', write: 'grafana.ini', writePomerium: true, format: 'ini', cacheTtl: '60m' }, io));
      expect(t.code, t.stderr).toBe(0);
      const left = doctorFindings(work).filter((f) => !initCannotAvoid(f));
      expect(left.map((f) => `${f.severity} ${f.ruleId} ${f.file}:${f.line} ${f.message}`)).toEqual([]);
    });

    it(`${pair.name}: the same in the GF_* form (init --format env; doctor on those variables, no grafana.ini)`, async () => {
      const work = copy(pair.dir);
      const io = testIo(work);
      const t = await transcript(io, () => init([], { pomerium: 'pomerium.yaml', writePomerium: true, format: 'env', cacheTtl: '60m' }, io));
      expect(t.code, t.stderr).toBe(0);
      const parsed = parseEnvFile(t.stdout, 'grafana.env');
      expect(parsed.errors).toEqual([]);
      const env = Object.fromEntries(parsed.entries.map((e) => [e.name, e.value]));
      expect(Object.keys(env)).toContain('GF_AUTH_JWT_ENABLED');
      const left = lintCase({ pomerium: readFileSync(join(work, 'pomerium.yaml'), 'utf8'), env }).findings.filter((f) => !initCannotAvoid(f));
      expect(left.map((f) => `${f.severity} ${f.ruleId} ${f.file}:${f.line} ${f.message}`)).toEqual([]);
    });

    it(`${pair.name}: doctor --fix twice changes nothing the first run left`, async () => {
      const work = copy(pair.dir);
      const snapshot = () => ['pomerium.yaml', 'grafana.ini'].map((f) => readFileSync(join(work, f), 'utf8'));
      const before = snapshot();
      const fixableBefore = doctorFindings(work).filter((f) => f.fix).length;
      await doctorFix(work);
      const once = snapshot();
      await doctorFix(work);
      expect(snapshot()).toEqual(once);
      // Every fix doctor knows was applied in that one run: no finding with a fix is left.
      expect(doctorFindings(work).filter((f) => f.fix).map((f) => f.ruleId)).toEqual([]);
      if (fixableBefore > 0) expect(once).not.toEqual(before);
    });
  }
});

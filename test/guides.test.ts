// Each Pomerium Grafana guide version, copied as a user would (test/fixtures/guides/README.md), gets
// exactly the errors and warnings a careful reviewer wrote down beforehand in its expected.txt.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/commands/doctor.js';
import { testIo, transcript } from './helpers/run-command.js';

const ROOT = new URL('./fixtures/guides/', import.meta.url).pathname;
const GUIDES = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** `rule-id file:line` for every finding line of expected.txt (`severity rule-id file:line why`). */
function expectedFindings(dir: string): string[] {
  return readFileSync(join(dir, 'expected.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const m = /^(error|warning)\s+(\S+)\s+(\S+:(?:\d+|-))\s+\S/.exec(line);
      if (!m) throw new Error(`${dir}/expected.txt: cannot read "${line}"`);
      return `${m[2]} ${m[3]}`;
    })
    .sort();
}

async function doctorFindings(dir: string): Promise<string[]> {
  const has = (f: string) => existsSync(join(dir, f));
  const options = {
    ...(has('pomerium.yaml') ? { pomerium: 'pomerium.yaml' } : {}),
    ...(has('grafana.ini') ? { grafana: 'grafana.ini' } : {}),
    ...(has('grafana.env') ? { envFile: 'grafana.env' } : {}),
    format: 'json',
  };
  const io = testIo(dir);
  const t = await transcript(io, () => run([], options, io));
  expect(t.stderr).toBe('');
  const report = JSON.parse(t.stdout) as { findings: { ruleId: string; severity: string; file: string | null; line: number | null }[] };
  return report.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => `${f.ruleId} ${f.file ?? '-'}:${f.line ?? '-'}`)
    .sort();
}

describe('the Pomerium Grafana guides', () => {
  it('has one folder per guide version of pomerium.md section 5', () => {
    expect(GUIDES.map((g) => g.slice(0, 2))).toEqual(['5a', '5b', '5b', '5c', '5c', '5d', '5e']);
  });

  for (const guide of GUIDES) {
    it(`${guide} gets the findings a reviewer would give`, async () => {
      const dir = join(ROOT, guide);
      expect(await doctorFindings(dir)).toEqual(expectedFindings(dir));
    });
  }
});

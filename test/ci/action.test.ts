// action.yml is a composite action; GitHub's runner cannot run here, so this test runs the action's
// own shell steps with bash as the runner would (GITHUB_ACTION_PATH = this checkout, GITHUB_OUTPUT a
// file, inputs as the step's env), on a real repository layout. Not covered: the setup-node and
// upload-sarif steps (GitHub's actions) and the install step (npm ci + npm run build, as .ci/run does).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const REPO = new URL('../..', import.meta.url).pathname;
const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8'));
const steps: { name?: string; id?: string; uses?: string; run?: string; env?: Record<string, string>; if?: string; with?: Record<string, string> }[] = action.runs.steps;
const work = mkdtempSync(join(tmpdir(), 'gp-action-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The step's env with `${{ inputs.x }}` filled from `inputs` (the action's defaults otherwise). */
function stepEnv(step: (typeof steps)[number], inputs: Record<string, string>): Record<string, string> {
  const value = (name: string) => inputs[name] ?? String(action.inputs[name]?.default ?? '');
  return Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, v.replace(/\$\{\{\s*inputs\.([a-z-]+)\s*\}\}/g, (_m, name: string) => value(name))]));
}

function runStep(id: string, inputs: Record<string, string>) {
  const step = steps.find((s) => s.id === id || s.name === id)!;
  const output = join(work, `output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(output, '');
  const r = spawnSync('bash', ['-e', '-c', step.run!], {
    cwd: join(work, 'repo'),
    encoding: 'utf8',
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, GITHUB_ACTION_PATH: REPO, GITHUB_OUTPUT: output, ...stepEnv(step, inputs) },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs: readFileSync(output, 'utf8') };
}

describe('action.yml', () => {
  cpSync(join(REPO, 'docs/examples/2023-guide'), join(work, 'repo/deploy'), { recursive: true });
  cpSync(join(REPO, 'docs/examples/users'), join(work, 'repo/clean'), { recursive: true });

  it('is a composite action that installs from its own checkout, runs doctor --format sarif, uploads it, and fails by fail-level', () => {
    expect(action.runs.using).toBe('composite');
    expect(steps.map((s) => s.uses ?? s.id ?? s.name)).toEqual([
      'actions/setup-node@v4',
      'Install grafana-pomerium from the action\'s checkout',
      'doctor',
      'github/codeql-action/upload-sarif@v3',
      'Fail on findings at or above fail-level',
    ]);
    expect(steps[1]!.run).toContain('npm ci');
    expect(String((steps[1] as Record<string, unknown>)['working-directory'])).toBe('${{ github.action_path }}');
    expect(steps[3]!.with).toEqual({ sarif_file: '${{ inputs.sarif-file }}', category: '${{ inputs.category }}' });
    // No input is pasted into a script (script injection): they arrive as env.
    for (const s of steps) expect(s.run ?? '').not.toMatch(/\$\{\{/);
  });

  it('findings at fail-level: the doctor step writes SARIF, annotates, passes exit-code 1 on, and the last step fails the job', () => {
    const doctor = runStep('doctor', { pomerium: 'deploy/pomerium.yaml', grafana: 'deploy/grafana.ini' });
    expect(doctor.status, doctor.stderr).toBe(0);
    expect(doctor.outputs).toBe('exit-code=1\n');
    expect(doctor.stdout).toMatch(/^::error file=.*deploy\/grafana\.ini,line=6,/m);
    const sarif = JSON.parse(readFileSync(join(work, 'repo/grafana-pomerium.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri)).toContain('deploy/grafana.ini');
    const fail = runStep('Fail on findings at or above fail-level', {});
    expect(fail.status).toBe(1);
    expect(fail.stdout).toContain('::error title=grafana-pomerium::doctor found problems at or above --fail-level error');
    // The workflow's conditions follow the output.
    expect(steps[4]!.if).toBe("${{ steps.doctor.outputs.exit-code == '1' }}");
    expect(steps[3]!.if).toContain("steps.doctor.outputs.exit-code != '2'");
  });

  it('fail-level none and extra args pass through; a clean setup is exit-code 0', () => {
    const none = runStep('doctor', { pomerium: 'deploy/pomerium.yaml', grafana: 'deploy/grafana.ini', 'fail-level': 'none', 'sarif-file': 'out.sarif', args: '--ignore grafana/jwt-header-name' });
    expect(none.outputs).toBe('exit-code=0\n');
    expect(readFileSync(join(work, 'repo/out.sarif'), 'utf8')).not.toContain('"ruleId": "grafana/jwt-header-name"');
    const clean = runStep('doctor', { pomerium: 'clean/pomerium.yaml', grafana: 'clean/grafana.ini' });
    expect(clean.outputs).toBe('exit-code=0\n');
  });

  it('doctor could not run (exit 2): the step fails at once, nothing to upload', () => {
    const broken = runStep('doctor', { pomerium: 'deploy/missing.yaml' });
    expect(broken.status).toBe(2);
    expect(broken.outputs).toBe('exit-code=2\n');
  });
});

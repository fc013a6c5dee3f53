// npm run bench: the start-up and scaling figures of README's "Speed" section.
// Every command runs alternately with `node -e 0` in one loop, so both see the same machine load;
// the ratio is the figure that matters (on a shared machine absolute times drift). Medians; the
// spread of the per-round ratios (25th-75th percentile) says how noisy the run was.
// NODE_EXTRA_CA_CERTS and NODE_OPTIONS are unset: the first adds ~80 ms to every Node start.
// BENCH_RUNS (default 30) sets the rounds for the start-up rows.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/grafana-pomerium.js');
const rssProbe = join(root, 'bench/max-rss.cjs');
const env = { ...process.env };
for (const name of ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS', 'GRAFANA_POMERIUM_NO_FAST_PATH', 'GRAFANA_POMERIUM_FAST_PATH_TRACE', 'NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE']) delete env[name];
const slowEnv = { ...env, GRAFANA_POMERIUM_NO_FAST_PATH: '1' };
const runs = Number(process.env.BENCH_RUNS ?? 30);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

function once(args, runEnv = env, cwd = root) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, env: runEnv, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: r.status ?? -1, stderr: r.stderr ?? '' };
}

/** Peak RSS of one run, from a --require'd probe (CommonJS: it adds no ES module loader). */
function peakRssMb(args, runEnv = env) {
  const r = once(['--require', rssProbe, ...args], runEnv);
  const m = /max-rss-kb=(\d+)/.exec(r.stderr);
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Runs each row's command alternately with `node -e 0`, `n` rounds after one warm-up round.
 * `probe`: every run carries the --require'd probe, for peak RSS and CPU time (user + system).
 */
function alternate(rows, n, probe = false) {
  const bare = [];
  const times = rows.map(() => []);
  const cpu = rows.map(() => []);
  const rss = rows.map(() => 0);
  const ratios = rows.map(() => []);
  const status = rows.map(() => 0);
  for (let round = -1; round < n; round++) {
    const b = once(['-e', '0']).ms;
    rows.forEach((row, i) => {
      const r = once(probe ? ['--require', rssProbe, ...row.args] : row.args, row.env);
      status[i] = r.status;
      if (round < 0) return; // warm-up: page cache, code cache files
      times[i].push(r.ms);
      ratios[i].push(r.ms / b);
      const m = /max-rss-kb=(\d+) cpu-us=(\d+)/.exec(r.stderr);
      if (m) {
        rss[i] = Math.max(rss[i], Number(m[1]) / 1024);
        cpu[i].push(Number(m[2]) / 1000);
      }
    });
    if (round >= 0) bare.push(b);
  }
  return rows.map((row, i) => ({
    name: row.name,
    median: median(times[i]),
    cpu: probe ? median(cpu[i]) : NaN,
    ratio: median(times[i]) / median(bare),
    spread: [quantile(ratios[i], 0.25), quantile(ratios[i], 0.75)],
    status: status[i],
    rss: probe ? rss[i] : row.rss === false ? NaN : peakRssMb(row.args, row.env),
  })).concat([{ name: 'node -e 0 (bare Node start)', median: median(bare), ratio: 1, spread: [1, 1], status: 0, rss: peakRssMb(['-e', '0']) }]);
}

/** The large config: the compose example's Grafana route, then routes each with a small policy block (7 lines). */
function routesConfig(count) {
  const lines = ['signing_key_file: /pomerium/signing-key.pem', 'routes:'];
  lines.push('  - from: https://grafana.localhost.pomerium.io', '    to: http://grafana:3000', '    pass_identity_headers: true', '    preserve_host_header: true', '    policy:', '      - allow:', '          or:', '            - domain:', '                is: example.com');
  for (let i = 1; i < count; i++) {
    lines.push(`  - from: https://app-${i}.example.com`, `    to: http://app-${i}.apps.svc.cluster.local:8080`, '    policy:', '      - allow:', '          or:', '            - domain:', '                is: example.com');
  }
  return lines.join('\n') + '\n';
}

function fastPathUsed(args) {
  const r = once(args, { ...env, GRAFANA_POMERIUM_FAST_PATH_TRACE: '1' });
  return [...r.stderr.matchAll(/^fast-path: (.*)$/gm)].map((m) => m[1].replace(root, '')).join('; ');
}

const example = ['examples/compose/pomerium.yaml', 'examples/compose/grafana.ini'];
const doctorArgs = [cli, 'doctor', '--pomerium', example[0], '--grafana', example[1]];
const initArgs = [cli, 'init', '--pomerium', example[0]];
// Warm the code cache as a user's first run would.
for (const args of [doctorArgs, initArgs]) once(args);

const startRows = alternate(
  [
    { name: '`--version`', args: [cli, '--version'], rss: false },
    { name: '`--help`', args: [cli, '--help'], rss: false },
    { name: '`doctor --help`', args: [cli, 'doctor', '--help'], rss: false },
    { name: '`doctor` (compose example)', args: doctorArgs },
    { name: '`init` (compose example, ini to stdout)', args: initArgs },
    { name: '`--version`, fast path off', args: [cli, '--version'], env: slowEnv, rss: false },
    { name: '`doctor`, fast path off', args: doctorArgs, env: slowEnv, rss: false },
    { name: '`init`, fast path off', args: initArgs, env: slowEnv, rss: false },
  ],
  runs,
);

// The 100,000-route file is 17.9 MiB, over the CLI's 10 MiB input cap (src/commands/inputs.ts): the
// scaling rows run a copy of bin/ and dist/ whose cap is lifted, nothing else changed.
const dir = mkdtempSync(join(tmpdir(), 'gp-bench-'));
const scaleRows = [];
try {
  cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true, filter: (src) => !src.includes('.v8-cache') });
  const bundle = join(dir, 'dist/cli.cjs');
  // The input caps (src/commands/inputs.ts MAX_INPUT_BYTES, src/core/io.ts MAX_STDIN_BYTES) are the bundle's only 10*1024*1024.
  const cap = '=10*1024*1024';
  const text = readFileSync(bundle, 'latin1');
  if (!text.includes(cap)) throw new Error(`bench: ${cap} not found in dist/cli.cjs; update bench/run.mjs`);
  writeFileSync(bundle, text.replaceAll(cap, '=64*1024*1024'), 'latin1');
  const uncapped = join(dir, 'bin/grafana-pomerium.js');
  writeFileSync(join(dir, 'grafana.ini'), readFileSync(join(root, example[1])));
  for (const [count, n] of [[1000, 9], [10000, 5], [100000, 2]]) {
    const file = join(dir, `pomerium-${count}.yaml`);
    writeFileSync(file, routesConfig(count));
    const args = [uncapped, 'doctor', '--pomerium', file, '--grafana', join(dir, 'grafana.ini'), '--route', 'https://grafana.localhost.pomerium.io'];
    const lines = readFileSync(file, 'utf8').split('\n').length - 1;
    const [row, bare] = alternate([{ name: `\`doctor\`, ${count.toLocaleString('en-US')} routes (${lines.toLocaleString('en-US')} lines)`, args }], n, true);
    scaleRows.push({ ...row, perThousand: row.median / (count / 1000), cpuPerThousand: row.cpu / (count / 1000), bare, paths: fastPathUsed(['--require', rssProbe, ...args]).replace(dir, '') });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
console.log(`Node ${process.version} (V8 ${process.versions.v8}), ${process.platform}/${process.arch}, NODE_EXTRA_CA_CERTS and NODE_OPTIONS unset`);
console.log(`fast path for --version/--help: ${fastPathUsed([cli, '--version'])}`);
console.log(`fast path for doctor/init: ${fastPathUsed(doctorArgs)}`);
console.log(`\nStart-up, ${runs} rounds alternating with \`node -e 0\` (medians; spread = 25th-75th percentile of the per-round ratios):\n`);
console.log('| command | median | x bare Node | spread | peak RSS | exit |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of [startRows.at(-1), ...startRows.slice(0, -1)]) {
  const rss = Number.isNaN(r.rss) ? '' : `${r.rss.toFixed(0)} MB`;
  console.log(`| ${r.name} | ${fmt(r.median)} | ${r.ratio.toFixed(2)}x | ${r.spread[0].toFixed(2)}-${r.spread[1].toFixed(2)} | ${rss} | ${r.status} |`);
}
console.log('\nScaling (each size alternating with `node -e 0`; 9, 5 and 2 rounds):\n');
console.log('| config | median | per 1,000 routes | CPU (user+sys) | CPU per 1,000 routes | bare Node meanwhile | peak RSS | exit |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of scaleRows) {
  console.log(`| ${r.name} | ${fmt(r.median)} | ${fmt(r.perThousand)} | ${fmt(r.cpu)} | ${fmt(r.cpuPerThousand)} | ${fmt(r.bare.median)} | ${r.rss.toFixed(0)} MB | ${r.status} |`);
}
console.log('\nPaths taken (GRAFANA_POMERIUM_FAST_PATH_TRACE=1):');
for (const r of scaleRows) console.log(`- ${r.name}: ${r.paths}`);

// Issue 11 item 8: inputs just under the 10 MiB input limit, one run each (bench/large-inputs.mjs).
console.log('\nLarge inputs (one run each; goal under 5 s and 512 MB):\n');
console.log('| input | time | peak RSS | exit |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, r] of (await import('./large-inputs.mjs')).largeInputRows(cli, join(root, example[0]), env)) {
  console.log(`| ${name} | ${fmt(r.median)} | ${r.maxRssMb.toFixed(0)} MB | ${r.status} |`);
}

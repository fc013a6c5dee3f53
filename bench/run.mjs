// npm run bench: start-up and scaling figures for the README. Medians of many runs, with
// NODE_EXTRA_CA_CERTS unset (it adds ~80 ms to every Node start on machines that set it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/grafana-pomerium.js');
const rssProbe = join(root, 'bench/max-rss.mjs');
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;
const runs = Number(process.env.BENCH_RUNS ?? 30);

function measure(args, { cwd = root, n = runs } = {}) {
  const times = [];
  let maxRss = 0;
  let status = 0;
  for (let i = 0; i < n + 3; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--import', rssProbe, ...args], { cwd, env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    status = r.status ?? -1;
    const rss = /max-rss-kb=(\d+)/.exec(r.stderr ?? '');
    if (rss) maxRss = Math.max(maxRss, Number(rss[1]));
    if (i >= 3) times.push(ms); // the first runs warm the page cache
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], maxRssMb: maxRss / 1024, status };
}

function routesConfig(count) {
  const lines = ['signing_key_file: /pomerium/signing-key.pem', 'routes:'];
  // The Grafana route of the compose example, so its grafana.ini matches (doctor finds no error).
  lines.push('  - from: https://grafana.localhost.pomerium.io', '    to: http://grafana:3000', '    pass_identity_headers: true', '    preserve_host_header: true', '    policy:', '      - allow:', '          or:', '            - domain:', '                is: example.com');
  for (let i = 1; i < count; i++) {
    lines.push(`  - from: https://app-${i}.example.com`, `    to: http://app-${i}.apps.svc.cluster.local:8080`, '    allowed_domains: [example.com]');
  }
  return lines.join('\n') + '\n';
}

const example = ['examples/compose/pomerium.yaml', 'examples/compose/grafana.ini'];
const rows = [];
const bare = measure(['-e', '0']);
rows.push(['node -e 0 (bare Node start)', bare]);
// The floor any ESM CLI pays: loading one empty module; then the CLI with commander only.
const floorDir = mkdtempSync(join(tmpdir(), 'gp-bench-floor-'));
writeFileSync(join(floorDir, 'empty.mjs'), '');
rows.push(['node empty.mjs (an empty ES module)', measure([join(floorDir, 'empty.mjs')])]);
rows.push(['grafana-pomerium --version (commander only)', measure([cli, '--version'])]);
rmSync(floorDir, { recursive: true, force: true });
rows.push(['init (compose example, ini to stdout)', measure([cli, 'init', '--pomerium', example[0]])]);
rows.push(['doctor (compose example)', measure([cli, 'doctor', '--pomerium', example[0], '--grafana', example[1]])]);

const dir = mkdtempSync(join(tmpdir(), 'gp-bench-'));
try {
  writeFileSync(join(dir, 'grafana.ini'), readFileSync(join(root, example[1])));
  for (const count of [1, 100, 1000, 10000]) {
    const file = join(dir, `pomerium-${count}.yaml`);
    writeFileSync(file, routesConfig(count));
    const args = [cli, 'doctor', '--pomerium', file, '--grafana', join(dir, 'grafana.ini'), '--route', 'https://grafana.localhost.pomerium.io'];
    rows.push([`doctor, ${count.toLocaleString('en-US')} route${count === 1 ? '' : 's'}`, measure(args, { n: count >= 1000 ? 10 : runs })]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

rows.push(...(await import('./large-inputs.mjs')).largeInputRows(cli, join(root, example[0]), env));

console.log(`Node ${process.version}, ${runs} runs each (10 for the large configs), NODE_EXTRA_CA_CERTS unset\n`);
console.log('| command | median | x bare Node | peak RSS | exit |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, r] of rows) {
  console.log(`| ${name} | ${r.median.toFixed(1)} ms | ${(r.median / bare.median).toFixed(2)} | ${r.maxRssMb.toFixed(0)} MB | ${r.status} |`);
}

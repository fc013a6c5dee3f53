// Issue 11 item 8: inputs just under the 10 MiB limit (goal: under 5 s and 512 MB each): a grafana.ini and a Pomerium config. Called from run.mjs; returns
// rows for its table. One run each (they are slow), with the same peak-RSS probe as run.mjs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LIMIT = 10 * 1024 * 1024;

/** A grafana.ini of unknown keys in one section, as close to 10 MiB as whole lines allow. */
function bigIni() {
  const lines = ['[server]'];
  let size = 9;
  for (let i = 0; size < LIMIT - 64; i++) {
    const line = `unknown_key_${i} = v`;
    lines.push(line);
    size += line.length + 1;
  }
  return { text: lines.join('\n') + '\n', keys: lines.length - 1 };
}

/** A Pomerium config of routes each with a small policy block (bench/run.mjs's shape), as close to 10 MiB as whole routes allow. */
function bigPomerium() {
  const lines = ['routes:'];
  let size = 8;
  let routes = 0;
  for (;;) {
    const route = [`  - from: https://app-${routes}.example.com`, `    to: http://app-${routes}.apps.svc.cluster.local:8080`, '    policy:', '      - allow:', '          or:', '            - domain:', '                is: example.com'].join('\n') + '\n';
    if (size + route.length > LIMIT - 64) break;
    lines.push(route.slice(0, -1));
    size += route.length;
    routes++;
  }
  return { text: lines.join('\n') + '\n', routes };
}

function once(args, env) {
  const probe = new URL('./max-rss.cjs', import.meta.url).pathname;
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', probe, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const median = Number(process.hrtime.bigint() - start) / 1e6;
  const rss = /max-rss-kb=(\d+)/.exec(r.stderr ?? '');
  return { median, maxRssMb: rss ? Number(rss[1]) / 1024 : 0, status: r.status ?? -1 };
}

export function largeInputRows(cli, exampleYaml, env) {
  const dir = mkdtempSync(join(tmpdir(), 'gp-bench-large-'));
  try {
    const { text, keys } = bigIni();
    const file = join(dir, 'grafana.ini');
    writeFileSync(file, text);
    const label = `${(text.length / 1024 / 1024).toFixed(1)} MiB grafana.ini, ${keys.toLocaleString('en-US')} unknown keys`;
    const pomerium = bigPomerium();
    const pomeriumFile = join(dir, 'pomerium.yaml');
    writeFileSync(pomeriumFile, pomerium.text);
    const exampleIni = join(exampleYaml, '../grafana.ini');
    return [
      [`doctor, ${label}`, once([cli, 'doctor', '--pomerium', exampleYaml, '--grafana', file, '--fail-level', 'none'], env)],
      [`show-ini, ${label}`, once([cli, 'show-ini', file], env)],
      [`doctor, ${(pomerium.text.length / 1024 / 1024).toFixed(1)} MiB Pomerium config, ${pomerium.routes.toLocaleString('en-US')} routes`, once([cli, 'doctor', '--pomerium', pomeriumFile, '--grafana', exampleIni, '--fail-level', 'none'], env)],
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

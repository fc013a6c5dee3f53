// examples/compose must stay what init produces, and a set-up doctor finds nothing wrong with.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { lintCase } from '../helpers/lint.js';
import { runInit } from './cases.js';

const EXAMPLE = new URL('../../examples/compose/', import.meta.url).pathname;
const read = (name: string) => readFileSync(EXAMPLE + name, 'utf8');

describe('examples/compose', () => {
  it('grafana.ini is what init prints for pomerium.yaml (the command in docker-compose.yml)', async () => {
    const command = /grafana-pomerium init (.*)/.exec(read('docker-compose.yml'))![1]!;
    expect(command).toBe('--pomerium pomerium.yaml --auto-sign-up --pomerium-version 0.33.1 --grafana-version 12.2.0');
    const result = await runInit({ pomerium: 'pomerium.yaml', autoSignUp: true, pomeriumVersion: '0.33.1', grafanaVersion: '12.2.0' }, EXAMPLE);
    expect(result).toEqual({ code: 0, stdout: read('grafana.ini'), stderr: '' });
  });

  it('doctor finds nothing wrong with the pair', () => {
    // Through the compose file: it mounts the mkcert CA into Grafana's /etc/ssl/certs, which cross/jwk-set-url-trust needs to see.
    const files = { 'pomerium.yaml': read('pomerium.yaml'), 'grafana.ini': read('grafana.ini') };
    const result = lintCase({ compose: read('docker-compose.yml'), files, pomeriumVersion: '0.33.1', grafanaVersion: '12.2.0' });
    expect(result.ctx.grafana?.doc).not.toBeNull();
    expect(result.findings.filter((f) => f.severity !== 'info').map((f) => f.message)).toEqual([]);
  });

  it('lets the Grafana container reach Pomerium under the route host of jwk_set_url', () => {
    const compose = parse(read('docker-compose.yml')) as { services: Record<string, { networks?: { default?: { aliases?: string[] } } }> };
    const jwksHost = new URL(/^jwk_set_url = (.*)$/m.exec(read('grafana.ini'))![1]!).hostname;
    expect(compose.services.pomerium?.networks?.default?.aliases).toContain(jwksHost);
    expect(Object.keys(compose.services)).toEqual(['pomerium', 'grafana']);
  });
});

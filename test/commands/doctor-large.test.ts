// A config large enough for the fast reader (src/pomerium/fast-document.ts, over FAST_READER_MIN_CHARS)
// must give exactly the findings yaml's own parse gives. The twin file differs by one character that
// the fast reader leaves to yaml (a tab inside the first comment), so the built CLI reads one with
// js-yaml's events and the other with yaml, and every output format must come out byte for byte the same.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocumentFast } from '../../src/pomerium/fast-document.js';
import { FAST_READER_MIN_CHARS } from '../../src/pomerium/parse-once.js';
import { YAML_OPTIONS } from '../../src/pomerium/read.js';
import { runCli } from '../transcripts/built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gp-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 1,500 routes, a third with flow-style policies; the Grafana route has problems for several rules, some other routes have invalid values. */
function config(comment: string): string {
  const lines = [comment, 'authenticate_service_url: https://authenticate.example.com', 'signing_key_file: /pomerium/signing-key.pem', 'routes:'];
  lines.push('  - from: https://grafana.example.com', '    to: http://grafana:3000', '    preserve_host_header: true', '    policy:', '      - allow:', '          or:', '            - accept: true');
  for (let i = 1; i < 1500; i++) {
    lines.push(`  - from: https://app-${i}.example.com`, `    to: ${i % 500 === 0 ? 'app-without-scheme' : `http://app-${i}:8080`}`);
    if (i % 3 === 0) lines.push('    policy: [{allow: {or: [{domain: {is: example.com}}]}}]', '    allowed_users: []');
    else lines.push('    policy:', '      - allow:', '          or:', '            - domain:', `                is: 'example.com'`);
  }
  return lines.join('\n') + '\n';
}

describe('doctor on a large config', () => {
  writeFileSync(join(dir, 'grafana.ini'), '[auth.jwt]\nenabled = true\nheader_name = X-Pomerium-Jwt-Assertion\nusername_claim = sub\n');
  for (const [sub, comment] of [['fast', '# generated routes'], ['yaml', '# generated\troutes']] as const) {
    mkdirSync(join(dir, sub));
    writeFileSync(join(dir, sub, 'pomerium.yaml'), config(comment));
  }

  it('is large enough for the fast reader, which reads one twin and leaves the other to yaml', () => {
    expect(config('#').length).toBeGreaterThan(FAST_READER_MIN_CHARS);
    expect(parseDocumentFast(config('# generated routes'), YAML_OPTIONS)).not.toBeNull();
    expect(parseDocumentFast(config('# generated\troutes'), YAML_OPTIONS)).toBeNull();
  });

  for (const format of ['human', 'json', 'sarif']) {
    it(`gives the same ${format} output whichever reader parsed it`, () => {
      const run = (sub: string) => runCli(['doctor', '--pomerium', 'pomerium.yaml', '--grafana', '../grafana.ini', '--format', format, '--route', 'https://grafana.example.com'], { cwd: join(dir, sub), timeoutMs: 60_000 });
      const [a, b] = [run('fast'), run('yaml')];
      // Errors, so exit 1: the Grafana route's `accept` policy lets everyone in (pomerium/public-route; PPL's accept
      // criterion, pomerium/pomerium pkg/policy/criteria/accept.go) and a `to` without a scheme is refused
      // (pomerium/invalid-value; pomerium/pomerium v0.33.1 config/custom.go ParseWeightedURL, internal/urlutil/url.go).
      expect(a.code).toBe(1);
      expect(a.stdout.length).toBeGreaterThan(0);
      expect({ code: a.code, stdout: a.stdout, stderr: a.stderr }).toEqual({ code: b.code, stdout: b.stdout, stderr: b.stderr });
    });
  }
});

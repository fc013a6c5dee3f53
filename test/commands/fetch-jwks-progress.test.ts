// fetch-jwks on a terminal says on stderr what it waits for and each retry (a stalled server is not
// a silent 30 s); piped or in CI (stderr not a terminal) it says nothing of the kind.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/commands/fetch-jwks.js';
import { startServer, type TestServer } from '../helpers/https-server.js';
import { testLookup } from '../helpers/lookup.js';
import { testIo, transcript } from '../helpers/run-command.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

const KEY = { use: 'sig', kty: 'EC', kid: 'd591aa6e01e57ea8b80f349dc5de8517aa7b1f12f77700d89cbdba83938c0c61', crv: 'P-256', alg: 'ES256', x: 'oLZD26lGXDHQBhafGelEfD7e6f3iDcYROV7TlYHtquc', y: 'DxP4R8IH2jHKgDxZRY58iayK2mtXgpWBNs0SkgTXeaU' };
let pki: TestPki;
let server: TestServer;
beforeAll(async () => {
  pki = makeTestPki();
  // 503 twice, then the set: two retries.
  server = await startServer(pki.server, (_req, res, hit) =>
    hit <= 2 ? res.writeHead(503).end() : res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [KEY] })),
  );
});
afterAll(() => server.close());

async function fetchOnce(stderrIsTTY: boolean) {
  server.requests.length = 0;
  const io = { ...testIo(mkdtempSync(join(tmpdir(), 'gp-progress-'))), stderrIsTTY };
  const stderr: string[] = [];
  io.err = (t: string) => void stderr.push(t);
  const t = await transcript(io, () => run([], { url: `${server.origin}/.well-known/pomerium/jwks.json`, caFile: pki.caFile, output: 'jwks.json', retries: '3', timeout: '20s', allowPrivate: true }, io, { retryDelayMs: 5, lookup: testLookup }));
  return { ...t, stderr: stderr.join('') };
}

describe('fetch-jwks progress on a terminal', () => {
  it('says what it waits for, each failed attempt and each retry', async () => {
    const t = await fetchOnce(true);
    expect(t.code).toBe(0);
    const lines = t.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^fetch-jwks: waiting for 127\.0\.0\.1:\d+ \(attempt 1 of 4; at most (20|1\d)s more\)$/);
    expect(lines[1]).toBe('fetch-jwks: HTTP 503: the server failed: retrying in 5ms');
    expect(lines[2]).toMatch(/^fetch-jwks: waiting for 127\.0\.0\.1:\d+ \(attempt 2 of 4;/);
    expect(lines[3]).toBe('fetch-jwks: HTTP 503: the server failed: retrying in 10ms');
    expect(lines[4]).toMatch(/\(attempt 3 of 4;/);
  });

  it('says nothing of it when stderr is not a terminal', async () => {
    const t = await fetchOnce(false);
    expect(t.code).toBe(0);
    expect(t.stderr).toBe('');
  });
});

// Issue 11 "Done when": over every output format, no control character but newline and tab reaches stdout from config
// or token content, and no value of a secret-looking key or URL userinfo appears.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run as doctor } from '../../src/commands/doctor.js';
import { run as explain } from '../../src/commands/explain.js';
import { run as showIni } from '../../src/commands/show-ini.js';
import { testIo, transcript } from '../helpers/run-command.js';

const BASE = new URL('../fixtures/rules/_base/', import.meta.url).pathname;
const BASE_INI = readFileSync(join(BASE, 'grafana.ini'), 'utf8');
const BASE_YAML = readFileSync(join(BASE, 'pomerium.yaml'), 'utf8');
const FORMATS = ['human', 'json', 'sarif', 'github'] as const;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const BUDGET = { interruptAfterTimeLimit: 4_000, markInterruptAsFailure: false, numRuns: 60 } as const;

const controlChar = fc.integer({ min: 0, max: 0x9f }).filter((c) => c !== 0x0a && c !== 0x09 && (c < 0x20 || c >= 0x7f)).map((c) => String.fromCharCode(c));
/** Text with control characters among ordinary ones (ESC sequences, BEL, CR, NUL, C1). */
const dirty = fc.array(fc.oneof(controlChar, fc.constantFrom('\x1b[31m', '\x1b]0;T\x07', '::error::x', 'a', 'Z', ' ', '%', ',', ':')), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
/** A secret value that cannot occur in the output by chance. */
const secret = fc.stringMatching(/^[a-z0-9]{10}$/).map((s) => `Zq${s}Xv`);
const secretKey = fc.constantFrom('client_secret', 'password', 'idp_client_secrt', 'cookie_secret', 'api_key', 'secret_key', 'admin_password', 'idp_service_account', 'certificate_key');

const dir = mkdtempSync(join(tmpdir(), 'gp-fuzz-out-'));

async function doctorEveryFormat(ini: string, yaml: string): Promise<string[]> {
  writeFileSync(join(dir, 'grafana.ini'), ini);
  writeFileSync(join(dir, 'pomerium.yaml'), yaml);
  const outs: string[] = [];
  for (const format of FORMATS) {
    const io = testIo(dir);
    const t = await transcript(io, () => doctor([], { grafana: 'grafana.ini', pomerium: 'pomerium.yaml', format, failLevel: 'none' }, io));
    outs.push(t.stdout);
  }
  const io = testIo(dir);
  await transcript(io, () => showIni(['grafana.ini'], {}, io));
  outs.push(io.stdout.join(''));
  return outs;
}

describe('output safety over all formats (fast-check)', () => {
  it('config content: no control characters, no secret values', async () => {
    await fc.assert(
      fc.asyncProperty(dirty, dirty, secretKey, secret, secret, async (junk1, junk2, key, value, password) => {
        const ini = BASE_INI.replace('header_name = X-Pomerium-Jwt-Assertion', `header_name = X${junk1}`)
          + `\n[database]\nurl = postgres://grafana:${password}@db/grafana\n[auth.generic_oauth]\n${key} = ${value}\nnot_a_key${junk2} = 1\n`;
        const yaml = BASE_YAML.replace('authenticate_service_url: https://authenticate.example.com', `authenticate_service_url: ${JSON.stringify(`https://a.example.com/${junk2}`)}`)
          + `${key}: ${value}\ndatabroker_storage_connection_string: postgres://u:${password}@db/p\n`;
        for (const out of await doctorEveryFormat(ini, yaml)) {
          const at = CONTROL.exec(out);
          expect(at && `${at[0].charCodeAt(0)} ${JSON.stringify(out.slice(Math.max(0, at.index - 30), at.index + 5))}`).toBeNull();
          expect(out).not.toContain(value);
          expect(out).not.toContain(password);
        }
      }),
      BUDGET,
    );
  }, 60_000);

  it('token content (kid, claims): no control characters in explain output', async () => {
    const jwks = join(dir, 'jwks.json');
    writeFileSync(jwks, '{"keys":[]}');
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    await fc.assert(
      fc.asyncProperty(dirty, dirty, async (kid, email) => {
        const token = `${b64({ alg: 'ES256', kid })}.${b64({ email: `a${email}@example.com`, sub: email, name: email, exp: 4_000_000_000 })}.c2ln`;
        for (const json of [false, true]) {
          const io = testIo(dir);
          const t = await transcript(io, () => explain([token], { grafana: join(BASE, 'grafana.ini'), jwks, ...(json ? { json } : {}) }, io));
          const at = CONTROL.exec(t.stdout);
          expect(at && `${at[0].charCodeAt(0)} ${JSON.stringify(t.stdout.slice(Math.max(0, at.index - 30), at.index + 5))}`).toBeNull();
        }
      }),
      BUDGET,
    );
  }, 60_000);
});

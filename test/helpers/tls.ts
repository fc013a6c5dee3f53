// A throwaway PKI made at test time with the openssl CLI: a CA, a server certificate for
// 127.0.0.1 / localhost / jwks.test, and the broken variants the fault tests need.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  key: string;
  cert: string;
}

export interface TestPki {
  dir: string;
  /** The CA that signed `server`, `wrongName` and `expired`. */
  caPem: string;
  caFile: string;
  /** Valid for 127.0.0.1, localhost and jwks.test. */
  server: KeyPair;
  /** Valid only for other.test. */
  wrongName: KeyPair;
  /** Valid names, but expired. */
  expired: KeyPair;
  /** Valid names, signed by a second CA that nobody trusts. */
  untrusted: KeyPair;
}

const SERVER_NAMES = 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:jwks.test\n';

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'gp-pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const newCa = (name: string) => {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`);
  };
  const issue = (name: string, ca: string, sans: string, days: string): KeyPair => {
    writeFileSync(join(dir, `${name}.ext`), sans);
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    // A negative -days gives notAfter one day before notBefore (= now): an expired certificate.
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', days, '-extfile', `${name}.ext`);
    return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.pem`), 'utf8') };
  };
  newCa('ca');
  newCa('rogue-ca');
  return {
    dir,
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    caFile: join(dir, 'ca.pem'),
    server: issue('server', 'ca', SERVER_NAMES, '2'),
    wrongName: issue('wrong-name', 'ca', 'subjectAltName=DNS:other.test\n', '2'),
    expired: issue('expired', 'ca', SERVER_NAMES, '-1'),
    untrusted: issue('untrusted', 'rogue-ca', SERVER_NAMES, '2'),
  };
}

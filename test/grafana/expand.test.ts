import { describe, expect, it } from 'vitest';
import { expandValue } from '../../src/grafana/expand.js';

const files: Record<string, string | null | undefined> = {
  '/run/secrets/url': '  https://auth.example.com/jwks.json\n',
  '/run/secrets/gone': null,
};
const readFile = (path: string) => files[path];

describe('expandValue (Grafana expanders)', () => {
  it('reads ${VAR} and $__env{VAR}; an unset variable is empty; $VAR is left alone', () => {
    const r = expandValue('${A}-$__env{B}-${UNSET}-$A', { A: 'a', B: 'b' }, readFile);
    // What each reference gave is kept apart, so that reports can show the reference instead (issue 11 item 1).
    expect(r).toEqual({ value: 'a-b--$A', known: true, issues: [], substituted: [{ reference: '${A}', text: 'a' }, { reference: '$__env{B}', text: 'b' }] });
  });

  it('reads $__file{path} trimmed', () => {
    expect(expandValue('$__file{/run/secrets/url}', {}, readFile).value).toBe('https://auth.example.com/jwks.json');
  });

  it('a missing file stops Grafana; a file not visible here is a could-not-check', () => {
    const missing = expandValue('$__file{/run/secrets/gone}', {}, readFile);
    expect(missing.known).toBe(false);
    expect(missing.issues).toEqual([{ message: 'stat /run/secrets/gone: no such file or directory', fatal: true }]);
    const unknown = expandValue('x $__file{/elsewhere}', {}, readFile);
    expect(unknown).toEqual({ value: 'x $__file{/elsewhere}', known: false, issues: [{ message: 'cannot read /elsewhere here to check it', fatal: false }], substituted: [] });
  });

  it('leaves other providers ($__vault) as written', () => {
    expect(expandValue('$__vault{kv:secret}', {}, readFile).value).toBe('$__vault{kv:secret}');
  });

  it('expands env first, then files: a variable may name a file', () => {
    expect(expandValue('${SECRET}', { SECRET: '$__file{/run/secrets/url}' }, readFile).value).toBe('https://auth.example.com/jwks.json');
  });

  it('reads $__file{${DIR}/x} as the file "${DIR" (the first } ends the match), as Grafana does', () => {
    const r = expandValue('$__file{${DIR}/x}', { DIR: '/run/secrets' }, (p) => (p === '${DIR' ? 'odd' : null));
    expect(r.value).toBe('odd/x}');
  });

  it('does not read $ patterns in replacements', () => {
    expect(expandValue('${A}', { A: "$& $' $1" }, readFile).value).toBe("$& $' $1");
  });

  it('marks ${HOSTNAME} unknown when unset (Grafana asks the machine)', () => {
    expect(expandValue('${HOSTNAME}', {}, readFile)).toEqual({ value: '${HOSTNAME}', known: false, issues: [], substituted: [] });
    expect(expandValue('${HOSTNAME}', { HOSTNAME: 'grafana-0' }, readFile).value).toBe('grafana-0');
  });
});

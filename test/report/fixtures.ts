// One shared set of findings for every reporter's expected output: a multi-line span, a tab before
// the span, wide non-ASCII text before the span, a masked secret, a file-only finding, a finding with
// no place, hints, every severity, and a path with `,` and `:` (GitHub property escaping).
import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import type { ReportInput, RuleInfo } from '../../src/report/types.js';

export const GRAFANA_INI = 'deploy/grafana.ini';
export const POMERIUM_YAML = 'configs/team:a,b/pomerium.yaml';
export const SECRET = 'c2VjcmV0LXZhbHVlLW5vdC10by1zaG93';

export const SOURCES = new Map<string, string>([
  [
    GRAFANA_INI,
    [
      '; Grafana behind Pomerium',
      '[auth.jwt]',
      'enabled = true',
      'header_name = X-Jwt',
      '\tusername_claim =\tsub',
      '[auth.anonymous]',
      'org_name = Überwachung 監視 ; Team A',
      '',
    ].join('\r\n'),
  ],
  [
    POMERIUM_YAML,
    [
      'authenticate_service_url: https://authenticate.example.com',
      `shared_secret: ${SECRET}`,
      'routes:',
      '  - from: https://grafana.example.com',
      '    to: http://grafana:3000',
      '    policy:',
      '      - allow:',
      '          or:',
      '            - domain:',
      '                is: example.com',
      '',
    ].join('\n'),
  ],
]);

/** Masks the value of `shared_secret` the way doctor does: a fixed-width placeholder. */
export function maskSecrets(_file: string, _line: number, text: string): string {
  return text.replace(/^(\s*shared_secret:\s*)\S.*$/, '$1********');
}

const at = (file: string, line: number, column: number, endLine: number, endColumn: number) => ({ file, line, column, endLine, endColumn });
const nowhere = { line: null, column: null, endLine: null, endColumn: null };

export const FINDINGS: Finding[] = [
  {
    ruleId: 'grafana/inline-comment',
    severity: 'warning',
    message: 'org_name is cut at ";": Grafana reads "Überwachung 監視"',
    ...at(GRAFANA_INI, 7, 27, 7, 35),
    hint: 'quote the value with backticks: org_name = `Überwachung 監視 ; Team A`',
  },
  {
    ruleId: 'grafana/jwt-header-name',
    severity: 'error',
    message: 'header_name is "X-Jwt" but Pomerium sends X-Pomerium-Jwt-Assertion',
    ...at(GRAFANA_INI, 4, 15, 4, 20),
    hint: 'set header_name = X-Pomerium-Jwt-Assertion',
  },
  {
    ruleId: 'grafana/username-claim',
    severity: 'info',
    message: "username_claim = sub: logins match on Pomerium's user id (100% stable, not readable)",
    ...at(GRAFANA_INI, 5, 19, 5, 22),
  },
  {
    ruleId: 'pomerium/pass-identity-headers',
    severity: 'error',
    message: 'the Grafana route does not pass identity headers, so Grafana gets no X-Pomerium-Jwt-Assertion',
    ...at(POMERIUM_YAML, 4, 5, 10, 32),
    hint: 'add pass_identity_headers: true to the route',
  },
  {
    ruleId: 'pomerium/shared-secret-length',
    severity: 'warning',
    message: 'shared_secret decodes to 24 bytes; Pomerium needs 32',
    ...at(POMERIUM_YAML, 2, 16, 2, 48),
  },
  {
    ruleId: 'pomerium/signing-key-missing',
    severity: 'warning',
    message: 'no signing_key: the JWKS Pomerium serves is empty',
    file: POMERIUM_YAML,
    ...nowhere,
  },
  {
    ruleId: 'cross/grafana-route',
    severity: 'error',
    message: "no Pomerium route sends traffic to Grafana's root_url",
    file: null,
    ...nowhere,
    hint: 'pass --pomerium-config, or add a route whose to: is Grafana',
  },
];

/** The rules that ran; `pomerium/signing-key-missing` is left out on purpose (SARIF still needs it). */
export const RULES: RuleInfo[] = [
  { id: 'grafana/jwt-header-name', description: 'auth.jwt header_name must be the header Pomerium sends', severity: 'error' },
  { id: 'grafana/inline-comment', description: 'A ; or # in a grafana.ini value starts a comment', severity: 'warning' },
  { id: 'grafana/username-claim', description: 'Which claim Grafana matches users on', severity: 'info' },
  { id: 'grafana/auto-sign-up', description: 'New users need auto_sign_up or an existing account', severity: 'warning' },
  { id: 'pomerium/pass-identity-headers', description: 'The Grafana route must pass identity headers', severity: 'error' },
  { id: 'pomerium/shared-secret-length', description: 'shared_secret must be 32 bytes, base64-encoded', severity: 'warning' },
  { id: 'cross/grafana-route', description: 'A Pomerium route must lead to Grafana', severity: 'error' },
];

export const CWD = '/work/repo';

export function reportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return { findings: FINDINGS, sources: SOURCES, rules: RULES, cwd: CWD, maskSecrets, ...overrides };
}

/** Compares with test/report/expected/<name> byte for byte; UPDATE_EXPECTED=1 rewrites the file instead. */
export function expectExpectedFile(actual: string, name: string): void {
  const url = new URL(`./expected/${name}`, import.meta.url);
  if (process.env.UPDATE_EXPECTED === '1') writeFileSync(url, actual);
  expect(actual).toBe(readFileSync(url, 'utf8'));
}

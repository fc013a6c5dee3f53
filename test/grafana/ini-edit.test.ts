import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { editIni, encodeIniValue, renderIniSections, type IniChange } from '../../src/grafana/ini-edit.js';
import { parseIni } from '../../src/grafana/ini-parse.js';
import { keyString, lookupKey } from '../../src/grafana/ini-values.js';

const fixture = readFileSync(new URL('../fixtures/grafana/commented-200.ini', import.meta.url), 'utf8');

const edit = (text: string, changes: IniChange[], removeDuplicates = false) => editIni(parseIni(text, 'grafana.ini'), changes, { removeDuplicates });

/** Reads `[section] key` back the way Grafana's go-ini would. */
const readBack = (text: string, section: string, key: string) => {
  const doc = parseIni(text, 'out.ini');
  expect(doc.error).toBeNull();
  return lookupKey(doc, section, key);
};

describe('editIni on a commented grafana.ini', () => {
  const changes: IniChange[] = [
    { section: 'auth.jwt', key: 'header_name', value: 'X-Pomerium-Jwt-Assertion-2' },
    { section: 'auth.jwt', key: 'tls_client_ca', value: '/etc/grafana/ca.pem' },
    { section: 'auth.jwt', key: 'expect_claims', value: '{"iss": "grafana.example.com"}' },
    { section: 'auth.proxy', key: 'enabled', value: null },
    { section: 'users', key: 'auto_assign_org_role', value: 'Editor' },
    { section: 'auth.extended_jwt', key: 'enabled', value: 'false' },
  ];

  /** The fixture with exactly the owned lines changed, built line by line. */
  function expectedLines(eol: string): string {
    const lines = fixture.split('\n');
    const at = (text: string) => {
      const i = lines.indexOf(text);
      expect(i).toBeGreaterThan(-1);
      return i;
    };
    lines[at('auto_assign_org_role = Viewer')] = 'auto_assign_org_role = Editor';
    lines[at('header_name = X-Pomerium-Jwt-Assertion')] = 'header_name = X-Pomerium-Jwt-Assertion-2';
    lines.splice(at('auto_sign_up = true') + 1, 0, 'tls_client_ca = /etc/grafana/ca.pem', 'expect_claims = {"iss": "grafana.example.com"}');
    lines.splice(lines.indexOf('enabled = false', at('[auth.proxy]')), 1);
    // The file ends with a line break, so split() left an empty last element.
    lines.splice(lines.length - 1, 0, '', '[auth.extended_jwt]', 'enabled = false');
    return lines.join(eol);
  }

  it('changes only the owned lines; every other byte stays', () => {
    expect(edit(fixture, changes)).toBe(expectedLines('\n'));
  });

  it('keeps CRLF line endings', () => {
    const crlf = fixture.replaceAll('\n', '\r\n');
    expect(edit(crlf, changes)).toBe(expectedLines('\r\n'));
  });

  it('writes values go-ini reads back, and is idempotent', () => {
    const out = edit(fixture, changes);
    expect(readBack(out, 'auth.jwt', 'expect_claims').value).toBe('{"iss": "grafana.example.com"}');
    expect(readBack(out, 'auth.jwt', 'tls_client_ca').value).toBe('/etc/grafana/ca.pem');
    expect(readBack(out, 'auth.proxy', 'enabled').found).toBe(false);
    expect(edit(out, changes)).toBe(out);
  });

  it('keeps a byte order mark', () => {
    const out = edit('\ufeff; top\n[server]\nhttp_port = 3000\n', [{ section: 'DEFAULT', key: 'app_mode', value: 'production' }]);
    expect(out).toBe('\ufeffapp_mode = production\n; top\n[server]\nhttp_port = 3000\n');
  });

  it('refuses a file go-ini cannot read, pointing at the bad line', () => {
    const doc = parseIni('[auth.jwt]\nenabled = true\nclient_secret s3cr3t\n', 'grafana.ini');
    try {
      editIni(doc, [{ section: 'auth.jwt', key: 'enabled', value: 'false' }]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).options.span).toMatchObject({ file: 'grafana.ini', line: 3, column: 1 });
      expect((err as UserError).message).toMatch(/key-value delimiter not found/);
      expect((err as UserError).message).not.toContain('s3cr3t');
    }
  });
});

describe('editIni details', () => {
  it('replaces the last occurrence, keeps the key style and a trailing comment', () => {
    const text = '[auth.jwt]\nheader_name=First\n  header_name=Second ; the one Grafana uses\n';
    expect(edit(text, [{ section: 'auth.jwt', key: 'header_name', value: 'Third' }])).toBe(
      '[auth.jwt]\nheader_name=First\n  header_name=Third ; the one Grafana uses\n',
    );
    expect(edit(text, [{ section: 'auth.jwt', key: 'header_name', value: 'Third' }], true)).toBe('[auth.jwt]\n  header_name=Third ; the one Grafana uses\n');
  });

  it('drops a trailing comment that would end the new quoted value', () => {
    const text = '[a]\nk = v ; uses `code`\n';
    const out = edit(text, [{ section: 'a', key: 'k', value: 'x;y' }]);
    expect(out).toBe('[a]\nk = `x;y`\n');
    expect(readBack(out, 'a', 'k').value).toBe('x;y');
  });

  it('fills an empty value and follows the section style for new keys', () => {
    expect(edit('[a]\nk =\n', [{ section: 'a', key: 'k', value: 'v' }])).toBe('[a]\nk = v\n');
    expect(edit('[a]\nx=1\n\n; next\n[b]\n', [{ section: 'a', key: 'y', value: '2' }])).toBe('[a]\nx=1\ny=2\n\n; next\n[b]\n');
  });

  it('adds keys under a header without keys, and to a last line without a line break', () => {
    expect(edit('[a]\n; empty\n[b]', [{ section: 'a', key: 'k', value: 'v' }, { section: 'b', key: 'k', value: 'w' }])).toBe(
      '[a]\nk = v\n; empty\n[b]\nk = w\n',
    );
    expect(edit('[a]\nx = 1', [{ section: 'a', key: 'y', value: '2' }])).toBe('[a]\nx = 1\ny = 2\n');
  });

  it('removes every occurrence for null and leaves absent keys alone', () => {
    expect(edit('[a]\nk = 1\nj = 2\nk = 3\n', [{ section: 'a', key: 'k', value: null }, { section: 'a', key: 'z', value: null }])).toBe('[a]\nj = 2\n');
  });

  it('appends a missing section after a blank line, also to an empty file', () => {
    expect(edit('[a]\nx = 1\n', [{ section: 'b', key: 'k', value: 'v' }])).toBe('[a]\nx = 1\n\n[b]\nk = v\n');
    expect(edit('[a]\nx = 1\n\n', [{ section: 'b', key: 'k', value: 'v' }])).toBe('[a]\nx = 1\n\n[b]\nk = v\n');
    expect(edit('', [{ section: 'b', key: 'k', value: 'v' }])).toBe('[b]\nk = v\n');
  });

  it('leaves a value it would write the same way alone (even in another quoting)', () => {
    const text = '[a]\nk = "v"\n';
    expect(edit(text, [{ section: 'a', key: 'k', value: 'v' }])).toBe(text);
  });
});

describe('value quoting', () => {
  const tricky = [
    'https://auth.example.com/jwks.json#frag',
    '{"iss":"a;b"}',
    ' leading',
    'trailing ',
    '"quoted"',
    "'single'",
    'C:\\path\\',
    'two\nlines',
    'has `tick`',
    'has `tick` and ; semi',
    '`start',
    '"""x',
    'ends with "',
    '\u00a0nbsp',
    'plain value',
    '%(other)s stays a reference',
  ];

  it.each(tricky)('round-trips %j through go-ini, replacing and adding', (value) => {
    const replaced = edit('[s]\nk = old ; note\n', [{ section: 's', key: 'k', value }]);
    expect(readBack(replaced, 's', 'k').entry?.value).toBe(value);
    const added = edit('[s]\n', [{ section: 's', key: 'k', value }, { section: 's', key: 'after', value: 'x' }]);
    expect(readBack(added, 's', 'k').entry?.value).toBe(value);
    expect(keyString(parseIni(added, 'x'), 's', 'after')).toBe('x');
    const fresh = renderIniSections([{ name: 's', keys: [{ key: 'k', value, comment: 'why\nand how' }] }]);
    expect(readBack(fresh, 's', 'k').entry?.value).toBe(value);
  });

  it('writes plain values plainly', () => {
    expect(encodeIniValue('X-Pomerium-Jwt-Assertion')).toBe('X-Pomerium-Jwt-Assertion');
    expect(encodeIniValue('a;b')).toBe('`a;b`');
    expect(encodeIniValue('a`;b')).toBe('"""a`;b"""');
    expect(() => encodeIniValue('`"""')).toThrow(UserError);
  });

  it('round-trips any value and is idempotent (property)', () => {
    const chars = fc.constantFrom(...'ab ;#"\'`\\\n\r\t=:%$[]{}'.split(''), '\u00a0');
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 12 }), fc.boolean(), (value, crlf) => {
        if (value.includes('`') && value.includes('"""')) return;
        const eol = crlf ? '\r\n' : '\n';
        const text = `; c${eol}[s]${eol}k = old${eol}${eol}[t]${eol}x = 1${eol}`;
        const changes = [
          { section: 's', key: 'k', value },
          { section: 's', key: 'n', value },
        ];
        const out = edit(text, changes);
        expect(readBack(out, 's', 'k').entry?.value).toBe(value);
        expect(readBack(out, 's', 'n').entry?.value).toBe(value);
        expect(keyString(parseIni(out, 'x'), 't', 'x')).toBe('1');
        expect(edit(out, changes)).toBe(out);
      }),
      { numRuns: 300 },
    );
  });

  it('renders sections with comments', () => {
    expect(
      renderIniSections([
        { name: 'auth.jwt', keys: [{ key: 'enabled', value: 'true', comment: 'sign in from Pomerium' }, { key: 'expect_claims', value: '{"a":"#"}' }] },
        { name: 'users', keys: [{ key: 'auto_assign_org_role', value: 'Viewer' }] },
      ]),
    ).toBe('[auth.jwt]\n; sign in from Pomerium\nenabled = true\nexpect_claims = `{"a":"#"}`\n\n[users]\nauto_assign_org_role = Viewer\n');
  });
});

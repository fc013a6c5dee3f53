import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/core/span.js';
import { goTrim, isGoSpace } from '../../src/core/go-text.js';
import { goQuote, parseIni, redactIniError } from '../../src/grafana/ini-parse.js';

/** `[line, column, endLine, endColumn]` of a span, for short assertions. */
const at = (span: Span) => [span.line, span.column, span.endLine, span.endColumn];
/** The text a span covers (text with `\n` line endings). */
function covered(text: string, span: Span): string {
  const lines = text.split('\n');
  if (span.line === span.endLine) return lines[span.line - 1]!.slice(span.column - 1, span.endColumn - 1);
  return [lines[span.line - 1]!.slice(span.column - 1), ...lines.slice(span.line, span.endLine - 1), lines[span.endLine - 1]!.slice(0, span.endColumn - 1)].join('\n');
}

describe('positions', () => {
  it('gives keys, values and headers 1-based spans with an exclusive end column', () => {
    const text = '[server]\nhttp_port = 3000\n  [auth.jwt]\n\tenabled=true\n';
    const doc = parseIni(text, 'grafana.ini');
    expect(doc.headers.map((h) => [h.name, at(h.span)])).toEqual([
      ['server', [1, 1, 1, 9]],
      ['auth.jwt', [3, 3, 3, 13]],
    ]);
    const [port, enabled] = doc.entries;
    expect(at(port!.keySpan)).toEqual([2, 1, 2, 10]);
    expect(at(port!.valueSpan)).toEqual([2, 13, 2, 17]);
    expect(port!.keySpan.file).toBe('grafana.ini');
    expect(at(enabled!.keySpan)).toEqual([4, 2, 4, 9]);
    expect(at(enabled!.valueSpan)).toEqual([4, 10, 4, 14]);
    expect(text.slice(enabled!.start, enabled!.end)).toBe('enabled=true');
  });

  it('does not count CR as part of the value with CRLF line endings', () => {
    const text = '[a]\r\nk = v  \r\nj = w\r\n';
    const doc = parseIni(text, 'f');
    expect(doc.entries.map((e) => [e.value, at(e.valueSpan), text.slice(e.start, e.end)])).toEqual([
      ['v', [2, 5, 2, 6], 'k = v'],
      ['w', [3, 5, 3, 6], 'j = w'],
    ]);
  });

  it('skips a leading BOM: it is not part of text, so line 1 columns are what editors show', () => {
    const doc = parseIni('\ufeff[a]\nk = v\n', 'f');
    expect(doc.bom).toBe(true);
    expect(doc.text).toBe('[a]\nk = v\n');
    expect(at(doc.headers[0]!.span)).toEqual([1, 1, 1, 4]);
    expect(parseIni('[a]\n', 'f').bom).toBe(false);
  });

  it('counts columns in UTF-16 code units past non-ASCII text', () => {
    const text = 'clé = 🚀 go\n';
    const doc = parseIni(text, 'f');
    const [e] = doc.entries;
    expect(e!.key).toBe('clé');
    expect(at(e!.keySpan)).toEqual([1, 1, 1, 4]);
    expect(at(e!.valueSpan)).toEqual([1, 7, 1, 12]);
    expect(covered(text, e!.valueSpan)).toBe('🚀 go');
  });

  it('spans a triple-quoted value over its lines, quotes included', () => {
    const text = '[a]\nk = """one\ntwo""" ; note\nz = 1\n';
    const doc = parseIni(text, 'f');
    const k = doc.entries[0]!;
    expect(k.value).toBe('one\ntwo');
    expect(k.quoting).toBe('triple');
    expect(at(k.valueSpan)).toEqual([2, 5, 3, 7]);
    expect(covered(text, k.valueSpan)).toBe('"""one\ntwo"""');
    expect(text.slice(k.start, k.end)).toBe('k = """one\ntwo""" ; note');
    expect(doc.entries[1]!.keySpan.line).toBe(4);
  });

  it('spans a continued value from its first to its last line', () => {
    const text = 'k = a \\\n   b\\\n  c\nz = 1\n';
    const doc = parseIni(text, 'f');
    const k = doc.entries[0]!;
    expect([k.value, k.quoting]).toEqual(['a bc', 'continuation']);
    expect(at(k.valueSpan)).toEqual([1, 5, 3, 4]);
    expect(doc.entries[1]!.key).toBe('z');
  });

  it('points an empty value just after the delimiter', () => {
    const doc = parseIni('k =   \n', 'f');
    expect(at(doc.entries[0]!.valueSpan)).toEqual([1, 4, 1, 4]);
  });

  it('spans a quoted key with its quotes', () => {
    const doc = parseIni('  "my key" = v\n', 'f');
    expect(doc.entries[0]!.key).toBe('my key');
    expect(at(doc.entries[0]!.keySpan)).toEqual([1, 3, 1, 11]);
  });
});

describe('entries, headers and comments', () => {
  it('keeps every entry, duplicates included, while sections hold the first position and the last value', () => {
    const doc = parseIni('[a]\nk = 1\nj = 2\n[b]\n[a]\nk = 3\n', 'f');
    expect(doc.entries.map((e) => [e.section, e.key, e.value, e.keySpan.line])).toEqual([
      ['a', 'k', '1', 2],
      ['a', 'j', '2', 3],
      ['a', 'k', '3', 6],
    ]);
    expect(doc.headers.map((h) => h.name)).toEqual(['a', 'b', 'a']);
    expect(doc.sections).toEqual([
      { name: 'DEFAULT', keys: [] },
      {
        name: 'a',
        keys: [
          { key: 'k', value: '3' },
          { key: 'j', value: '2' },
        ],
      },
      { name: 'b', keys: [] },
    ]);
  });

  it('records full-line comments with their text trimmed', () => {
    const doc = parseIni('; grafana-pomerium-disable-next-line grafana/x\n  # note \nk = v\n', 'f');
    expect(doc.comments.map((c) => [c.line, c.text, at(c.span)])).toEqual([
      [1, 'grafana-pomerium-disable-next-line grafana/x', [1, 1, 1, 47]],
      [2, 'note', [2, 3, 2, 9]],
    ]);
  });

  it('numbers "-" keys from 1 in every section', () => {
    const doc = parseIni('- = a\n"-" = b\n[s]\n- = c\n', 'f');
    expect(doc.entries.map((e) => [e.section, e.key])).toEqual([
      ['DEFAULT', '#1'],
      ['DEFAULT', '#2'],
      ['s', '#1'],
    ]);
  });

  it('records quoting', () => {
    const doc = parseIni('a = "x"\nb = \'y\'\nc = `z`\nd = """w"""\ne = v\n', 'f');
    expect(doc.entries.map((e) => [e.value, e.quoting])).toEqual([
      ['x', 'double'],
      ['y', 'single'],
      ['z', 'backtick'],
      ['w', 'triple'],
      ['v', 'none'],
    ]);
  });
});

describe('cutComment', () => {
  it('records what go-ini cut from a plain value, with its span', () => {
    const text = '[auth.jwt]\njwk_set_url = https://x/jwks.json#frag ; note\nk = a;b\n';
    const doc = parseIni(text, 'f');
    const [url, k] = doc.entries;
    expect(url!.value).toBe('https://x/jwks.json');
    expect(url!.cutComment?.text).toBe('#frag ; note');
    expect(covered(text, url!.cutComment!.span)).toBe('#frag ; note');
    expect(at(url!.valueSpan)).toEqual([2, 15, 2, 34]);
    expect(k!.cutComment?.text).toBe(';b');
    expect(at(k!.cutComment!.span)).toEqual([3, 6, 3, 8]);
  });

  it('is null when nothing was cut, and for quoted and continued values', () => {
    const doc = parseIni('a = v\nb = `x;y`\nc = """p#q""" ; after\nd = x \\\n ;y\n', 'f');
    expect(doc.entries.map((e) => e.cutComment)).toEqual([null, null, null, null]);
    expect(doc.entries[3]!.value).toBe('x ;y');
  });

  it('keeps the quotes when the cut leaves them unbalanced', () => {
    const doc = parseIni('k = "a;b"\n', 'f');
    expect([doc.entries[0]!.value, doc.entries[0]!.quoting, doc.entries[0]!.cutComment?.text]).toEqual(['"a', 'none', ';b"']);
  });
});

describe('load errors', () => {
  it('carries the span of the offending line, and no sections', () => {
    const doc = parseIni('[a]\nk = v\n   not a key  \r\n', 'grafana.ini');
    expect(doc.error?.message).toBe('key-value delimiter not found: not a key  \r\n');
    expect(at(doc.error!.span)).toEqual([3, 4, 3, 13]);
    expect(doc.sections).toEqual([]);
    expect(doc.entries.map((e) => e.key)).toEqual(['k']);
  });

  it('points an unclosed multi-line value at its opening quote', () => {
    const doc = parseIni('[a]\nk = """abc\nmore\n', 'f');
    expect(doc.error?.message).toBe('missing closing key quote from "\\"\\"\\"abc\\n" to ""');
    expect(at(doc.error!.span)).toEqual([2, 5, 2, 11]);
  });

  it('points "empty section name" at the brackets', () => {
    const doc = parseIni('k = v\n  [] ; x\n', 'f');
    expect(doc.error?.message).toBe('empty section name');
    expect(at(doc.error!.span)).toEqual([2, 3, 2, 5]);
  });

  it('refuses a quoted key that is empty, as go-ini Section.NewKey does', () => {
    const doc = parseIni('"" = v\n', 'f');
    expect(doc.error?.message).toBe('error creating new key: empty key name');
    expect(at(doc.error!.span)).toEqual([1, 1, 1, 7]);
  });

  it('measures the """ key rule in UTF-8 bytes like go-ini: only a line over 6 bytes has a """-quoted key', () => {
    // 6 bytes: the key is quoted with `"` and empty. `"""é=` is 6 UTF-16 units but 7 bytes: `"""` never closes.
    expect(parseIni('"""a=\n', 'f').error?.message).toBe('error creating new key: empty key name');
    expect(parseIni('"""é=\n', 'f').error?.message).toBe('missing closing key quote: """é=\n');
    expect(parseIni('"""é"""=v\n', 'f').entries[0]?.key).toBe('é');
  });
});

describe('helpers', () => {
  it('isGoSpace is unicode.IsSpace', () => {
    const spaces = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000];
    expect(spaces.every(isGoSpace)).toBe(true);
    expect([0x08, 0x0e, 0x1f, 0x21, 0x84, 0x200b, 0xfeff, 0x180e].some(isGoSpace)).toBe(false);
    expect(goTrim('\u0085\u3000 a b\u00a0\t')).toBe('a b');
    expect(goTrim('\ufeffa\u200b')).toBe('\ufeffa\u200b');
  });

  it('goQuote is strconv.Quote', () => {
    expect(goQuote('"""abc\r\n')).toBe('"\\"\\"\\"abc\\r\\n"');
    expect(goQuote('a\\b\t\x07\x7f\x01')).toBe('"a\\\\b\\t\\a\\x7f\\x01"');
    expect(goQuote('é 🚀 \u00a0\u200b\ufeff\u{e0001}')).toBe('"é 🚀 \\u00a0\\u200b\\ufeff\\U000e0001"');
  });

  it('redactIniError hides the quoted file text and keeps the rest of the message', () => {
    expect(redactIniError('key-value delimiter not found: hunter2\n', '****')).toBe('key-value delimiter not found: ****');
    expect(redactIniError('missing closing key quote from "\\"\\"\\"x\\n" to ""', '****')).toBe('missing closing key quote from "****" to "****"');
    expect(redactIniError('empty section name', '****')).toBe('empty section name');
  });
});

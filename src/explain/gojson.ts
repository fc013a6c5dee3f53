import { UserError } from '../core/errors.js';
// JSON as go-jose's decoder (github.com/go-jose/go-jose/v4/json, a fork of Go's encoding/json) reads a
// token's header and payload. JavaScript's JSON.parse differs where it matters for a verdict: it keeps the
// last of two members with one name (the fork refuses the document), and it turns 1e400 into Infinity
// (Go's float64 decoding refuses the number).

/** A member name met twice in one object, after unescaping (`"a"` and `"\u0061"` are one name). */
export interface DuplicateMember {
  name: string;
  /** Member names leading to the object that holds the duplicate; [] for the top level. */
  path: string[];
}

export interface GoJsonDocument {
  value: unknown;
  /** Every duplicate, in document order. go-jose stops at the first one it decodes. */
  duplicates: DuplicateMember[];
  /** Numbers outside float64's range (strconv.ParseFloat: "value out of range"), by path. */
  overflows: string[][];
}

export type GoJsonResult = GoJsonDocument | { error: string };

/**
 * Parses `text` with RFC 8259's grammar (as Go's scanner does: no BOM, whitespace is space, tab, LF, CR),
 * records what go-jose's fork would refuse instead of throwing, and keeps Go's string decoding
 * (an unpaired surrogate escape becomes U+FFFD).
 */
export function parseGoJson(text: string): GoJsonResult {
  const parser = new Parser(text);
  try {
    parser.skipSpace();
    const value = parser.value([]);
    parser.skipSpace();
    if (parser.pos !== text.length) parser.fail('after top-level value');
    return { value, duplicates: parser.duplicates, overflows: parser.overflows };
  } catch (err) {
    if (err instanceof SyntaxError) return { error: err.message };
    // Go's decoder recurses on a growing stack; JavaScript's stack ends first. explain cannot give Grafana's
    // verdict then: an input error (exit 2), never a crash and never a verdict that is not Grafana's.
    if (err instanceof RangeError) {
      throw new UserError('the token is nested too deeply for explain to decode as Go would; its verdict cannot be told here', { exitCode: 2 });
    }
    throw err;
  }
}

class Parser {
  pos = 0;
  duplicates: DuplicateMember[] = [];
  overflows: string[][] = [];

  constructor(private readonly text: string) {}

  fail(where: string): never {
    const ch = this.text[this.pos];
    // Go's wording: "invalid character 'x' looking for beginning of value".
    throw new SyntaxError(ch === undefined ? 'unexpected end of JSON input' : `invalid character ${JSON.stringify(ch)} ${where}`);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos++;
  }

  value(path: string[]): unknown {
    const ch = this.text[this.pos];
    if (ch === '{') return this.object(path);
    if (ch === '[') return this.array(path);
    if (ch === '"') return this.string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number(path);
    for (const [word, result] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return result;
      }
    }
    return this.fail('looking for beginning of value');
  }

  object(path: string[]): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('looking for beginning of object key string');
      const name = this.string();
      if (seen.has(name)) this.duplicates.push({ name, path });
      seen.add(name);
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail('after object key');
      this.pos++;
      this.skipSpace();
      // defineProperty: a member named __proto__ is data, as in Go's map.
      Object.defineProperty(out, name, { value: this.value([...path, name]), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === '}') return out;
      if (next !== ',') {
        this.pos--;
        this.fail('after object key:value pair');
      }
    }
  }

  array(path: string[]): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      out.push(this.value([...path, String(out.length)]));
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === ']') return out;
      if (next !== ',') {
        this.pos--;
        this.fail('after array element');
      }
    }
  }

  number(path: string[]): number {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (!match) return this.fail('in numeric literal');
    this.pos += match[0].length;
    const value = Number(match[0]);
    if (!Number.isFinite(value)) this.overflows.push(path);
    return value;
  }

  string(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) this.fail('in string literal');
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch! < ' ') this.fail('in string literal');
      if (ch !== '\\') {
        out += ch;
        this.pos++;
        continue;
      }
      const esc = this.text[this.pos + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (esc !== undefined && esc in simple) {
        out += simple[esc];
        this.pos += 2;
        continue;
      }
      if (esc !== 'u') {
        this.pos++;
        this.fail('in string escape code');
      }
      const unit = this.hex4(this.pos + 2);
      this.pos += 6;
      if (unit >= 0xd800 && unit < 0xdc00) {
        // Go pairs a high surrogate only with a following \u low surrogate; alone it is U+FFFD.
        const low = this.text.startsWith('\\u', this.pos) ? this.hex4(this.pos + 2) : -1;
        if (low >= 0xdc00 && low < 0xe000) {
          out += String.fromCharCode(unit, low);
          this.pos += 6;
        } else {
          out += '\ufffd';
        }
      } else {
        out += unit >= 0xdc00 && unit < 0xe000 ? '\ufffd' : String.fromCharCode(unit);
      }
    }
  }

  hex4(at: number): number {
    const digits = this.text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) {
      this.pos = at;
      this.fail('in \\u hexadecimal character escape');
    }
    return parseInt(digits, 16);
  }
}

import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseDocumentOnce } from '../../src/pomerium/parse-once.js';
import { YAML_OPTIONS } from '../../src/pomerium/read.js';

describe('parseDocumentOnce', () => {
  const text = 'routes:\n  - from: https://a.example.com\n    to: http://a:80\n';

  it('answers the same text and options with the same document', () => {
    const first = parseDocumentOnce(text, YAML_OPTIONS);
    expect(parseDocumentOnce(String(text), YAML_OPTIONS)).toBe(first);
  });

  it('parses again for another text or other options', () => {
    const first = parseDocumentOnce(text, YAML_OPTIONS);
    const other = parseDocumentOnce(text.replace('a.example', 'b.example'), YAML_OPTIONS);
    expect(other).not.toBe(first);
    expect(other.getIn(['routes', 0, 'from'])).toBe('https://b.example.com');
    expect(parseDocumentOnce(text, { ...YAML_OPTIONS })).not.toBe(first);
  });

  it('gives what parseDocument gives, ranges and errors included', () => {
    const bad = 'a: 1\na: 2\nb: [\n';
    const once = parseDocumentOnce(bad, YAML_OPTIONS);
    const direct = parseDocument(bad, YAML_OPTIONS);
    expect(once.errors.map((e) => [e.code, e.pos])).toEqual(direct.errors.map((e) => [e.code, e.pos]));
    expect(once.contents?.range).toEqual(direct.contents?.range);
    expect(once.toJS()).toEqual(direct.toJS());
  });
});

import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { FAST_READER_MIN_CHARS, parseAheadIfLarge, parseDocumentOnce } from '../../src/pomerium/parse-once.js';
import { readPomeriumConfig, YAML_OPTIONS } from '../../src/pomerium/read.js';

/** A config of `count` routes after a comment line (yaml keeps the comment; the fast reader does not, which shows who parsed). */
function routes(count: number, extra = ''): string {
  const lines = ['# routes', '', 'routes:'];
  for (let i = 0; i < count; i++) lines.push(`  - from: https://app-${i}.example.com`, `    to: http://app-${i}:8080`, '    policy:', '      - allow:', '          or:', '            - email:', `                is: user-${i}@example.com`);
  return lines.join('\n') + '\n' + extra;
}

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

  it('answers a large config parsed ahead by the fast reader, which reads as yaml does', async () => {
    const text = routes(1000);
    expect(text.length).toBeGreaterThan(FAST_READER_MIN_CHARS);
    parseDocumentOnce('other: text', YAML_OPTIONS);
    const byYaml = readPomeriumConfig(text, 'pomerium.yaml');
    expect(parseDocumentOnce(text, YAML_OPTIONS).commentBefore).toBe(' routes');
    expect(await parseAheadIfLarge(text, YAML_OPTIONS)).toBe('js-yaml events');
    const fast = parseDocumentOnce(text, YAML_OPTIONS);
    expect(fast.commentBefore).toBeNull();
    expect(readPomeriumConfig(text, 'pomerium.yaml')).toEqual(byYaml);
    expect(byYaml.routes).toHaveLength(1000);
  });

  it('leaves small configs and YAML the fast reader does not model to yaml', async () => {
    for (const [text, reader] of [[routes(3), null], [routes(1000, 'extra: &anchor [1, 2]\n'), 'yaml']] as const) {
      parseDocumentOnce('other: text', YAML_OPTIONS);
      expect(await parseAheadIfLarge(text, YAML_OPTIONS)).toBe(reader);
      expect(parseDocumentOnce(text, YAML_OPTIONS).commentBefore).toBe(' routes');
    }
  });
});

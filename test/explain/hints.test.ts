// Every flag a message or hint of a command names must be one that command has (commander's definition
// in src/program.ts). A hint naming --from-signing-key on explain, which has no such flag, is how a new
// user got stuck (issue 9, "Also found").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FETCH_HINT_REWRITES, forExplain } from '../../src/commands/explain.js';
import { buildProgram } from '../../src/program.js';

/** The string literals of a source file, comments left out (enough for this code base's plain literals). */
function literals(path: string): string[] {
  const code = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g)].map((m) => m[0]);
}

function flagsNamed(text: string): string[] {
  // A flag is --word; "--" alone and option spellings inside commander calls are not in these files.
  return [...text.matchAll(/(?<![\w-])--([a-z][a-z-]*[a-z])/g)].map((m) => `--${m[1]}`);
}

function commandFlags(name: string): Set<string> {
  const command = buildProgram().commands.find((c) => c.name() === name);
  if (!command) throw new Error(`no command ${name}`);
  return new Set([...command.options.map((o) => o.long!).filter(Boolean), '--help']);
}

function unknownFlags(command: string, texts: string[]): string[] {
  const known = commandFlags(command);
  return [...new Set(texts.flatMap((t) => flagsNamed(t).filter((f) => !known.has(f)).map((f) => `${f} in ${t.slice(0, 90)}`)))];
}

describe('hints name only flags of their own command', () => {
  it('explain: its own messages, the walk, the key-set reader and the loaders it calls', () => {
    const own = ['src/commands/explain.ts', 'src/explain/steps.ts', 'src/explain/verdict.ts', 'src/explain/role.ts', 'src/explain/times.ts', 'src/explain/expect.ts', 'src/explain/jwks.ts', 'src/explain/keys.ts', 'src/explain/token.ts']
      .flatMap(literals)
      // The rewrite table's left side quotes the fetch client's words; it is not a message.
      .filter((t) => !FETCH_HINT_REWRITES.some(([from]) => typeof from === 'string' && t.slice(1, -1) === from));
    // The fetch client's messages reach explain through forExplain.
    const fetched = literals('src/jwks/fetch.ts').map(forExplain);
    // signingKeysOf (load.ts) is how explain reads Pomerium's key.
    const loader = literals('src/commands/load.ts').filter((t) => t.includes('--env-file'));
    const texts = [...own, ...fetched, ...loader];
    expect(texts.filter((t) => flagsNamed(t).length > 0).length).toBeGreaterThan(10);
    expect(unknownFlags('explain', texts)).toEqual([]);
  });

  it('the rewrite catches every fetch-jwks-only flag the fetch client mentions', () => {
    const raw = literals('src/jwks/fetch.ts');
    // Without forExplain these would reach explain's users (the reported --from-signing-key hint among them).
    expect(unknownFlags('explain', raw).length).toBeGreaterThan(0);
    expect(unknownFlags('explain', raw.map(forExplain))).toEqual([]);
  });

  it('mint and fetch-jwks: their command modules', () => {
    expect(unknownFlags('mint', literals('src/commands/mint.ts'))).toEqual([]);
    expect(unknownFlags('fetch-jwks', [...literals('src/commands/fetch-jwks.ts'), ...literals('src/jwks/fetch.ts')])).toEqual([]);
  });
});

// `show-ini <file>`: what Grafana reads from one grafana.ini, by go-ini's rules. The human view masks
// secret values (it ends up in tickets and CI logs) unless --show-secrets; --json is go-ini's exact
// result, the same shape and values as the go-ini test vectors, for comparing parsers.
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { escapeControlsInLine, jsonText, maskSecretShapes } from '../core/sanitize.js';
import { formatSpan } from '../core/span.js';
import { MASK, isSecretKey, shownIniError } from '../doctor/secrets.js';
import { DEFAULT_SECTION, parseIni } from '../grafana/ini-parse.js';
import type { IniDocument } from '../grafana/ini-types.js';
import { keyString } from '../grafana/ini-values.js';
import { readInput } from './inputs.js';

type GoIniResult = { sections: { name: string; keys: [string, string][] }[]; error: string | null };

/** go-ini's result: sections in order, values as `Key.String()` returns them, or the load error. */
function goIniResult(doc: IniDocument): GoIniResult {
  if (doc.error) return { sections: [], error: doc.error.message };
  return { sections: doc.sections.map((s) => ({ name: s.name, keys: s.keys.map(({ key }): [string, string] => [key, keyString(doc, s.name, key)]) })), error: null };
}

/** go-ini's result with every secret hidden: values of secret keys, values that interpolate a secret, quoted lines that name one. */
function maskedResult(doc: IniDocument): GoIniResult {
  if (doc.error) {
    const shown = shownIniError(doc.error, doc);
    return { sections: [], error: shown === doc.error.message.replace(/\r?\n$/, '') ? doc.error.message : shown };
  }
  const secrets = doc.sections.flatMap((s) => s.keys.filter((k) => isSecretKey(k.key) && k.value !== '').map((k) => keyString(doc, s.name, k.key)));
  const hide = (key: string, raw: string, value: string) =>
    value !== '' && (isSecretKey(key) || (value !== raw && secrets.some((secret) => secret !== '' && value.includes(secret))));
  return {
    sections: doc.sections.map((s) => ({
      name: s.name,
      keys: s.keys.map(({ key, value: raw }): [string, string] => {
        const value = keyString(doc, s.name, key);
        // A password inside a URL (`[database] url`, `[remote_cache] connstr`), a PEM block or a long key under any name.
        return [key, hide(key, raw, value) ? MASK : maskSecretShapes(value)];
      }),
    })),
    error: null,
  };
}

/** Text a reader would misread when printed bare: empty, edge spaces or quotes, comment characters, invisible characters. */
const MISREADABLE = /^$|^[\s"'`]|[\s"'`]$|[;#\p{C}\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
const MISREADABLE_KEY = /[=:[\]]/;
/** Control and format characters and every space but U+0020. */
const INVISIBLE = /[\p{C}\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/gu;

/** JSON string syntax, with invisible and unusual space characters spelled `\uXXXX` too. */
function jsonQuote(text: string): string {
  const escape = (ch: string) => Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
  return JSON.stringify(text).replace(INVISIBLE, escape);
}

const shown = (text: string, extra?: RegExp) => (MISREADABLE.test(text) || extra?.test(text) ? jsonQuote(text) : text);

function humanText(sections: { name: string; keys: [string, string][] }[]): string {
  return sections
    .filter((s) => s.name !== DEFAULT_SECTION || s.keys.length > 0) // as go-ini writes files: no empty [DEFAULT]
    .map((s) => [`[${shown(s.name, /[[\]]/)}]`, ...s.keys.map(([key, value]) => `${shown(key, MISREADABLE_KEY)} = ${shown(value)}`)].join('\n') + '\n')
    .join('\n');
}

export async function run(args: string[], options: Record<string, unknown>, io: Io): Promise<number> {
  const file = args[0];
  if (file === undefined) throw new UserError('show-ini needs a file (or - for standard input)');
  const input = await readInput(file, 'grafana.ini', io);
  const doc = parseIni(input.text, input.file);
  if (options.json) {
    // go-ini's exact result; secrets only with --show-secrets, like every other output.
    io.out(jsonText(options.showSecrets ? goIniResult(doc) : maskedResult(doc)) + '\n');
    return 0;
  }
  const result = options.showSecrets ? goIniResult(doc) : maskedResult(doc);
  if (result.error !== null) {
    io.err(`${escapeControlsInLine(formatSpan(doc.error!.span))}: error: ${escapeControlsInLine(result.error.replace(/\r?\n$/, ''))}\n`);
    return 1;
  }
  io.out(humanText(result.sections));
  return 0;
}

// A guard before YAML/JSON parsing: the parsers recurse once per level, so a document nested thousands of levels
// deep overflows the stack. Such an input gets one clear message instead (exit 2), not a stack overflow and not a
// finding that blames Pomerium (go-yaml itself reads up to 10,000 levels: "exceeded max depth of 10000").
import { UserError } from './errors.js';

/** Deeper than any real config or token: about half of what the yaml package survives on Node's default stack. */
export const MAX_NESTING = 400;

/**
 * How deep `text` nests, counting flow collections (`[`, `{` outside quotes) and block levels (each deeper
 * indentation, and each `- ` that opens a sequence item on a line). Linear, iterative; stops once past `limit`.
 */
export function nestingDepth(text: string, limit = MAX_NESTING): number {
  let deepest = 0;
  let flow = 0;
  const indents: number[] = [];
  let quote: string | null = null;
  let lineStart = true;
  let column = 0;
  let blockDepth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      lineStart = true;
      column = 0;
      if (quote === "'" || flow === 0) quote = quote === '"' ? quote : null;
      continue;
    }
    if (lineStart) {
      if (ch === ' ') {
        column++;
        continue;
      }
      lineStart = false;
      if (ch !== '#' && flow === 0 && quote === null) {
        while (indents.length && indents[indents.length - 1]! >= column) indents.pop();
        indents.push(column);
        // `- - - x` opens one level per dash.
        let j = i;
        let dashes = 0;
        while (text[j] === '-' && (text[j + 1] === ' ' || text[j + 1] === '\t')) {
          dashes++;
          j += 2;
          while (text[j] === ' ') j++;
        }
        blockDepth = indents.length + dashes;
      }
    }
    if (quote !== null) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || (ch === "'" && /[\s[{,:]/.test(text[i - 1] ?? ' '))) quote = ch;
    else if (ch === '#' && /\s/.test(text[i - 1] ?? ' ')) {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
    } else if (ch === '[' || ch === '{') flow++;
    else if ((ch === ']' || ch === '}') && flow > 0) flow--;
    const depth = blockDepth + flow;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
  }
  return deepest;
}

/** Refuses a YAML or JSON input nested deeper than MAX_NESTING, naming it. */
export function checkNesting(text: string, what: string): void {
  if (nestingDepth(text) > MAX_NESTING) {
    throw new UserError(`${what} is nested more than ${MAX_NESTING} levels deep; such input is refused (it cannot be a real config or token)`);
  }
}

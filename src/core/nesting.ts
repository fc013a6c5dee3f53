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
  let quote = 0; // the open quote's char code, 0 outside quotes
  let lineStart = true;
  let column = 0;
  let blockDepth = 0;
  // Char codes, not one-character strings: this runs over every character of inputs up to 10 MiB.
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === NEWLINE) {
      lineStart = true;
      column = 0;
      if (quote === SINGLE || flow === 0) quote = quote === DOUBLE ? quote : 0;
      continue;
    }
    if (lineStart) {
      if (ch === SPACE) {
        column++;
        continue;
      }
      lineStart = false;
      if (ch !== HASH && flow === 0 && quote === 0) {
        while (indents.length && indents[indents.length - 1]! >= column) indents.pop();
        indents.push(column);
        // `- - - x` opens one level per dash.
        let j = i;
        let dashes = 0;
        while (text.charCodeAt(j) === DASH && (text.charCodeAt(j + 1) === SPACE || text.charCodeAt(j + 1) === TAB)) {
          dashes++;
          j += 2;
          while (text.charCodeAt(j) === SPACE) j++;
        }
        blockDepth = indents.length + dashes;
      }
    }
    if (quote !== 0) {
      if (ch === BACKSLASH && quote === DOUBLE) i++;
      else if (ch === quote) quote = 0;
      continue;
    }
    if (ch === DOUBLE || (ch === SINGLE && /[\s[{,:]/.test(text[i - 1] ?? ' '))) quote = ch;
    else if (ch === HASH && /\s/.test(text[i - 1] ?? ' ')) {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
    } else if (ch === OPEN_BRACKET || ch === OPEN_BRACE) flow++;
    else if ((ch === CLOSE_BRACKET || ch === CLOSE_BRACE) && flow > 0) flow--;
    const depth = blockDepth + flow;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
  }
  return deepest;
}

const [NEWLINE, TAB, SPACE, HASH, DASH, DOUBLE, SINGLE, BACKSLASH] = [10, 9, 32, 35, 45, 34, 39, 92];
const [OPEN_BRACKET, CLOSE_BRACKET, OPEN_BRACE, CLOSE_BRACE] = [91, 93, 123, 125];

/** Refuses a YAML or JSON input nested deeper than MAX_NESTING, naming it. */
export function checkNesting(text: string, what: string): void {
  if (nestingDepth(text) > MAX_NESTING) {
    throw new UserError(`${what} is nested more than ${MAX_NESTING} levels deep; such input is refused (it cannot be a real config or token)`);
  }
}

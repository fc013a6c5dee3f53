// What a Grafana JMESPath setting reads from the token: its syntax error position, and the claims
// it names at the top level (the ones Pomerium must send).
import { compile, tokenize } from '@jmespath-community/jmespath';

type Node = ReturnType<typeof compile>;

/** Offset in `path` of the token the parser stops at (lexer errors: the bad character). */
function errorOffset(path: string, lexerMessage: string | null): number {
  if (lexerMessage !== null) {
    const bad = /unknown character: (.)/.exec(lexerMessage)?.[1];
    const at = bad === undefined ? -1 : path.indexOf(bad);
    return at >= 0 ? at : Math.max(0, path.search(/["'`][^"'`]*$/));
  }
  const tokens = tokenize(path);
  for (const [i, token] of tokens.entries()) {
    const end = tokens[i + 1]?.start ?? path.length;
    try {
      compile(path.slice(0, end));
    } catch (err) {
      // An unfinished prefix fails at its end; the culprit is the first token that fails otherwise.
      if (!/EOF|end of/i.test((err as Error).message)) return token.start;
    }
  }
  return path.length;
}

export type ParsedPath = { ast: Node } | { error: string; offset: number };

export function parseClaimPath(path: string): ParsedPath {
  try {
    return { ast: compile(path) };
  } catch (err) {
    const message = (err as Error).message;
    let lexerMessage: string | null = null;
    try {
      tokenize(path);
    } catch {
      lexerMessage = message;
    }
    return { error: message, offset: errorOffset(path, lexerMessage) };
  }
}

/** The claims read from the token itself: fields on the left of chains, projections and pipes, and in functions at the top. */
export function topLevelFields(node: Node): string[] {
  const n = node as unknown as Record<string, unknown> & { type: string };
  switch (n.type) {
    case 'Field':
      return [n.name as string];
    case 'Subexpression':
      return (n.left as { type: string }).type === 'Current' ? topLevelFields(n.right as Node) : topLevelFields(n.left as Node);
    case 'IndexExpression':
    case 'Projection':
    case 'FilterProjection':
    case 'ValueProjection':
    case 'Pipe':
      return topLevelFields(n.left as Node);
    case 'ExpressionReference': // evaluated against elements, not the token
    case 'Literal':
      return [];
    default:
      return childrenOf(n).flatMap(topLevelFields);
  }
}

function childrenOf(n: Record<string, unknown>): Node[] {
  const out: unknown[] = [];
  for (const key of ['left', 'right', 'child', 'operand', 'condition', 'trueExpr', 'falseExpr', 'expression', 'reference', 'value']) {
    if (n[key] && typeof n[key] === 'object' && 'type' in (n[key] as object)) out.push(n[key]);
  }
  for (const key of ['children', 'bindings']) if (Array.isArray(n[key])) out.push(...(n[key] as unknown[]));
  return out as Node[];
}

/** Fields passed as the first argument of `contains()` at the top level: a string there is a substring test. */
export function containsSubjects(node: Node): string[] {
  const n = node as unknown as Record<string, unknown> & { type: string };
  if (n.type === 'Function' && n.name === 'contains') {
    const first = (n.children as Node[])[0] as unknown as { type: string; name?: string } | undefined;
    return first?.type === 'Field' ? [first.name!] : [];
  }
  if (n.type === 'ExpressionReference' || n.type === 'Literal') return [];
  return childrenOf(n).flatMap(containsSubjects);
}

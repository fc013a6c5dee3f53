/**
 * Whether human output gets colour: `--color`/`--no-color`, then NO_COLOR (set and non-empty),
 * then FORCE_COLOR, then a terminal that is not `dumb`. Decided here because chalk alone ignores
 * NO_COLOR and reads `--color` from process.argv.
 */
export function useColor(flag: boolean | undefined, isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR);
  return isTTY && env.TERM !== 'dumb';
}

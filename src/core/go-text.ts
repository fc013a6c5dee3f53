// Go's notion of white space, which differs from JavaScript's trim(): Go keeps a BOM and
// zero-width space and drops U+0085. go-ini, Grafana and Pomerium all trim this way.

/** Go's unicode.IsSpace; every such character is in the BMP. U+FEFF and U+200B are not spaces. */
export function isGoSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Go's strings.TrimSpace. */
export function goTrim(s: string): string {
  return s.slice(skipSpace(s, 0, s.length), trimEnd(s, 0, s.length));
}

/** The first offset in [from, to) that is not Go white space (`to` when there is none). */
export function skipSpace(s: string, from: number, to: number): number {
  while (from < to && isGoSpace(s.charCodeAt(from))) from++;
  return from;
}

/** The end of [from, to) once trailing Go white space is dropped. */
export function trimEnd(s: string, from: number, to: number): number {
  while (to > from && isGoSpace(s.charCodeAt(to - 1))) to--;
  return to;
}

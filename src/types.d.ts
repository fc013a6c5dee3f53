// templates/*.txt are imported as their text (esbuild's text loader; a plugin in vitest.config.ts).
declare module '*.txt' {
  const text: string;
  export default text;
}

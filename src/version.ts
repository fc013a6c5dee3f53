// esbuild's `define` (scripts/build.mjs) and vitest's (vitest.config.ts) put package.json's version here.
declare const __GP_VERSION__: string;
export const VERSION: string = __GP_VERSION__;

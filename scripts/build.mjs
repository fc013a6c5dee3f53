// Bundles src/cli.ts into dist/ with one chunk per command, so that `doctor` and `init`
// never load undici or jose (see README, "Speed").
import { build } from 'esbuild';
import { readFileSync, renameSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Built beside dist/ and swapped in at the end, so a CLI started meanwhile never sees half a bundle.
const root = new URL('..', import.meta.url).pathname;
const staging = `dist-building-${process.pid}`;
await build({
  entryPoints: { cli: 'src/cli.ts' },
  define: { __GP_VERSION__: JSON.stringify(pkg.version) },
  absWorkingDir: root,
  bundle: true,
  // templates/*.txt (init's texts) become string modules.
  loader: { '.txt': 'text' },
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: staging,
  chunkNames: 'chunks/[name]-[hash]',
  // Less to parse at start-up; identifiers are kept so that GRAFANA_POMERIUM_DEBUG stacks stay readable.
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __gpCreateRequire } from 'node:module'; const require = __gpCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
rmSync(`${root}dist`, { recursive: true, force: true });
renameSync(`${root}${staging}`, `${root}dist`);

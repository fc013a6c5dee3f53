// Builds dist/ (see README, "Speed"):
// - dist/cli.cjs: src/cli.ts and everything it loads, as ONE CommonJS bundle, so bin/ can compile it
//   with a V8 code cache (vm.Script cachedData). Commands stay lazy inside
//   it (esbuild turns their dynamic imports into init functions that run only when called).
// - dist/undici.cjs, dist/jose.cjs, dist/js-yaml.cjs: their own bundles, required only by the code that
//   uses them (js-yaml: the fast reader of large YAML files), so `doctor` and `init` on usual configs
//   neither load nor even read them.
// - dist/help.json: what the real commander program prints for --version and every --help,
//   captured from dist/cli.cjs itself, so bin/ can answer them before loading anything.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Built beside dist/ and swapped in at the end, so a CLI started meanwhile never sees half a bundle.
const root = new URL('..', import.meta.url).pathname;
const staging = join(root, `dist-building-${process.pid}`);

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Less to parse at start-up.
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  charset: 'ascii',
  logLevel: 'warning',
};

/** undici, jose and js-yaml become require('./undici.cjs') etc. at the places that import them. */
const vendorBundles = {
  name: 'vendor-bundles',
  setup(b) {
    // Through a module of our own: esbuild keeps import() of an external as import(), which vm.Script cannot run.
    b.onResolve({ filter: /^(undici|jose|js-yaml)$/ }, (args) => ({ path: args.path, namespace: 'vendor' }));
    b.onLoad({ filter: /.*/, namespace: 'vendor' }, (args) => ({ contents: `module.exports = require('./${args.path}.cjs');`, loader: 'js' }));
    b.onResolve({ filter: /^\.\/(undici|jose|js-yaml)\.cjs$/ }, (args) => ({ path: args.path, external: true }));
  },
};

// commander requires node:child_process (and with it net, dgram, ...) at load, for executable
// subcommands this CLI does not have: load it on first use instead.
const CHILD_PROCESS = "const childProcess = require('node:child_process');";
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(CHILD_PROCESS)) throw new Error(`${args.path}: commander changed; update lazyChildProcess in scripts/build.mjs`);
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: text.replace(CHILD_PROCESS, lazy), loader: 'js' };
    });
  },
};

// yaml's ES module build (its package's "default" export, the same code as its CommonJS "node" one):
// esbuild then binds its exports directly instead of through a getter per use, and drops what no
// command uses. The only difference, warnings through console.warn, never shows: every parse here
// passes logLevel 'error'.
const yamlEsm = {
  name: 'yaml-esm',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: join(root, 'node_modules/yaml/browser/index.js') }));
  },
};

// import.meta.url (src/report/rule-docs.ts finds the package's docs/ from it) is the bundle's own file in CommonJS.
const define = { __GP_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__gpModuleUrl' };
const banner = { js: 'var __gpModuleUrl=require("url").pathToFileURL(__filename).href;' };
await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    // Short names: a quarter less text to read and hash, and a smaller code cache (doctor ~5 ms sooner).
    // GRAFANA_POMERIUM_DEBUG stacks get their names and src/ positions back from dist/cli.cjs.map,
    // which bin/ turns on in that mode only.
    minifyIdentifiers: true,
    sourcemap: 'linked',
    sourcesContent: false,
    define,
    banner,
    // templates/*.txt (init's texts) become string modules.
    loader: { '.txt': 'text' },
    outExtension: { '.js': '.cjs' },
    outdir: staging,
    plugins: [vendorBundles, lazyChildProcess, yamlEsm],
  }),
  build({ ...common, entryPoints: ['undici', 'jose', 'js-yaml'], outExtension: { '.js': '.cjs' }, outdir: staging }),
  // Only to list the commands for help.json; not shipped.
  build({ ...common, entryPoints: { program: 'src/program.ts' }, define, banner, loader: { '.txt': 'text' }, outfile: join(staging, 'program.tmp.cjs'), plugins: [vendorBundles] }),
]);

const bundleText = readFileSync(join(staging, 'cli.cjs'), 'utf8');
// vm.Script has no loader for import(): every dynamic import must have become a require.
// bin/code-cache.js reads it as latin1 (the cheapest decoding), which is exact only for ASCII.
if (/[^\x00-\x7f]/.test(bundleText)) throw new Error('dist/cli.cjs is not ASCII');
if (/\bimport\(/.test(bundleText)) throw new Error('dist/cli.cjs still holds an import(); bin/ cannot run it from a code cache');

const programModule = createRequire(import.meta.url)(join(staging, 'program.tmp.cjs'));
const commands = programModule.buildProgram().commands.map((c) => c.name());
rmSync(join(staging, 'program.tmp.cjs'));

/** Runs the staged bundle as a user would, with output on a pipe (not a terminal: commander's width is then 80). */
function capture(args) {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? '' };
    const child = spawn(process.execPath, [join(staging, 'cli.cjs'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s) => (err += s));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || err !== '') reject(new Error(`grafana-pomerium ${args.join(' ')}: exit ${code}, stderr ${JSON.stringify(err)}`));
      else resolve(out);
    });
  });
}
const [version, topHelp, ...commandHelps] = await Promise.all([capture(['--version']), capture(['--help']), ...commands.map((c) => capture([c, '--help']))]);
const help = { '': topHelp };
commands.forEach((c, i) => (help[c] = commandHelps[i]));
writeFileSync(join(staging, 'help.json'), JSON.stringify({ version, help }) + '\n');
// bin/code-cache.js may write dist/.v8-cache/ at run time; it is this machine's, never part of a package.
writeFileSync(join(staging, '.npmignore'), '.v8-cache/\n');

rmSync(join(root, 'dist'), { recursive: true, force: true });
renameSync(staging, join(root, 'dist'));

#!/usr/bin/env node
// CommonJS (bin/package.json), and kept to what Node has already loaded at start: this file runs
// before anything else, so every millisecond here is paid by every command.
//
// Fast paths (all off with GRAFANA_POMERIUM_NO_FAST_PATH=1; the output is the same byte for byte):
// 1. --version and --help (top level, each command, `help <command>`) are answered from
//    dist/help.json, which scripts/build.mjs captures from the real commander program. Only when
//    stdout is not a terminal: there commander wraps help at the terminal's width.
// 2. dist/cli.cjs (one bundle) is compiled with a V8 code cache of our own (bin/code-cache.js), on
//    Node 22+ too: Node's module.enableCompileCache caches only what compiles before the bundle runs.
// GRAFANA_POMERIUM_FAST_PATH_TRACE=1 says on stderr which path was taken (for npm run bench and tests).
'use strict';
const fs = require('fs');
const path = require('path');

const dist = path.join(__dirname, '..', 'dist');
const bundle = path.join(dist, 'cli.cjs');
const args = process.argv.slice(2);
const fast = !process.env.GRAFANA_POMERIUM_NO_FAST_PATH;
const trace = process.env.GRAFANA_POMERIUM_FAST_PATH_TRACE ? (what) => fs.writeSync(2, `fast-path: ${what}\n`) : () => {};

if (fast && answerFromHelpFile()) return;
run();

/** Prints what commander would print for --version/--help; false when this is not such a call. */
function answerFromHelpFile() {
  if (args.length === 0 || args.length > 2 || require('tty').isatty(1)) return false;
  let texts;
  try {
    texts = JSON.parse(fs.readFileSync(path.join(dist, 'help.json'), 'utf8'));
  } catch {
    return false;
  }
  const [first, second] = args;
  const isHelp = (a) => a === '--help' || a === '-h';
  let text;
  if (args.length === 1 && (first === '--version' || first === '-V')) text = texts.version;
  else if (args.length === 1 && (isHelp(first) || first === 'help')) text = texts.help[''];
  else if (args.length === 2 && first !== '' && isHelp(second)) text = own(texts.help, first);
  else if (args.length === 2 && first === 'help' && second !== '') text = own(texts.help, second);
  if (typeof text !== 'string') return false;
  writeAll(text);
  trace('help.json');
  return true;
}

function own(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/** Writes to fd 1 without creating process.stdout (a few ms on a pipe); EAGAIN on a non-blocking pipe is retried. */
function writeAll(text) {
  const bytes = Buffer.from(text, 'utf8');
  for (let done = 0; done < bytes.length; ) {
    try {
      done += fs.writeSync(1, bytes, done);
    } catch (err) {
      if (err.code === 'EAGAIN') continue;
      if (err.code === 'EPIPE') return;
      throw err;
    }
  }
}

function run() {
  if (process.env.GRAFANA_POMERIUM_DEBUG) {
    // The bundle's identifiers are minified (scripts/build.mjs): its source map gives stacks their names back.
    process.setSourceMapsEnabled(true);
    trace('debug (source map, no code cache)');
    require(bundle);
    return;
  }
  if (!fast) {
    trace('off');
    require(bundle);
    return;
  }
  require('./code-cache.js').runWithCodeCache(bundle, args[0], trace);
}

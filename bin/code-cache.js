// Runs a CommonJS bundle from a V8 code cache (vm.Script cachedData). The cache saves compiling the
// bundle's code at every start. On Node 22+ too: module.enableCompileCache caches only the code V8
// compiles before the bundle runs (~175 KB), so each run still compiles every function it calls;
// this cache, written after a run, holds them (doctor on the compose example, Node 22.23: 2.27x bare
// Node with Node's cache, 1.88x with this one; Node 24.22: 2.17x and 1.82x).
//
// V8 checks only the source's length, its own version and its flags before using a cache, and
// runs a stale one when the source keeps its length. So every cache file carries a key (SHA-256 of
// the exact source, Node and V8 versions, platform, arch, execArgv, NODE_OPTIONS) and a SHA-256 of
// its data: a stale, corrupt, truncated or foreign file is ignored (never handed to V8) and
// replaced. The cache is written at exit, after the run, so it holds the functions the command
// compiled; one file per command, as each command compiles different code.
//
// Where: dist/.v8-cache/ (rebuilding dist/ drops it), else a user cache folder, else none.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

const MAGIC = 'grafana-pomerium code cache 2\n';
const DATA_ALIGNMENT = 8;
/** Files in the user cache folder unused this long are removed when a new one is written. */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

function cacheKey(sourceBytes) {
  return JSON.stringify({
    source: sha256(sourceBytes),
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    execArgv: process.execArgv,
    nodeOptions: process.env.NODE_OPTIONS || '',
  });
}

function userCacheDir() {
  const env = process.env;
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'grafana-pomerium');
  let home;
  try {
    home = require('os').homedir();
  } catch {
    return null;
  }
  if (!home) return null;
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'grafana-pomerium');
  if (process.platform === 'win32') return env.LOCALAPPDATA ? path.join(env.LOCALAPPDATA, 'grafana-pomerium', 'Cache') : null;
  return path.join(home, '.cache', 'grafana-pomerium');
}

// What Module.wrap() adds around a CommonJS file. bin/ wraps the text itself, in the buffer it reads
// the bundle into: one string, where V8 would flatten wrapper + text into a second copy of the bundle.
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n});';

/** Reads up to `length` bytes of `fd` into `buffer` at `offset`; returns how many it read. */
function readFully(fd, buffer, offset, length) {
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buffer, offset + done, length - done, done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/**
 * The bundle's bytes and its wrapped text, in a buffer with room for a cache file after it (readCache
 * reuses it). Memory first written costs a page fault per 4 KiB (~15 us each on some VMs, ~3 ms a
 * copy of the bundle); pages of the buffer never written cost nothing.
 */
function readBundle(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const scratch = Buffer.allocUnsafeSlow(WRAP_HEAD.length + 2 * size + 65536);
    scratch.write(WRAP_HEAD, 0, 'latin1');
    const end = WRAP_HEAD.length + readFully(fd, scratch, WRAP_HEAD.length, size);
    scratch.write(WRAP_TAIL, end, 'latin1');
    return { scratch, bytes: scratch.subarray(WRAP_HEAD.length, end), source: scratch.toString('latin1', 0, end + WRAP_TAIL.length) };
  } finally {
    fs.closeSync(fd);
  }
}

/** The cache's data when `file` is a cache for exactly `key`; otherwise why not. Read into `scratch` when it fits. */
function readCache(file, key, scratch) {
  let bytes;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buffer = scratch && size <= scratch.length ? scratch : Buffer.allocUnsafeSlow(size);
      bytes = buffer.subarray(0, readFully(fd, buffer, 0, size));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return { why: 'none' };
  }
  const magic = Buffer.from(MAGIC);
  const headerEnd = bytes.indexOf(10, magic.length);
  if (!bytes.subarray(0, magic.length).equals(magic) || headerEnd < 0) return { why: 'foreign' };
  let header;
  try {
    header = JSON.parse(bytes.toString('utf8', magic.length, headerEnd));
  } catch {
    return { why: 'corrupt' };
  }
  if (header.key !== key) return { why: 'stale' };
  const data = bytes.subarray(headerEnd + 1);
  if (data.length !== header.length || sha256(data) !== header.sha256) return { why: 'corrupt' };
  return { data };
}

/** Writes atomically (temp file, then rename) into the first folder that takes it. */
function writeCache(dirs, name, key, data, trace) {
  let head = MAGIC + JSON.stringify({ key, length: data.length, sha256: sha256(data) });
  // The data starts 8-byte aligned (V8 copies a cache that is not before it reads it), so the header is padded with spaces.
  head += ' '.repeat((DATA_ALIGNMENT - ((Buffer.byteLength(head) + 1) % DATA_ALIGNMENT)) % DATA_ALIGNMENT) + '\n';
  const bytes = Buffer.concat([Buffer.from(head), data]);
  for (const dir of dirs) {
    const temp = path.join(dir, `.${name}.${process.pid}.tmp`);
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(temp, bytes);
      fs.renameSync(temp, path.join(dir, name));
      trace(`code cache written (${dir})`);
      return dir;
    } catch {
      try {
        fs.rmSync(temp, { force: true });
      } catch {}
    }
  }
  trace('code cache not written (no writable folder)');
  return null;
}

function removeOldFiles(dir, keep) {
  try {
    const now = Date.now();
    for (const name of fs.readdirSync(dir)) {
      if (name === keep || !name.endsWith('.bin')) continue;
      const file = path.join(dir, name);
      if (now - fs.statSync(file).mtimeMs > MAX_AGE_MS) fs.rmSync(file, { force: true });
    }
  } catch {}
}

/**
 * Runs `file` (CommonJS) as require() would, with a code cache. `command` (the first argument)
 * names the cache file; any other word shares one file.
 */
function runWithCodeCache(file, command, trace) {
  // Hashed as bytes (hashing the string would encode it to UTF-8 first, which costs more than the
  // hash); the bundle is ASCII (scripts/build.mjs checks), so latin1 is an exact and cheap decoding.
  const { scratch, bytes, source } = readBundle(file);
  const key = cacheKey(bytes);
  const name = `cli-${sha256(key).slice(0, 16)}-${/^[a-z][a-z-]{0,39}$/.test(command || '') ? command : 'other'}.bin`;
  // The user cache folder is asked for only when dist/ has no cache (os.homedir() loads node:os).
  const dirs = [path.join(path.dirname(file), '.v8-cache')];
  let userDir = null;
  const allDirs = () => {
    if (dirs.length === 1 && (userDir = userCacheDir())) dirs.push(userDir);
    return dirs;
  };
  let cached;
  const seen = [];
  for (let i = 0; i < dirs.length; i++) {
    const found = readCache(path.join(dirs[i], name), key, scratch);
    if (found.data) {
      cached = found.data;
      trace(`code cache hit (${dirs[i]})`);
      break;
    }
    if (found.why !== 'none') seen.push(`${found.why} in ${dirs[i]}`);
    allDirs();
  }
  if (!cached) trace(`code cache miss${seen.length ? `; ignored: ${seen.join(', ')}` : ''}`);

  const script = new vm.Script(source, { filename: file, cachedData: cached });
  if (cached && script.cachedDataRejected) trace('code cache rejected by V8');
  if (!cached || script.cachedDataRejected) {
    process.once('exit', () => {
      const written = writeCache(allDirs(), name, key, script.createCachedData(), trace);
      if (written && written === userDir) removeOldFiles(written, name);
    });
  }
  const mod = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
}

module.exports = { runWithCodeCache, readCache, cacheKey };

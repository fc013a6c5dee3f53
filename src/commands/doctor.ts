// `grafana-pomerium doctor`: lint the Pomerium config and grafana.ini together and report in the
// format CI wants. Reading files and printing live here; the judgement is src/doctor/lint.ts.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { UserError } from '../core/errors.js';
import { routeFixFor } from '../doctor/route-fixes.js';
import { groupBy } from '../core/group-by.js';
import type { Io } from '../core/io.js';
import { lint, type LintResult } from '../doctor/lint.js';
import { parseIni } from '../grafana/ini-parse.js';
import { keySetTrust } from '../grafana/key-set-trust.js';
import { readPomeriumConfig } from '../pomerium/read.js';
import { secretMasker } from '../doctor/secrets.js';
import { FAIL_LEVELS, getExitCode, getReporter, useColor, type FailLevel } from '../report/index.js';
import { ALL_RULES } from '../rules/index.js';
import type { RuleContext } from '../rules/types.js';
import { configFileReader, readInput, versionOption, type InputFile } from './inputs.js';
import { readConfigInputs, refuseUnparsed, versionToUse } from './load.js';
import type { deployedVersions } from '../kubernetes/deployed-versions.js';

interface Flags {
  pomerium?: string;
  grafana?: string;
  grafanaValues?: string;
  compose?: string;
  route?: string;
  jwks?: string;
  envFile?: string;
  useEnv?: boolean;
  grafanaVersion?: string;
  pomeriumVersion?: string;
  live?: boolean;
  root?: string;
  format?: string;
  outputFile?: string;
  failLevel?: string;
  ignore?: string[];
  color?: boolean;
  fix?: boolean;
  allowPrivate?: boolean;
}

const USUAL_POMERIUM = ['./config.yaml', './pomerium.yaml', '/etc/pomerium/config.yaml'];
const USUAL_GRAFANA = ['./grafana.ini', '/etc/grafana/grafana.ini'];

export async function run(_args: string[], options: Record<string, unknown>, io: Io): Promise<number> {
  const flags = options as Flags;
  const failLevel = (flags.failLevel ?? 'error') as FailLevel;
  if (!FAIL_LEVELS.includes(failLevel)) throw new UserError(`unknown --fail-level "${flags.failLevel}"`, { hint: `use one of: ${FAIL_LEVELS.join(', ')}` });
  const reporter = getReporter(flags.format ?? 'human');
  // Bad version flags are refused before any file is read.
  versionOption(flags.grafanaVersion, '--grafana-version');
  versionOption(flags.pomeriumVersion, '--pomerium-version');
  const ignore = new Set(flags.ignore ?? []);
  const known = new Set(ALL_RULES.map((r) => r.meta.id));
  for (const id of ignore) {
    if (!known.has(id) && id !== 'meta/unused-disable-directive') throw new UserError(`--ignore names an unknown rule "${id}"`, { hint: 'the rules are listed in docs/rules/' });
  }

  const { pomeriumPath, grafanaPath } = locateFiles(flags, io);
  const { pomerium, grafana, ...forms } = await readConfigInputs({ ...flags, pomerium: pomeriumPath ?? undefined, grafana: grafanaPath ?? undefined }, io);
  // The versions the files deploy (image tags), unless the flags say; stderr says where they came from.
  const { grafanaVersion, pomeriumVersion } = versionsToUse(flags, { pomerium, ...forms }, io);
  const servedJwks = flags.jwks ? await readServedJwks(flags.jwks, io) : null;
  const readFile = configFileReader(io, flags.root);

  const lintOnce = (p: InputFile | null, g: InputFile | null, served: RuleContext['servedJwks']) =>
    lint(
      { pomerium: p, grafana: g, ...forms, ...(flags.route ? { route: flags.route } : {}), grafanaVersion, pomeriumVersion, readFile, servedJwks: served },
      { ignore },
    );

  let result = lintOnce(pomerium, grafana, servedJwks);
  refuseUnparsed(result.ctx);
  if (flags.live) {
    const live = await fetchLive(result, io, flags.allowPrivate);
    if (live) result = lintOnce(pomerium, grafana, live);
  }
  if (flags.fix) result = await applyFixes(result, { pomerium, grafana }, io, (p, g) => lintOnce(p, g, result.ctx.servedJwks));

  const toFile = Boolean(flags.outputFile);
  const text = reporter({
    findings: result.findings,
    sources: new Map(result.sources.map((s) => [s.file, s.text])),
    rules: result.rules.map((r) => r.meta),
    ...(!toFile && (flags.format ?? 'human') === 'human' && useColor(flags.color, io.stdoutIsTTY, io.env)
      ? { colors: new (await import('chalk')).Chalk({ level: 1 }) }
      : {}),
    cwd: io.cwd,
    maskSecrets: secretMasker(result.secretSpans),
    hiddenValues: result.ctx.grafana?.expandedValues ?? [],
  });
  if (flags.outputFile) await writeFileAtomic(resolve(io.cwd, flags.outputFile), text);
  else io.out(text);
  return getExitCode(result.findings, failLevel);
}

function versionsToUse(flags: Flags, files: Parameters<typeof deployedVersions>[0], io: Io): { grafanaVersion: string; pomeriumVersion: string } {
  return {
    grafanaVersion: versionToUse('Grafana', files, { flag: flags.grafanaVersion, command: 'doctor' }, io),
    pomeriumVersion: versionToUse('Pomerium', files, { flag: flags.pomeriumVersion, command: 'doctor' }, io),
  };
}

/** Files from the flags; with neither flag, the usual places (said on stderr, so CI logs show it). */
function locateFiles(flags: Flags, io: Io): { pomeriumPath: string | null; grafanaPath: string | null } {
  if (flags.pomerium || flags.grafana || flags.grafanaValues || flags.compose) return { pomeriumPath: flags.pomerium ?? null, grafanaPath: flags.grafana ?? null };
  const find = (list: string[]) => list.find((p) => existsSync(resolve(io.cwd, p))) ?? null;
  const pomeriumPath = find(USUAL_POMERIUM);
  const grafanaPath = find(USUAL_GRAFANA);
  if (!pomeriumPath && !grafanaPath) {
    throw new UserError('no config files found', {
      hint: `pass --pomerium FILE and/or --grafana FILE (looked for ${[...USUAL_POMERIUM, ...USUAL_GRAFANA].join(', ')})`,
    });
  }
  io.err(`doctor: using ${[pomeriumPath, grafanaPath].filter(Boolean).join(' and ')}\n`);
  return { pomeriumPath, grafanaPath };
}

/** --jwks FILE: the set Pomerium serves, as saved; the rules judge it (an empty set is a finding). */
async function readServedJwks(path: string, io: Io): Promise<RuleContext['servedJwks']> {
  const input = await readInput(path, 'JWKS', io);
  return { source: path, text: input.text };
}

/**
 * --live: fetch the jwk_set_url Grafana would fetch, with the fetch-jwks client (undici loads only
 * here), trusting what Grafana would trust (`tls_client_ca` alone when readable, no verification with
 * tls_skip_verify_insecure, each as the release reads them). A failure is "could
 * not check", kept apart from an invalid set.
 */
async function fetchLive(result: LintResult, io: Io, allowPrivate?: boolean): Promise<RuleContext['servedJwks']> {
  const grafana = result.ctx.grafana;
  const url = grafana?.str('auth.jwt', 'jwk_set_url');
  if (!grafana || !url) return null;
  const { clientCa: ca, insecure } = keySetTrust(grafana);
  const caText = ca ? result.ctx.readFile(ca) : null;
  const { fetchJwks } = await import('../jwks/fetch.js');
  try {
    const fetched = await fetchJwks(url, {
      timeoutMs: 15_000,
      retries: 1,
      retryDelayMs: 500,
      // tls_client_ca's CAs alone, as Grafana's RootCAs (src/grafana/key-set-trust.ts).
      caPems: caText?.status === 'ok' ? [caText.text] : [],
      onlyCaPems: true,
      insecure,
      // Grafana fetches over http only when `cfg.Env == setting.Dev`, from the top-level `app_mode` (grafana/grafana
      // pkg/services/auth/jwt/key_sets.go newHTTPKeySet; pkg/setting/setting.go `Section("")`, main, 2026-12).
      allowHttp: grafana.effective('DEFAULT', 'app_mode') === 'development',
      allowPrivate: Boolean(allowPrivate),
      conditionalHeaders: {},
      env: io.env,
    });
    return fetched.status === 'fetched' ? { source: url, text: fetched.body } : null;
  } catch (err) {
    return { source: url, unreachable: (err as Error).message };
  }
}

/** How many rounds --fix makes at most: each round applies the fixes that do not overlap, then lints again. */
const FIX_ROUNDS = 10;

/**
 * --fix: apply every finding's fix (non-overlapping edits, last first), lint the edited text again and
 * repeat until nothing fixable is left (the fixed point, so a second run changes nothing), then write
 * each changed file once, atomically.
 */
async function applyFixes(
  first: LintResult,
  inputs: { pomerium: InputFile | null; grafana: InputFile | null },
  io: Io,
  relint: (p: InputFile | null, g: InputFile | null) => LintResult,
): Promise<LintResult> {
  let result = first;
  const current = { ...inputs };
  const appliedByFile = new Map<string, Set<string>>();
  for (let round = 0; round < FIX_ROUNDS; round++) {
    // A fix computed for a derived model (manifests, Helm values, compose) has offsets that are not into its file.
    const withFixes = result.findings.map((f) => (f.fix ? f : { ...f, fix: routeFixFor(f, result) })).filter((f) => f.fix && !result.derivedFiles.has(f.fix.file));
    const byFile = groupBy(withFixes, (f) => f.fix!.file);
    let changed = false;
    for (const [file, findings] of byFile) {
      const input = current.pomerium?.file === file ? current.pomerium : current.grafana?.file === file ? current.grafana : null;
      if (!input || input.file === '<stdin>') continue;
      const edits = findings.flatMap((f) => f.fix!.edits.map((e) => ({ ...e, ruleId: f.ruleId }))).sort((a, b) => b.start - a.start);
      // Fix offsets are into the text the parsers saw, which has no byte order mark; it is put back below.
      const bom = input.text.startsWith('\ufeff');
      const before = bom ? input.text.slice(1) : input.text;
      let text = before;
      let lastStart = Infinity;
      const applied = appliedByFile.get(file) ?? new Set<string>();
      for (const e of edits) {
        if (e.end > lastStart) continue; // overlaps an edit already applied: the next round takes it
        text = text.slice(0, e.start) + e.text + text.slice(e.end);
        lastStart = e.start;
        applied.add(e.ruleId);
      }
      appliedByFile.set(file, applied);
      if (text === before) continue;
      changed = true;
      const next = { file, text: bom ? `\ufeff${text}` : text };
      if (current.pomerium?.file === file) current.pomerium = next;
      else current.grafana = next;
    }
    if (!changed) break;
    result = relint(current.pomerium, current.grafana);
  }
  for (const [key, input] of [['grafana', current.grafana], ['pomerium', current.pomerium]] as const) {
    const original = inputs[key];
    if (!input || !original || input.text === original.text) continue;
    const intended = input.text.startsWith('\ufeff') ? input.text.slice(1) : input.text;
    await writeFileAtomic(resolve(io.cwd, input.file), input.text, {
      keepBom: true,
      verify: (written) => fixedTextProblem(key === 'grafana', input.file, original.text, written, intended),
    });
    io.err(`doctor: fixed ${[...(appliedByFile.get(input.file) ?? [])].sort().join(', ')} in ${input.file}\n`);
  }
  return result;
}

/**
 * Why the fixed text must not be written, or null: the bytes read back differ from the edit, or the edit broke a file
 * that loaded before (a fix must never turn a wrong value into a file Grafana or Pomerium cannot load).
 */
function fixedTextProblem(isIni: boolean, file: string, before: string, written: string, intended: string): string | null {
  if (written !== intended) return 'the file read back is not the text that was written';
  const loads = (text: string) => (isIni ? parseIni(text, file).error === null : readPomeriumConfig(text, file).errors.length === 0);
  const beforeText = before.startsWith('\ufeff') ? before.slice(1) : before;
  return loads(beforeText) && !loads(intended) ? 'the fixed file would not load any more' : null;
}

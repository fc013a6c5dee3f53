// The one way every command loads its configs: a Pomerium config (YAML/JSON), Kubernetes manifests
// (a file or a folder), a compose file's services, Grafana's grafana.ini or Helm values, plus
// --env-file/--use-env. Reading is here; the models are built by the doctor context (pure), so every
// command sees exactly what doctor judges.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEnvFile } from '../core/env-file.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { CURRENT_GRAFANA_VERSION, CURRENT_POMERIUM_VERSION } from '../core/versions.js';
import { buildDoctorContext, type DoctorContext, type DoctorInput } from '../doctor/context.js';
import { shownIniError } from '../doctor/secrets.js';
import type { GrafanaModel } from '../grafana/model-types.js';
import { looksLikeManifest } from '../kubernetes/manifests.js';
import { keyInChartSecret } from '../kubernetes/pomerium-chart.js';
import { configSigningJwks, hasKeyMaterial, type PomeriumSigningJwks } from '../jwks/derive.js';
import type { KeySetError } from '../jwks/types.js';
import type { PomeriumModel } from '../pomerium/model-types.js';
import { parseAheadIfLarge } from '../pomerium/parse-once.js';
import { YAML_OPTIONS } from '../pomerium/read.js';
import type { RuleContext } from '../rules/types.js';
import { deployedVersions, describeVersion, type Product } from '../kubernetes/deployed-versions.js';
import { configFileReader, loadEnv, readInput, readManifestInput, versionOption } from './inputs.js';

/** The flags that name configs; every command that takes a config takes the ones for its side. */
export interface ConfigFlags {
  /** A Pomerium config (YAML/JSON) or Kubernetes manifests (a file or a folder). */
  pomerium?: string;
  /** grafana.ini */
  grafana?: string;
  /** Grafana Helm chart values. */
  grafanaValues?: string;
  /** docker-compose file: its Pomerium and Grafana services. */
  compose?: string;
  envFile?: string;
  useEnv?: boolean;
}

/** The texts the flags name, read: what the doctor context builds models from. */
export type ConfigInputs = Pick<DoctorInput, 'pomerium' | 'grafana' | 'env' | 'envSpans' | 'kubernetes' | 'grafanaValues' | 'compose' | 'pomeriumValues'>;

/** Reads every file the flags name (nothing else), refusing what cannot be read (exit 2). */
export async function readConfigInputs(flags: ConfigFlags, io: Io): Promise<ConfigInputs> {
  if (flags.grafana && flags.grafanaValues) throw new UserError('--grafana and --grafana-values cannot be used together', { hint: 'the chart renders its grafana.ini from the values' });
  const fromStdin = [flags.pomerium, flags.grafana, flags.grafanaValues, flags.compose, flags.envFile].filter((p) => p === '-');
  if (fromStdin.length > 1) throw new UserError('only one input can be read from standard input ("-")', { hint: 'give the other inputs as files' });
  const env = await loadEnv(flags, io);
  const pomeriumInput = flags.pomerium ? await readManifestInput(flags.pomerium, io) : null;
  const isManifest = pomeriumInput && (pomeriumInput.isFolder || pomeriumInput.files.some((f) => looksLikeManifest(f.text)));
  const reader = pomeriumInput && !isManifest ? await parseAheadIfLarge(pomeriumInput.files[0]!.text, YAML_OPTIONS) : null;
  if (reader && io.env.GRAFANA_POMERIUM_FAST_PATH_TRACE) io.err(`fast-path: large Pomerium config read from ${reader}\n`);
  return {
    // Values of Pomerium's own Helm chart are recognised by their shape when the models are built (doctor/context.ts).
    pomerium: pomeriumInput && !isManifest ? pomeriumInput.files[0]! : null,
    kubernetes: isManifest ? { source: flags.pomerium!, files: pomeriumInput.files } : null,
    grafana: flags.grafana ? await readInput(flags.grafana, 'grafana.ini', io) : null,
    grafanaValues: flags.grafanaValues ? await readInput(flags.grafanaValues, 'Grafana Helm values', io) : null,
    compose: flags.compose ? await readComposeInput(flags.compose, Boolean(flags.useEnv), io) : null,
    env: env.env,
    envSpans: env.spans,
  };
}

/** `--compose`, with the `.env` beside it (and this process's environment under --use-env) for `${VAR}`. */
async function readComposeInput(path: string, useEnv: boolean, io: Io): Promise<NonNullable<ConfigInputs['compose']>> {
  const input = await readInput(path, 'compose file', io);
  const dotEnv = join(dirname(input.file), '.env');
  const vars: Record<string, string | undefined> = {};
  if (existsSync(resolve(io.cwd, dotEnv))) for (const e of parseEnvFile((await readInput(dotEnv, 'env file', io)).text, dotEnv).entries) vars[e.name] = e.value;
  if (useEnv) Object.assign(vars, io.env);
  const hostFiles = configFileReader(io);
  const readFile = (file: string) => {
    const found = hostFiles(file);
    return found.status === 'ok' ? found.text : null;
  };
  return { ...input, vars, readFile };
}

export interface ModelOptions {
  grafanaVersion?: string;
  pomeriumVersion?: string;
  /** How files the configs name are read (doctor's --root); default: relative to the working folder. */
  readFile?: DoctorInput['readFile'];
}

/** The models the inputs give, exactly as doctor builds them. Pure apart from `readFile`. */
export function modelsOf(inputs: ConfigInputs, io: Io, options: ModelOptions = {}): DoctorContext {
  return buildDoctorContext({
    ...inputs,
    grafanaVersion: options.grafanaVersion ?? CURRENT_GRAFANA_VERSION,
    pomeriumVersion: options.pomeriumVersion ?? CURRENT_POMERIUM_VERSION,
    readFile: options.readFile ?? configFileReader(io),
    servedJwks: null,
  });
}

/** A manifest, values or compose file that is not valid YAML: kubectl, helm and compose refuse it, and so does every command. */
export function refuseUnparsed(ctx: Pick<RuleContext, 'kubernetes' | 'helmValues' | 'compose'>): void {
  const first = ctx.kubernetes?.manifests.errors[0] ?? ctx.helmValues?.errors[0] ?? ctx.compose?.errors[0];
  if (first) throw new UserError(first.message, { span: first.span });
}

/** A file given for this side that is not its form (a template, Terraform): commands other than doctor stop with doctor's one message. */
function refuseUnread(ctx: Pick<RuleContext, 'unread'>, side: 'pomerium' | 'grafana'): void {
  const first = ctx.unread?.find((u) => u.side === side && u.whole);
  if (first) throw new UserError(first.message, { ...(first.span ? { span: first.span } : { file: first.file }), hint: first.hint });
}

/** The Pomerium side of a loaded context, refusing a config Pomerium itself would not load. */
export function pomeriumOf(context: DoctorContext): PomeriumModel | null {
  refuseUnparsed(context.ctx);
  refuseUnread(context.ctx, 'pomerium');
  const model = context.ctx.pomerium;
  const error = model?.errors[0];
  if (error) throw new UserError(error.message, error.span ? { span: error.span } : model.file ? { file: model.file } : {});
  return model;
}

/** The Grafana side of a loaded context, refusing a grafana.ini go-ini cannot read (Grafana does not start). */
function grafanaOf(context: DoctorContext): GrafanaModel | null {
  refuseUnparsed(context.ctx);
  refuseUnread(context.ctx, 'grafana');
  const doc = context.ctx.grafana?.doc;
  if (doc?.error) throw new UserError(`Grafana cannot load this file: ${shownIniError(doc.error, doc)}`, { span: doc.error.span });
  return context.ctx.grafana;
}

/** A version to find: the flag's value as given (it wins), and the command that says on stderr where a found one came from. */
export interface VersionRequest {
  flag: string | undefined;
  command: string;
}

/**
 * The release a product is modelled at: the flag when given; else what the files deploy (compose image,
 * workload image, chart image.tag), said on stderr as `<command>: Grafana 10.4.2, from docker-compose.yml:12`;
 * else the current release.
 */
export function versionToUse(product: Product, files: Parameters<typeof deployedVersions>[0], request: VersionRequest, io: Io): string {
  return pickVersion(product, files, request, io).version;
}

/** As versionToUse, and whether the release is known (the flag, or a pinned tag) rather than assumed. */
function pickVersion(product: Product, files: Parameters<typeof deployedVersions>[0], request: VersionRequest, io: Io): { version: string; known: boolean } {
  const given = versionOption(request.flag, product === 'Grafana' ? '--grafana-version' : '--pomerium-version');
  const found = request.flag === undefined ? deployedVersions(files)[product] : undefined;
  if (!found) return { version: given, known: request.flag !== undefined };
  io.err(`${request.command}: ${describeVersion(found, given)}\n`);
  return { version: found.version ?? given, known: found.version !== null && !found.note };
}

/** A version already chosen, or one to find in the files being loaded. */
type VersionChoice = string | VersionRequest | undefined;

const chosen = (product: Product, inputs: ConfigInputs, choice: VersionChoice, io: Io): { version: string; known: boolean } | undefined =>
  typeof choice === 'object' ? pickVersion(product, inputs, choice, io) : choice === undefined ? undefined : { version: choice, known: true };

export type PomeriumFlags = Pick<ConfigFlags, 'pomerium' | 'compose' | 'envFile' | 'useEnv'>;
export type GrafanaFlags = Pick<ConfigFlags, 'grafana' | 'grafanaValues' | 'compose' | 'envFile' | 'useEnv'>;

export interface LoadedPomerium {
  model: PomeriumModel;
  /** The texts read, e.g. for init to edit the config file and build the model again. */
  inputs: ConfigInputs;
  context: DoctorContext;
  /** The Pomerium release modelled (given, or found in the files). */
  pomeriumVersion: string;
  /** Whether that release is known (a flag, a pinned image tag) rather than assumed. */
  pomeriumVersionKnown: boolean;
}

/** Pomerium's config from `--pomerium` (config or manifests), `--compose` and the environment; null when none is given. */
export async function loadPomerium(flags: PomeriumFlags, io: Io, version?: VersionChoice): Promise<LoadedPomerium | null> {
  const { pomerium, compose, envFile, useEnv } = flags;
  const inputs = await readConfigInputs({ pomerium, compose, envFile, useEnv }, io);
  const picked = chosen('Pomerium', inputs, version, io);
  const context = modelsOf(inputs, io, picked ? { pomeriumVersion: picked.version } : {});
  const model = pomeriumOf(context);
  return model ? { model, inputs, context, pomeriumVersion: picked?.version ?? CURRENT_POMERIUM_VERSION, pomeriumVersionKnown: picked?.known ?? false } : null;
}

/** Grafana's settings from `--grafana`, `--grafana-values` or `--compose`, with the environment; null when none is given. */
export async function loadGrafana(flags: GrafanaFlags, io: Io, version?: VersionChoice): Promise<{ model: GrafanaModel; file: string; grafanaVersion: string } | null> {
  const { grafana, grafanaValues, compose, envFile, useEnv } = flags;
  const inputs = await readConfigInputs({ grafana, grafanaValues, compose, envFile, useEnv }, io);
  const grafanaVersion = chosen('Grafana', inputs, version, io)?.version;
  const model = grafanaOf(modelsOf(inputs, io, grafanaVersion ? { grafanaVersion } : {}));
  if (!model) return null;
  const file = inputs.grafana?.file ?? inputs.grafanaValues?.file ?? inputs.compose?.file ?? '';
  return { model, file, grafanaVersion: grafanaVersion ?? CURRENT_GRAFANA_VERSION };
}

/**
 * Reads a file a Pomerium config names (`signing_key_file`): Pomerium reads it from its own working
 * folder, and the config's folder is the best guess here. Null when it is not there.
 */
function readBesideConfig(model: PomeriumModel, io: Io): (path: string) => string | null {
  const folder = resolve(io.cwd, model.file ? dirname(model.file) : '.');
  return (path) => {
    try {
      return readFileSync(resolve(folder, path), 'utf8');
    } catch {
      return null;
    }
  };
}

/** Pomerium's signing keys for mint, explain and fetch-jwks --from-signing-key, and where they came from. */
export interface SigningKeys {
  set: PomeriumSigningJwks | KeySetError;
  /** e.g. `signing_key in pomerium.yaml`, `SHARED_SECRET in secret.env`. */
  label: string;
}

/**
 * The key material the Pomerium config gives (file wins over inline; shared_secret on v0.33+),
 * named by where it really came from (the config, an env file, the environment). Under the Ingress
 * Controller the keys live in the Secret the Pomerium resource names, which this tool does not read:
 * that is "could not check", never "Pomerium has no key".
 */
export function signingKeysOf(model: PomeriumModel, io: Io, pomeriumVersion: string): SigningKeys {
  if (keyInChartSecret(model) && !hasKeyMaterial(model)) {
    throw new UserError("Pomerium's Helm chart gives the pods SIGNING_KEY from a Secret it generates (config.generateSigningKey) or names (config.existingSigningKeySecret), which is not read here", {
      hint: 'pass the key with --env-file (a file with SIGNING_KEY=...), or give the JWKS with --jwks (e.g. saved from https://<route host>/.well-known/pomerium/jwks.json)',
    });
  }
  if (model.routes.some((r) => r.origin === 'ingress') && !hasKeyMaterial(model)) {
    throw new UserError("the Pomerium Ingress Controller keeps its signing key in the Secret its Pomerium resource names (spec.secrets), which is not read here", {
      hint: 'pass the key with --env-file (a file with SIGNING_KEY=... or SHARED_SECRET=...), or give the JWKS with --jwks',
    });
  }
  const found = configSigningJwks(model, readBesideConfig(model, io), pomeriumVersion);
  const set = 'unknown' in found ? { error: `${found.unknown} ${found.path} cannot be read here`, reason: 'invalid' as const } : found;
  if ('error' in set) return { set, label: `the Pomerium config ${model.file ?? 'in the environment'}` };
  const option = set.source === 'shared_secret' && model.sharedSecretFile ? 'shared_secret_file' : set.source;
  const located = { signing_key_file: model.signingKeyFile, signing_key: model.signingKey, shared_secret: model.sharedSecret, shared_secret_file: model.sharedSecretFile }[option];
  // Set outside the config file: Pomerium's environment variable (from --env-file, or --use-env).
  const fromEnv = !located?.span || located.span.file !== model.file;
  return { set, label: `${fromEnv ? option.toUpperCase() : option} in ${located?.span?.file ?? 'the environment'}` };
}

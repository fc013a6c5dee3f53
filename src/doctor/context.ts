import type { Span } from '../core/span.js';
import { parseIni } from '../grafana/ini-parse.js';
import { buildGrafanaModel } from '../grafana/model.js';
import type { GrafanaModel } from '../grafana/model-types.js';
import { pomeriumSigningJwks } from '../jwks/derive.js';
import { pomeriumFromEnv } from '../pomerium/env.js';
import type { PomeriumModel } from '../pomerium/model-types.js';
import { readPomeriumConfig } from '../pomerium/read.js';
import { findGrafanaRoute } from '../pomerium/routes.js';
import type { FileLookup, RuleContext } from '../rules/types.js';
import type { SourceFile } from './directives.js';
import { isSecretKey } from './secrets.js';

export interface DoctorInput {
  pomerium: { file: string; text: string } | null;
  grafana: { file: string; text: string } | null;
  /** Variables for both sides (GF_* for Grafana, option names for Pomerium), from --env-file or --use-env. */
  env: Record<string, string | undefined>;
  envSpans?: Map<string, { nameSpan: Span; valueSpan: Span }>;
  /** `--route`: the Grafana route's `from`. */
  route?: string;
  grafanaVersion: string;
  pomeriumVersion: string;
  readFile(path: string): FileLookup;
  servedJwks: RuleContext['servedJwks'];
}

export interface DoctorContext {
  ctx: RuleContext;
  /** The files read, for snippets and disable comments. */
  sources: SourceFile[];
  /** Where secret values sit, so excerpts can hide them. */
  secretSpans: Span[];
}

/** Pomerium options (upper-cased) present in an environment: only then does the environment shape the model. */
function hasPomeriumEnv(env: Record<string, string | undefined>): boolean {
  return ['AUTHENTICATE_SERVICE_URL', 'PASS_IDENTITY_HEADERS', 'JWT_CLAIMS_HEADERS', 'JWT_ISSUER_FORMAT', 'SIGNING_KEY', 'SIGNING_KEY_FILE', 'SHARED_SECRET', 'ROUTES', 'POLICY'].some(
    (name) => env[name] !== undefined && env[name] !== '',
  );
}

/** Builds both models and everything the rules look at, from texts already read. Pure. */
export function buildDoctorContext(input: DoctorInput): DoctorContext {
  const sources: SourceFile[] = [];
  const secretSpans: Span[] = [];

  let pomerium: PomeriumModel | null = null;
  if (input.pomerium) {
    pomerium = readPomeriumConfig(input.pomerium.text, input.pomerium.file);
    sources.push({ file: input.pomerium.file, text: input.pomerium.text, kind: 'yaml' });
  }
  if (hasPomeriumEnv(input.env)) pomerium = pomeriumFromEnv(input.env, pomerium, input.envSpans);
  for (const key of pomerium?.topLevelKeys ?? []) if (isSecretKey(key.name) && key.valueSpan) secretSpans.push(key.valueSpan);

  let grafana: GrafanaModel | null = null;
  if (input.grafana) {
    const doc = parseIni(input.grafana.text, input.grafana.file);
    sources.push({ file: input.grafana.file, text: input.grafana.text, kind: 'ini' });
    for (const entry of doc.entries) if (isSecretKey(entry.key)) secretSpans.push(entry.valueSpan);
    grafana = buildGrafanaModel({
      doc,
      env: input.env,
      ...(input.envSpans ? { envSpans: input.envSpans } : {}),
      readFile: (path) => {
        const found = input.readFile(path);
        return found.status === 'ok' ? found.text : found.status === 'missing' ? null : undefined;
      },
      version: input.grafanaVersion,
    });
  }
  for (const [name, spans] of input.envSpans ?? []) if (isSecretKey(name)) secretSpans.push(spans.valueSpan);

  const rootUrl = grafana?.str('server', 'root_url') || undefined;
  const routeChoice = pomerium
    ? findGrafanaRoute(pomerium, { ...(input.route ? { from: input.route } : {}), ...(rootUrl ? { grafanaRootUrl: rootUrl } : {}) })
    : null;
  const route = routeChoice && 'route' in routeChoice ? routeChoice.route : null;

  return {
    ctx: {
      grafana,
      pomerium,
      route,
      routeChoice,
      grafanaVersion: input.grafanaVersion,
      pomeriumVersion: input.pomeriumVersion,
      readFile: input.readFile,
      servedJwks: input.servedJwks,
      textOf: (file) => sources.find((s) => s.file === file)?.text,
      signing: pomerium ? signingOf(pomerium, input) : null,
    },
    sources,
    secretSpans,
  };
}

function signingOf(pomerium: PomeriumModel, input: DoctorInput): RuleContext['signing'] {
  let signingKeyFileText: string | undefined;
  const file = pomerium.signingKeyFile;
  if (file?.path) {
    const found = input.readFile(file.path);
    if (found.status !== 'ok') return { unknown: `signing_key_file ${file.path} is not readable here` };
    signingKeyFileText = found.text;
  }
  return pomeriumSigningJwks({
    ...(pomerium.signingKey?.text ? { signingKey: pomerium.signingKey.text } : {}),
    ...(signingKeyFileText !== undefined ? { signingKeyFileText } : {}),
    ...(pomerium.sharedSecret ? { sharedSecret: pomerium.sharedSecret.value } : {}),
    pomeriumVersion: input.pomeriumVersion,
  });
}

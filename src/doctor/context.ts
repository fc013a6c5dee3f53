import type { Span } from '../core/span.js';
import { readCompose, type ComposeProject, type ComposeService } from '../compose/project.js';
import { readHelmValues, type HelmValues } from '../grafana/helm-values.js';
import type { IniDocument } from '../grafana/ini-types.js';
import { readKubernetes, type KubernetesConfig } from '../kubernetes/model.js';
import { looksLikePomeriumChartValues, markKeyInChartSecret, readPomeriumChartValues, type PomeriumChartValues } from '../kubernetes/pomerium-chart.js';
import { iniFromHeredoc, isBareRouteList, readBareRouteList, readSimpleTerraform, recogniseUnreadable, type UnreadInput } from '../kubernetes/recognise.js';
import { grafanaChartIngress } from '../kubernetes/grafana-chart-ingress.js';
import { parseIni } from '../grafana/ini-parse.js';
import { buildGrafanaModel } from '../grafana/model.js';
import type { GrafanaModel } from '../grafana/model-types.js';
import { configSigningJwks, hasKeyMaterial } from '../jwks/derive.js';
import { pomeriumFromEnv } from '../pomerium/env.js';
import type { PomeriumModel } from '../pomerium/model-types.js';
import { readPomeriumConfig } from '../pomerium/read.js';
import { findGrafanaRoute } from '../pomerium/routes.js';
import type { FileLookup, RuleContext } from '../rules/types.js';
import type { SourceFile } from './directives.js';
import type { GrafanaEnvForm } from './env-form.js';
import { iniSecretSpans, isSecretKey } from './secrets.js';

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
  /** `--pomerium` given Kubernetes manifests: the file or folder, and the files read from it. */
  kubernetes?: { source: string; files: { file: string; text: string }[] } | null;
  /** `--grafana-values`: Grafana Helm chart values (instead of a grafana.ini). */
  grafanaValues?: { file: string; text: string } | null;
  /** `--compose`: the compose file, the variables it interpolates, and a reader for the host files it names. */
  compose?: { file: string; text: string; vars: Record<string, string | undefined>; readFile(path: string): string | null } | null;
  /** `--pomerium` given values of Pomerium's own Helm chart (recognised by shape). */
  pomeriumValues?: { file: string; text: string } | null;
}

type EnvSpans = Map<string, { nameSpan: Span; valueSpan: Span }>;

export interface DoctorContext {
  ctx: RuleContext;
  /** The files read, for snippets and disable comments. */
  sources: SourceFile[];
  /** Where secret values sit, so excerpts can hide them. */
  secretSpans: Span[];
  /** Files the models were derived from (manifests, Helm values, compose): fixes computed for the models do not apply to them. */
  derivedFiles: ReadonlySet<string>;
  /** Grafana's GF_* variables and whether they are all of its config: findings about them speak that form. */
  grafanaEnvForm?: GrafanaEnvForm | null;
}

/** The known values of a compose service's environment, with their positions. */
function serviceEnv(service: ComposeService): { env: Record<string, string>; spans: EnvSpans } {
  const env: Record<string, string> = {};
  const spans: EnvSpans = new Map();
  for (const v of service.env.values()) {
    if (v.value === null) continue;
    env[v.name] = v.value;
    spans.set(v.name, { nameSpan: v.nameSpan, valueSpan: v.valueSpan });
  }
  return { env, spans };
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
  const derivedFiles = new Set<string>();
  const derived = (file: string, text: string) => {
    sources.push({ file, text, kind: 'yaml' });
    derivedFiles.add(file);
  };

  let kubernetes: KubernetesConfig | null = null;
  if (input.kubernetes) {
    kubernetes = readKubernetes(input.kubernetes.source, input.kubernetes.files);
    for (const f of input.kubernetes.files) derived(f.file, f.text);
  }
  let compose: ComposeProject | null = null;
  if (input.compose) {
    compose = readCompose(input.compose.text, input.compose.file, input.compose);
    derived(input.compose.file, input.compose.text);
    for (const f of compose.envFiles) derived(f.file, f.text);
  }
  // Paths the configs name are the containers' paths: follow the bind mounts and ConfigMap/Secret mounts to the files here.
  const readFile = mountedReader(input.readFile, compose, kubernetes);
  let helmValues: HelmValues | null = null;
  if (input.grafanaValues) {
    helmValues = readHelmValues(input.grafanaValues.text, input.grafanaValues.file);
    derived(input.grafanaValues.file, input.grafanaValues.text);
  }

  const unread: UnreadInput[] = [...(compose?.fragment ? [compose.fragment] : [])];
  let pomerium: PomeriumModel | null = kubernetes?.model ?? null;
  let pomeriumChart: PomeriumChartValues | null = null;
  // Values of Pomerium's own Helm chart, given as such or recognised by their shape (`config:` with the chart's keys).
  const chartValues = input.pomeriumValues ?? (input.pomerium && looksLikePomeriumChartValues(input.pomerium.text) ? input.pomerium : null);
  if (chartValues) {
    pomeriumChart = readPomeriumChartValues(chartValues.text, chartValues.file);
    derived(chartValues.file, chartValues.text);
    pomerium = pomeriumChart.model;
    if (Object.keys(pomeriumChart.env).length > 0) pomerium = pomeriumFromEnv(pomeriumChart.env, pomerium, pomeriumChart.envSpans);
    if (pomeriumChart.signingKeyInSecret) markKeyInChartSecret(pomerium);
    for (const part of pomeriumChart.unread) unread.push({ side: 'pomerium', file: chartValues.file, message: part.message, hint: part.hint, span: part.span, whole: part.routes });
  }
  const pomeriumFile = (chartValues ? null : input.pomerium) ?? (compose?.pomeriumConfig?.text != null ? { file: compose.pomeriumConfig.path, text: compose.pomeriumConfig.text } : null);
  if (pomeriumFile) {
    const unreadable = recogniseUnreadable(pomeriumFile.text, pomeriumFile.file, 'pomerium');
    sources.push({ file: pomeriumFile.file, text: pomeriumFile.text, kind: 'yaml' });
    const terraform = unreadable?.kind === 'terraform' ? readSimpleTerraform(pomeriumFile.text, pomeriumFile.file) : null;
    if (unreadable && terraform) {
      pomerium = terraform;
      unread.push({
        ...unreadable,
        whole: false,
        message: 'this is Terraform for Pomerium: its pomerium_route and pomerium_settings resources were read as a config; policies given by id and values that refer elsewhere (var., other resources) are not',
        hint: 'what the provider sends is what Pomerium uses: check the route in the console too',
      });
    } else if (unreadable) {
      unread.push(unreadable);
    } else if (isBareRouteList(pomeriumFile.text)) {
      pomerium = readBareRouteList(pomeriumFile.text, pomeriumFile.file);
      unread.push({
        side: 'pomerium',
        file: pomeriumFile.file,
        whole: false,
        span: pomerium.routes[0]?.span ?? null,
        message: 'this is a bare list of routes (a fragment: Pomerium itself refuses a config whose top level is a list); it was read as the `routes:` of a config',
        hint: 'in the real config the list sits under `routes:`; pass the whole config.yaml to check the global options too',
      });
    } else {
      pomerium = readPomeriumConfig(pomeriumFile.text, pomeriumFile.file);
    }
  }
  if (compose?.pomerium) {
    const { env, spans } = serviceEnv(compose.pomerium);
    pomerium = pomeriumFromEnv(env, pomerium, spans);
    for (const [name, at] of spans) if (isSecretKey(name)) secretSpans.push(at.valueSpan);
  }
  if (hasPomeriumEnv(input.env)) pomerium = pomeriumFromEnv(input.env, pomerium, input.envSpans);
  for (const key of pomerium?.topLevelKeys ?? []) if (isSecretKey(key.name) && key.valueSpan) secretSpans.push(key.valueSpan);

  // Grafana's environment: --env-file/--use-env, then what the chart or the compose service sets.
  const grafanaEnv: Record<string, string | undefined> = { ...input.env };
  const grafanaEnvSpans: EnvSpans = new Map(input.envSpans ?? []);
  for (const e of helmValues?.env ?? []) {
    grafanaEnv[e.name] = e.value;
    grafanaEnvSpans.set(e.name, { nameSpan: e.nameSpan, valueSpan: e.valueSpan });
  }
  if (compose?.grafana) {
    const { env, spans } = serviceEnv(compose.grafana);
    Object.assign(grafanaEnv, env);
    for (const [name, at] of spans) grafanaEnvSpans.set(name, at);
  }

  for (const e of kubernetes?.grafanaEnv ?? []) {
    grafanaEnv[e.name] = e.value;
    grafanaEnvSpans.set(e.name, { nameSpan: e.nameSpan, valueSpan: e.valueSpan });
  }

  let grafana: GrafanaModel | null = null;
  const grafanaFile = input.grafana ?? (compose?.grafanaIni?.text != null ? { file: compose.grafanaIni.path, text: compose.grafanaIni.text } : null);
  let doc: IniDocument | null = helmValues?.doc ?? null;
  if (grafanaFile) {
    sources.push({ file: grafanaFile.file, text: grafanaFile.text, kind: 'ini' });
    const unreadable = recogniseUnreadable(grafanaFile.text, grafanaFile.file, 'grafana');
    const heredoc = unreadable ? null : iniFromHeredoc(grafanaFile.text);
    if (unreadable) unread.push(unreadable);
    else doc = parseIni(heredoc?.body ?? grafanaFile.text, grafanaFile.file);
    if (heredoc) {
      unread.push({
        side: 'grafana',
        file: grafanaFile.file,
        whole: false,
        span: { file: grafanaFile.file, line: heredoc.startLine - 1, column: 1, endLine: heredoc.startLine - 1, endColumn: 1 },
        message: `the grafana.ini here is inside a shell heredoc (<<${heredoc.marker}); only the lines between the markers were read`,
        hint: 'what the script writes is what Grafana reads: variables ($VAR) in an unquoted heredoc are expanded by the shell first',
      });
    }
  }
  // Grafana configured only through its environment (an env file of GF_* variables, a Deployment's env).
  const envOnly = !doc && !compose?.grafana && Object.keys(grafanaEnv).some((name) => name.startsWith('GF_'));
  if (doc || compose?.grafana || envOnly) {
    if (doc) secretSpans.push(...iniSecretSpans(doc));
    grafana = buildGrafanaModel({
      doc,
      env: grafanaEnv,
      envSpans: grafanaEnvSpans,
      readFile: (path) => {
        const found = readFile(path);
        return found.status === 'ok' ? found.text : found.status === 'missing' ? null : undefined;
      },
      version: input.grafanaVersion,
    });
  }
  for (const [name, spans] of grafanaEnvSpans) if (isSecretKey(name)) secretSpans.push(spans.valueSpan);

  // Without a Pomerium config, the Ingress Grafana's chart renders (for the Pomerium Ingress Controller) is the route.
  let routesFromGrafanaChart = false;
  if (!pomerium && helmValues && !unread.some((u) => u.side === 'pomerium')) {
    pomerium = grafanaChartIngress(input.grafanaValues!.text, input.grafanaValues!.file);
    routesFromGrafanaChart = pomerium !== null;
  }

  const rootUrl = grafana?.str('server', 'root_url') || undefined;
  // Only a root_url someone wrote names Grafana's host; the default (http://localhost:3000/) says nothing about the route.
  const rootUrlWritten = rootUrl && grafana?.get('server', 'root_url')?.source !== 'default' ? rootUrl : undefined;
  const routeChoice = pomerium
    ? findGrafanaRoute(pomerium, { ...(input.route ? { from: input.route } : {}), ...(rootUrlWritten ? { grafanaRootUrl: rootUrlWritten } : {}) })
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
      readFile,
      servedJwks: input.servedJwks,
      // Derived models have no text to edit: their fixes would land in the wrong file.
      textOf: (file) => (derivedFiles.has(file) ? undefined : sources.find((s) => s.file === file)?.text),
      // The Ingress Controller and Pomerium's chart keep the key in a Secret: "could not check", not "no key".
      signing: pomerium && !routesFromGrafanaChart && !(pomeriumChart?.signingKeyInSecret && !hasKeyMaterial(pomerium)) ? signingOf(pomerium, readFile, input.pomeriumVersion, kubernetes) : null,
      kubernetes,
      helmValues,
      compose,
      pomeriumChart,
      unread,
      grafanaEnv,
    },
    sources,
    secretSpans,
    derivedFiles,
    grafanaEnvForm: grafana ? { spans: grafanaEnvSpans, envOnly: !doc } : null,
  };
}

function signingOf(pomerium: PomeriumModel, readFile: DoctorInput['readFile'], pomeriumVersion: string, kubernetes: KubernetesConfig | null): RuleContext['signing'] {
  // Under the Ingress Controller the key lives in the Secret named by spec.secrets, which doctor cannot read.
  if (kubernetes && !hasKeyMaterial(pomerium)) return null;
  return configSigningJwks(
    pomerium,
    (path) => {
      const found = readFile(path);
      return found.status === 'ok' ? found.text : null;
    },
    pomeriumVersion,
  );
}

/**
 * A container path (`/etc/grafana/jwks.json`) read through what is mounted there: a compose bind mount
 * of a host file or folder (then read as that host path, through the same reader and its --root
 * confinement), or a ConfigMap/Secret key among the manifests. Other paths go to `read` unchanged.
 */
function mountedReader(read: DoctorInput['readFile'], compose: ComposeProject | null, kubernetes: KubernetesConfig | null): DoctorInput['readFile'] {
  const binds = [...(compose?.grafana?.binds ?? []), ...(compose?.pomerium?.binds ?? [])];
  const files = kubernetes?.grafanaWorkload?.files;
  if (binds.length === 0 && !files?.size) return read;
  return (path) => {
    const mountedFile = files?.get(path);
    if (mountedFile) return { status: 'ok', text: mountedFile.text, path };
    if (path.startsWith('/')) {
      for (const bind of binds) {
        if (path === bind.target) return { ...read(bind.path), path };
        if (path.startsWith(`${bind.target}/`)) return { ...read(`${bind.path}/${path.slice(bind.target.length + 1)}`), path };
      }
    }
    return read(path);
  };
}

import type { Finding, Fix, Severity } from '../core/finding.js';
import type { Span } from '../core/span.js';
import type { GrafanaModel } from '../grafana/model-types.js';
import type { KeySetError } from '../jwks/types.js';
import type { PomeriumSigningJwks, UnreadableKeyFile } from '../jwks/derive.js';
import type { PomeriumModel, PomeriumRoute } from '../pomerium/model-types.js';
import type { RouteChoice } from '../pomerium/routes.js';
import type { ComposeProject } from '../compose/project.js';
import type { HelmValues } from '../grafana/helm-values.js';
import type { KubernetesConfig } from '../kubernetes/model.js';
import type { PomeriumChartValues } from '../kubernetes/pomerium-chart.js';
import type { UnreadInput } from '../kubernetes/recognise.js';

/** A public JWK as it appears in a JWKS (only the members the rules look at are typed). */
export interface PublicJwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  crv?: string;
  [member: string]: unknown;
}

/**
 * Files named inside the configs (`signing_key_file`, `jwk_set_file`, `$__file{...}`) usually name
 * the container's filesystem. `read` answers `missing` only when `--root` says where they live;
 * otherwise a path that is not here is `unknown` ("could not check").
 */
export type FileLookup =
  | { status: 'ok'; text: string; path: string }
  | { status: 'missing'; path: string }
  | { status: 'unknown'; path: string; reason: string };

/**
 * The JWKS Pomerium serves, as `--jwks FILE` or `--live` got it: keys already parsed, the text as
 * read (the rules validate it: `{"keys":null}` is a finding), or why it could not be had (a "could
 * not check", kept apart from "invalid").
 */
export type ServedJwks =
  | { source: string; keys: PublicJwk[] }
  | { source: string; text: string }
  | { source: string; unreachable: string };

export interface RuleContext {
  grafana: GrafanaModel | null;
  pomerium: PomeriumModel | null;
  /** The Grafana route in the Pomerium config, when one was found. */
  route: PomeriumRoute | null;
  /** How the route was looked for (null without a Pomerium config); says why there is none. */
  routeChoice: RouteChoice | null;
  grafanaVersion: string;
  pomeriumVersion: string;
  readFile(path: string): FileLookup;
  /** The JWKS Pomerium serves (from `--jwks` or `--live`), when known. */
  servedJwks: ServedJwks | null;
  /** The text of a config file doctor read (for fixes that need offsets), by its name as given. */
  textOf(file: string): string | undefined;
  /**
   * The JWKS Pomerium serves for its configured key material and the key it signs with; a
   * KeySetError when that material is missing or broken; `unknown` when it cannot be read here
   * (a `signing_key_file` path from the container's filesystem).
   */
  signing: PomeriumSigningJwks | KeySetError | UnreadableKeyFile | null;
  /** The forms the models were derived from, when doctor read them (the ingress/, helm/ and compose/ rules). */
  kubernetes?: KubernetesConfig | null;
  helmValues?: HelmValues | null;
  compose?: ComposeProject | null;
  /** `--pomerium` given values of Pomerium's own Helm chart. */
  pomeriumChart?: PomeriumChartValues | null;
  /** Grafana's environment as known (env file, compose service, workload env), e.g. for SSL_CERT_FILE. */
  grafanaEnv?: Readonly<Record<string, string | undefined>>;
  /** Inputs (or parts) that are not the form their flag expects: templates, Terraform, fragments, heredocs. */
  unread?: UnreadInput[];
}

export interface RuleReport {
  messageId: string;
  /** Values for `{{name}}` placeholders in the message. */
  data?: Record<string, string | number>;
  /** Overrides the rule's default severity for this finding. */
  severity?: Severity;
  span: Span | null;
  /** When there is no span: the file the finding belongs to. */
  file?: string | null;
  hint?: string;
  fix?: Fix;
}

export interface RuleMeta<MessageId extends string = string> {
  /** Stable kebab-case id, grouped by prefix: `grafana/…`, `pomerium/…`, `cross/…`. */
  id: string;
  /** One line, for SARIF `shortDescription` and the docs index. */
  description: string;
  severity: Severity;
  /**
   * What the rule needs; doctor skips it when an input is missing, or did not parse (the program
   * refuses to start then, the syntax rule says why, and anything else would be read from half a file).
   */
  requires: ReadonlyArray<'grafana' | 'pomerium'>;
  /** Runs on an input that did not parse: only the syntax rules, which report that. */
  judgesUnparsedInput?: boolean;
  messages: Record<MessageId, string>;
}

export interface Rule<MessageId extends string = string> {
  meta: RuleMeta<MessageId>;
  check(ctx: RuleContext, report: (r: RuleReport & { messageId: MessageId }) => void): void;
}

export function defineRule<MessageId extends string>(rule: Rule<MessageId>): Rule<MessageId> {
  return rule;
}

/** A finding plus the message id it came from (tests assert ids, never prose). */
export type RuleFinding = Finding & { messageId: string };

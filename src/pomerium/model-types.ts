import type { Located, Span } from '../core/span.js';

export type IssuerFormat = 'hostOnly' | 'uri';

export interface WeightedUrl {
  url: string;
  weight: number | null;
}

/** A route key as written, for unknown-key checks and positions. */
export interface KeyRef {
  name: string;
  span: Span | null;
  /** Span of the value, when there is one. */
  valueSpan: Span | null;
}

export interface PomeriumRoute {
  /** Position in the merged list (`policy` entries first, then `routes`, as Pomerium merges them). */
  index: number;
  list: 'routes' | 'policy';
  /** Where the route came from: the config file, the `ROUTES`/`POLICY` environment variable, or a Kubernetes Ingress (derived: no text edits). */
  origin: 'file' | 'env' | 'ingress';
  /** The route item as a whole (its first key). */
  span: Span | null;
  from: Located<string> | null;
  to: Located<WeightedUrl[]> | null;
  prefix: Located<string> | null;
  path: Located<string> | null;
  /** Route-level value; null when not set (then the global value applies). */
  passIdentityHeaders: Located<boolean> | null;
  jwtIssuerFormat: Located<IssuerFormat> | null;
  preserveHostHeader: Located<boolean> | null;
  hostRewrite: Located<string> | null;
  /** Raw value: a header name string, or the common misuse `true`. */
  hostRewriteHeader: Located<unknown> | null;
  /** `host_path_regex_rewrite_pattern` when not empty (Host from the path; wins over preserve_host_header). Absent: not read. */
  hostPathRegexRewritePattern?: Located<string> | null;
  /** `remove_request_headers` (from v0.33 an `x-forwarded-host` there stops Envoy adding X-Forwarded-Host). Absent: not read. */
  removeRequestHeaders?: Located<string[]> | null;
  tlsSkipVerify: Located<boolean> | null;
  allowPublicUnauthenticatedAccess: Located<boolean> | null;
  allowAnyAuthenticatedUser: Located<boolean> | null;
  allowedDomains: Located<string[]> | null;
  allowedUsers: Located<string[]> | null;
  /** The route's PPL `policy` (parsed YAML/JSON value), as written. */
  policy: Located<unknown> | null;
  /** Every key of the route item, for unknown/misspelled key checks. */
  keys: KeyRef[];
}

export interface SigningKeySource {
  /** `signing_key` (inline), `signing_key_file`, or an env var. */
  kind: 'inline' | 'file';
  /** Where it is configured (never print the value: it is a secret). */
  span: Span | null;
  /** For `file`: the path as written. */
  path?: string;
  /** For `inline`: the configured text (secret!). */
  text?: string;
}

export interface PomeriumModel {
  /** The config file as given, or null for an env-only config. */
  file: string | null;
  /** YAML/JSON syntax errors; when non-empty the rest of the model is best-effort. */
  errors: { message: string; span: Span | null }[];
  /** Explicitly configured `authenticate_service_url` (null: the hosted default applies). */
  authenticateServiceUrl: Located<string> | null;
  passIdentityHeaders: Located<boolean> | null;
  /** `jwt_claims_headers`, normalised to header -> claim, in any of its three forms. */
  jwtClaimsHeaders: Located<Record<string, string>> | null;
  jwtIssuerFormat: Located<IssuerFormat> | null;
  /** `signing_key_file` wins over `signing_key` (both are kept so doctor can say so). */
  signingKey: SigningKeySource | null;
  signingKeyFile: SigningKeySource | null;
  /** Inline `shared_secret` (secret!). */
  sharedSecret: Located<string> | null;
  /** `shared_secret_file`: its content, read verbatim, wins over `shared_secret` (GetSharedKey). */
  sharedSecretFile: Located<string> | null;
  routes: PomeriumRoute[];
  /** Every top-level key, for unknown-key checks. */
  topLevelKeys: KeyRef[];
  /** Values that Pomerium's loose decoding would refuse (bad bool, bad enum): reported by doctor. */
  valueProblems: { message: string; span: Span | null }[];
}

// The shape of the generated tables in ./generated/ (written by scripts/gen-pomerium-tables.mjs).

/** One Pomerium release's option names, read from its source. */
export interface PomeriumOptionTable {
  /** The release tag, e.g. `v0.33.1`, and the commit it points at. */
  release: string;
  commit: string;
  /** Lowercased keys mapstructure accepts at the top level (Options and the structs it squashes). */
  topLevel: string[];
  /** Lowercased keys accepted in a route (Policy and the structs it squashes). */
  route: string[];
  /** Up to v0.31 every route is also read as an Envoy Cluster: these field names are applied there. */
  routeEnvoyClusterFields: {
    source: { repository: string; tag: string; commit: string; path: string };
    /** Before v0.28.0 Pomerium applied them but still logged "unknown config option". */
    loggedAsUnknown: boolean;
    names: string[];
  } | null;
  /** `removedConfigFields` (config/options_check.go): a key at this path stops Pomerium from starting. */
  removedFatal: { path: string; docs: string }[];
  /** `ignoreConfigFields`: paths never logged as unknown. */
  notReportedPaths: string[];
  /** Keys `Options.Validate` refuses outright (e.g. `policy_file`). */
  refusedByValidate: { key: string; error: string }[];
}

export interface PomeriumOptionData {
  sources: { repository: string; files: string[] };
  /** Oldest first. */
  releases: PomeriumOptionTable[];
  /** Each removed-and-fatal path with the first release tag (from v0.20.0) whose options_check.go lists it. */
  fatalSince: Record<string, string>;
  /** Keys one covered release knew and the next one neither knows nor refuses: logged as unknown, ignored. */
  removedAndIgnored: {
    key: string;
    scope: 'top' | 'route';
    /** The last covered release that knew it. */
    lastIn: string;
    /** The first release tag without it. */
    goneIn: string;
  }[];
  /** Renamed keys, with where the rename is stated. */
  renamed: { key: string; scope: 'top' | 'route'; to: string; since: string; source: string }[];
}

/** One Pomerium Ingress Controller release's annotation names and CRD fields, read from its source. */
export interface IngressControllerTable {
  release: string;
  commit: string;
  /** The controller's annotation groups (`baseAnnotations`, `policyAnnotations`, ...), names without the prefix. */
  annotations: Record<string, string[]>;
  /** Annotations refused by name, with the controller's pointer to why. */
  unsupported: { name: string; docs: string }[];
  /** The `Pomerium` CRD's spec fields as dotted JSON paths. */
  crdSpecFields: string[];
}

export interface IngressControllerData {
  sources: { repository: string; files: string[] };
  releases: IngressControllerTable[];
}

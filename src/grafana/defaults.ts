import { inVersionRange, type VersionRange } from './version.js';

/**
 * What Grafana knows about the settings this tool cares about, per version. Data only.
 * Sources: ../shared/reference/grafana.md §1.1–1.3 and Grafana's `pkg/setting` readers
 * (`readAuthSettings`, `readUserSettings`, `readServerSettings`, `readAuthJWTSettings`,
 * `readAnonymousSettings`, `readAuthProxySettings`).
 *
 * Where the reference marks a version UNCONFIRMED we take the conservative reading:
 * - `read.from`: the LATER candidate release, so a version-gate rule warns rather than stays silent;
 * - `defaultsIni`: absent unless a defaults.ini copy shows the key, so a `GF_*` override of it is
 *   reported as ignored and the hint (also write the key in grafana.ini) is harmless either way.
 */

export type GrafanaKeyType = 'bool' | 'string' | 'duration' | 'int' | 'json' | 'jmespath' | 'url' | 'path' | 'enum' | 'list';

export interface GrafanaKey {
  section: string;
  key: string;
  type: GrafanaKeyType;
  /** What the code falls back to when the key is missing or empty (`MustBool(false)`, `valueAsString(s, k, "")`…). */
  default: string;
  /** Candidates of an `enum` (go-ini `Key.In`, case-sensitive). */
  values?: readonly string[];
  /** Releases whose code reads the key; null: no release reads it (a dead key that still appears in ini files). */
  read: VersionRange | null;
  /** Releases whose conf/defaults.ini lists the key, and the value written there; null: never listed. */
  defaultsIni: (VersionRange & { value: string }) | null;
}

type Options = Partial<Pick<GrafanaKey, 'values' | 'read' | 'defaultsIni'>> & { ini?: string };

/** Builds a catalog entry: read by every release and listed in defaults.ini with `ini ?? def` unless told otherwise. */
function key(section: string, name: string, type: GrafanaKeyType, def: string, o: Options = {}): GrafanaKey {
  return {
    section,
    key: name,
    type,
    default: def,
    ...(o.values ? { values: o.values } : {}),
    read: o.read === undefined ? {} : o.read,
    defaultsIni: o.defaultsIni === undefined ? { value: o.ini ?? def } : o.defaultsIni,
  };
}

const jwt = (name: string, type: GrafanaKeyType, def: string, since: string, o: Options = {}): GrafanaKey =>
  key('auth.jwt', name, type, def, { read: { from: since }, defaultsIni: { from: since, value: o.ini ?? def }, ...o });

/** Keys added to defaults.ini by a release we could not read (reference §1.2): not assumed listed. */
const notInDefaultsIni = { defaultsIni: null } as const;

export const GRAFANA_KEYS: readonly GrafanaKey[] = [
  // Default section. The code default is "development" (`valueAsString(Section(""), "app_mode", "development")`).
  key('DEFAULT', 'app_mode', 'enum', 'development', { values: ['production', 'development'], ini: 'production' }),
  key('DEFAULT', 'instance_name', 'string', '', { ini: '${HOSTNAME}' }),

  // [server] (readServerSettings). root_url's code default applies only when the key is empty.
  key('server', 'protocol', 'enum', 'http', { values: ['http', 'https', 'h2', 'socket'] }),
  key('server', 'http_addr', 'string', '0.0.0.0', { ini: '' }),
  key('server', 'http_port', 'string', '3000'),
  key('server', 'domain', 'string', 'localhost'),
  key('server', 'enforce_domain', 'bool', 'false'),
  key('server', 'root_url', 'url', 'http://localhost:3000/', { ini: '%(protocol)s://%(domain)s:%(http_port)s/' }),
  key('server', 'serve_from_sub_path', 'bool', 'false'),
  key('server', 'router_logging', 'bool', 'false'),
  key('server', 'static_root_path', 'path', '', { ini: 'public' }),
  key('server', 'enable_gzip', 'bool', 'false'),
  key('server', 'cert_file', 'path', ''),
  key('server', 'cert_key', 'path', ''),
  key('server', 'cert_pass', 'string', '', notInDefaultsIni),
  key('server', 'certs_watch_interval', 'duration', '0', notInDefaultsIni),
  key('server', 'socket', 'path', '', { ini: '/tmp/grafana.sock' }),
  key('server', 'socket_gid', 'int', '-1'),
  key('server', 'socket_mode', 'string', '0660'),
  key('server', 'cdn_url', 'url', ''),
  key('server', 'read_timeout', 'duration', '0'),
  key('server', 'min_tls_version', 'string', 'TLS1.2', { ini: '' }),

  // [auth] (readAuthSettings). Durations here go through Grafana's gtime (accepts `d`, `w`…).
  key('auth', 'login_cookie_name', 'string', 'grafana_session'),
  key('auth', 'login_maximum_inactive_lifetime_duration', 'duration', '7d', { ini: '' }),
  key('auth', 'login_maximum_lifetime_duration', 'duration', '30d', { ini: '' }),
  key('auth', 'token_rotation_interval_minutes', 'int', '10'),
  key('auth', 'disable_login', 'bool', 'false'),
  key('auth', 'disable_login_form', 'bool', 'false'),
  key('auth', 'disable_signout_menu', 'bool', 'false'),
  key('auth', 'signout_redirect_url', 'url', ''),
  // Deprecated, OAuth only; still read (with a warning) by the newest code.
  key('auth', 'oauth_auto_login', 'bool', 'false'),
  key('auth', 'oauth_state_cookie_max_age', 'int', '600'),
  // Deprecated: the newest code no longer reads it; the release that stopped is not known, so no gate.
  key('auth', 'oauth_skip_org_role_update_sync', 'bool', 'false'),
  key('auth', 'api_key_max_seconds_to_live', 'int', '-1'),
  key('auth', 'sigv4_auth_enabled', 'bool', 'false'),
  key('auth', 'azure_auth_enabled', 'bool', 'false'),
  // Read by the newest code; first releases not checked, so these carry no version gate.
  key('auth', 'sigv4_verbose_logging', 'bool', 'false', notInDefaultsIni),
  key('auth', 'oauth_allow_insecure_email_lookup', 'bool', 'false', notInDefaultsIni),
  key('auth', 'oauth_login_error_message', 'string', 'oauth.login.error', notInDefaultsIni),
  key('auth', 'oauth_refresh_token_server_lock_min_wait_ms', 'int', '1000', notInDefaultsIni),
  key('auth', 'id_response_header_enabled', 'bool', 'false', notInDefaultsIni),
  key('auth', 'id_response_header_prefix', 'string', 'X-Grafana', notInDefaultsIni),
  key('auth', 'id_response_header_namespaces', 'list', '', notInDefaultsIni),
  key('auth', 'managed_service_accounts_enabled', 'bool', 'false', notInDefaultsIni),

  // [auth.anonymous] (readAnonymousSettings): defaults.ini fills org_name/org_role, the code would leave them empty.
  key('auth.anonymous', 'enabled', 'bool', 'false'),
  key('auth.anonymous', 'org_name', 'string', '', { ini: 'Main Org.' }),
  key('auth.anonymous', 'org_role', 'string', '', { ini: 'Viewer' }),
  key('auth.anonymous', 'hide_version', 'bool', 'false'),
  key('auth.anonymous', 'device_limit', 'int', '0', notInDefaultsIni),

  // [auth.basic]
  key('auth.basic', 'enabled', 'bool', 'true'),
  key('auth.basic', 'password_policy', 'bool', 'false', notInDefaultsIni),

  // [auth.proxy] (readAuthProxySettings): code defaults differ from defaults.ini for header_* and sync_ttl.
  key('auth.proxy', 'enabled', 'bool', 'false'),
  key('auth.proxy', 'header_name', 'string', '', { ini: 'X-WEBAUTH-USER' }),
  key('auth.proxy', 'header_property', 'string', '', { ini: 'username' }),
  key('auth.proxy', 'auto_sign_up', 'bool', 'true'),
  key('auth.proxy', 'sync_ttl', 'int', '15', { ini: '60' }),
  key('auth.proxy', 'whitelist', 'list', ''),
  key('auth.proxy', 'headers', 'list', ''),
  key('auth.proxy', 'headers_encoded', 'bool', 'false'),
  key('auth.proxy', 'enable_login_token', 'bool', 'false'),
  key('auth.proxy', 'cookie_cache_last_team_sync', 'bool', 'false', notInDefaultsIni),

  // [users] (readUserSettings). auto_assign_org_role is `Key.In("Viewer", [None Viewer Editor Admin])` in the
  // newest code; 8.x/9.x used `In("Editor", [Editor Admin Viewer])` (reference §1.3, switch release unknown).
  key('users', 'allow_sign_up', 'bool', 'true', { ini: 'false' }),
  key('users', 'allow_org_create', 'bool', 'true', { ini: 'false' }),
  key('users', 'auto_assign_org', 'bool', 'true'),
  key('users', 'auto_assign_org_id', 'int', '1'),
  key('users', 'auto_assign_org_role', 'enum', 'Viewer', { values: ['None', 'Viewer', 'Editor', 'Admin'] }),
  key('users', 'login_default_org_id', 'int', '-1', notInDefaultsIni),
  key('users', 'verify_email_enabled', 'bool', 'false'),
  key('users', 'login_hint', 'string', '', { ini: 'email or username' }),
  key('users', 'password_hint', 'string', '', { ini: 'password' }),
  key('users', 'default_theme', 'string', '', { ini: 'dark' }),
  key('users', 'default_language', 'string', '', notInDefaultsIni),
  key('users', 'home_page', 'string', ''),
  key('users', 'external_manage_link_url', 'url', ''),
  key('users', 'external_manage_link_name', 'string', ''),
  key('users', 'external_manage_info', 'string', ''),
  key('users', 'viewers_can_edit', 'bool', 'false'),
  key('users', 'editors_can_admin', 'bool', 'false'),
  key('users', 'user_invite_max_lifetime_duration', 'duration', '24h'),
  key('users', 'verification_email_max_lifetime_duration', 'duration', '1h', notInDefaultsIni),
  key('users', 'last_seen_update_interval', 'duration', '15m', notInDefaultsIni),
  key('users', 'hidden_users', 'list', ''),

  // [auth.jwt] (readAuthJWTSettings; reference §1.1, §1.2). Every key is read with MustString/MustBool:
  // an empty value means the default.
  jwt('enabled', 'bool', 'false', '8.0.0'),
  jwt('header_name', 'string', '', '8.0.0'),
  jwt('email_claim', 'string', '', '8.0.0'),
  jwt('username_claim', 'string', '', '8.0.0'),
  jwt('jwk_set_url', 'url', '', '8.0.0'),
  jwt('jwk_set_file', 'path', '', '8.0.0'),
  jwt('cache_ttl', 'duration', '60m', '8.0.0'),
  jwt('key_file', 'path', '', '8.0.0'),
  // Read as `expect_claims` since 8.0, but defaults.ini said `expected_claims` until the fix of grafana#58231
  // (PR #58284, Nov 2022): 9.3.0 taken as the first release with the right name (UNCONFIRMED exact).
  jwt('expect_claims', 'json', '{}', '8.0.0', { defaultsIni: { from: '9.3.0', value: '{}' } }),
  key('auth.jwt', 'expected_claims', 'json', '{}', { read: null, defaultsIni: { from: '8.0.0', until: '9.3.0', value: '{}' } }),
  // Listed in 10.x defaults.ini but read by no JWT code (grafana#126608); first listing release not checked.
  key('auth.jwt', 'enable_login_token', 'bool', 'false', { read: null, defaultsIni: { from: '8.0.0', value: 'false' } }),
  jwt('auto_sign_up', 'bool', 'false', '8.4.0'),
  // Read since 9.1, missing from defaults.ini in 9.1–9.2 (grafana#57072); the fix is taken from 9.3.0 (UNCONFIRMED
  // which 9.2.x patch carried it).
  jwt('url_login', 'bool', 'false', '9.1.0', { defaultsIni: { from: '9.3.0', value: 'false' } }),
  // PR #54277 (Sept 2022): 9.2 per the reference, UNCONFIRMED minor.
  jwt('role_attribute_path', 'jmespath', '', '9.2.0'),
  jwt('role_attribute_strict', 'bool', 'false', '9.2.0'),
  jwt('allow_assign_grafana_admin', 'bool', 'false', '9.2.0'),
  // "9.x/10.x" in the reference (UNCONFIRMED): 10.0.0, the later reading.
  jwt('skip_org_role_sync', 'bool', 'false', '10.0.0'),
  // PR #72711 (Aug 2023): 10.1 or 10.2 (UNCONFIRMED): 10.2.0.
  jwt('key_id', 'string', '', '10.2.0'),
  jwt('groups_attribute_path', 'jmespath', '', '10.4.0'),
  jwt('email_attribute_path', 'jmespath', '', '11.0.0'),
  jwt('username_attribute_path', 'jmespath', '', '11.0.0'),
  jwt('tls_skip_verify_insecure', 'bool', 'false', '11.6.0'),
  jwt('org_attribute_path', 'jmespath', '', '12.0.0', notInDefaultsIni),
  jwt('org_mapping', 'list', '', '12.0.0', notInDefaultsIni),
  jwt('tls_client_ca', 'path', '', '12.2.0', notInDefaultsIni),
  jwt('jwk_set_bearer_token_file', 'path', '', '12.2.0', notInDefaultsIni),
  // Only in the newest key_sets.go (PR #126184, 2026): ≈13.1, UNCONFIRMED release.
  jwt('key_value', 'string', '', '13.1.0', notInDefaultsIni),
  jwt('jwk_set_value', 'string', '', '13.1.0', notInDefaultsIni),
];

/**
 * Grafana releases that lost `[auth] signout_redirect_url` for JWT users and listed `signout_redirect_url =` under
 * [auth.jwt] in defaults.ini: PR #75269 (per-provider sign-out URLs, merged 2023-09; 10.2.0 taken as its release,
 * UNCONFIRMED) wrote the [auth.jwt] line, PR #79635 stopped honouring [auth]'s value outside OAuth and SAML
 * (10.3.0 taken, UNCONFIRMED), and PR #87631 (merged 2024-05-10, so 11.1.0) undid both, backported to 10.4.x
 * (#88749, merged 2024-06-05: 10.4.5 taken) and 11.0.x (#87681, merged 2024-05-12: 11.0.1 taken); the patch
 * releases are UNCONFIRMED and taken late, so the windows cover every release in doubt.
 */
export const SIGNOUT_LISTED_UNDER_JWT: readonly VersionRange[] = [
  { from: '10.2.0', until: '10.4.5' },
  { from: '11.0.0', until: '11.0.1' },
];
export const SIGNOUT_IGNORED_FOR_JWT: readonly VersionRange[] = [
  { from: '10.3.0', until: '10.4.5' },
  { from: '11.0.0', until: '11.0.1' },
];

/** Whether `version` falls in one of the windows. */
export function inWindows(version: string, windows: readonly VersionRange[]): boolean {
  return windows.some((w) => inVersionRange(version, w));
}

/**
 * Keys conf/defaults.ini lists outside the catalog's sections or where no code reads them. They matter only for
 * where go-ini's merge puts a key written in grafana.ini (`GetKey` falls back to the parent section only when the
 * section lacks the key), so they are not catalog keys.
 */
const DEFAULTS_INI_EXTRA: readonly { section: string; key: string; value: string; windows: readonly VersionRange[] }[] = [
  // Listed (empty) but never read in the JWT settings: a line written under [auth.jwt] stays there.
  { section: 'auth.jwt', key: 'signout_redirect_url', value: '', windows: SIGNOUT_LISTED_UNDER_JWT },
  // PR #75269: every OAuth provider got its own key, so it stops landing in [auth] through the parent lookup.
  { section: 'auth.generic_oauth', key: 'signout_redirect_url', value: '', windows: [{ from: '10.2.0' }] },
];

const BY_SECTION_KEY = new Map(GRAFANA_KEYS.map((k) => [`${k.section}\u0000${k.key}`, k]));

/** The catalog entry for `[section] key`, whatever the version. */
export function grafanaKey(section: string, key: string): GrafanaKey | undefined {
  return BY_SECTION_KEY.get(`${section}\u0000${key}`);
}

/** The sections the catalog describes. */
export const KNOWN_SECTIONS: ReadonlySet<string> = new Set(GRAFANA_KEYS.map((k) => k.section));

/** Whether Grafana `version`'s code reads the key. */
export function isReadIn(entry: GrafanaKey, version: string): boolean {
  return entry.read !== null && inVersionRange(version, entry.read);
}

/** The keys Grafana `version` reads in `section` (for "unknown key, did you mean" rules). */
export function keysReadIn(section: string, version: string): GrafanaKey[] {
  return GRAFANA_KEYS.filter((k) => k.section === section && isReadIn(k, version));
}

/** conf/defaults.ini of Grafana `version`, limited to the catalog's sections: section → key → value, in file order. */
export function defaultsIniOf(version: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  for (const k of GRAFANA_KEYS) {
    if (k.defaultsIni === null || !inVersionRange(version, k.defaultsIni)) continue;
    let keys = sections.get(k.section);
    if (!keys) sections.set(k.section, (keys = new Map()));
    keys.set(k.key, k.defaultsIni.value);
  }
  for (const extra of DEFAULTS_INI_EXTRA) {
    if (!inWindows(version, extra.windows)) continue;
    let keys = sections.get(extra.section);
    if (!keys) sections.set(extra.section, (keys = new Map()));
    keys.set(extra.key, extra.value);
  }
  return sections;
}

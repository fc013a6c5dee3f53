// Pomerium's option names, for an "unknown key, did you mean" rule. Taken from the mapstructure tags
// of config/options.go (Options and its squashed structs) and config/policy.go (Policy, RouteOptions)
// in pomerium/pomerium, current main and recent releases. Pomerium compares keys case-insensitively
// (Viper lowercases them), so compare lowercased names. An unknown key is only a logged warning in
// Pomerium; the removed keys below stop it from starting.

export const TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
  // routes
  'routes', 'policy',
  // identity and JWT
  'authenticate_service_url', 'authenticate_internal_service_url', 'authenticate_callback_path', 'signout_redirect_url',
  'pass_identity_headers', 'jwt_claims_headers', 'jwt_issuer_format', 'bearer_token_format',
  'signing_key', 'signing_key_file', 'shared_secret', 'shared_secret_file',
  'idp_provider', 'idp_provider_url', 'idp_client_id', 'idp_client_secret', 'idp_client_secret_file', 'idp_scopes',
  'idp_request_params', 'idp_access_token_allowed_audiences',
  'cookie_name', 'cookie_secret', 'cookie_secret_file', 'cookie_domain', 'cookie_http_only', 'cookie_expire', 'cookie_same_site',
  // server and TLS
  'installation_id', 'services', 'address', 'insecure_server', 'http_redirect_addr', 'use_proxy_protocol', 'codec_type',
  'certificates', 'certificate', 'certificate_key', 'certificate_file', 'certificate_key_file',
  'certificate_authority', 'certificate_authority_file', 'override_certificate_name', 'tls_derive', 'downstream_mtls',
  'autocert', 'autocert_dir', 'autocert_must_staple', 'autocert_use_staging', 'autocert_ca', 'autocert_email',
  'autocert_eab_key_id', 'autocert_eab_mac_key', 'autocert_trusted_ca', 'autocert_trusted_ca_file',
  'timeout_read', 'timeout_write', 'timeout_idle', 'default_upstream_timeout',
  'set_response_headers', 'skip_xff_append', 'xff_num_trusted_hops', 'allow_upgrades',
  'programmatic_redirect_domain_whitelist', 'runtime_flags',
  'dns_lookup_family', 'dns_failure_refresh_rate', 'dns_query_timeout', 'dns_query_tries', 'dns_refresh_rate',
  'dns_udp_max_queries', 'dns_use_tcp',
  // services
  'authorize_service_url', 'authorize_service_urls', 'authorize_internal_service_url',
  'databroker_service_url', 'databroker_service_urls', 'databroker_internal_service_url', 'databroker_storage_type',
  'databroker_storage_connection_string', 'databroker_storage_connection_string_file',
  'grpc_address', 'grpc_insecure', 'grpc_client_timeout',
  'ssh_address', 'ssh_host_key_files', 'ssh_host_keys', 'ssh_user_ca_key_file', 'ssh_user_ca_key',
  'google_cloud_serverless_authentication_service_account',
  // logging, metrics, tracing, envoy
  'log_level', 'proxy_log_level', 'access_log_fields', 'authorize_log_fields', 'debug_address',
  'metrics_address', 'metrics_basic_auth', 'metrics_certificate', 'metrics_certificate_key', 'metrics_certificate_file',
  'metrics_certificate_key_file', 'metrics_client_ca', 'metrics_client_ca_file',
  'tracing_provider', 'tracing_sample_rate', 'tracing_otlp_endpoint', 'tracing_otlp_protocol',
  'envoy_admin_access_log_path', 'envoy_admin_profile_path', 'envoy_admin_address',
  'envoy_bind_config_source_address', 'envoy_bind_config_freebind',
]);

export const ROUTE_KEYS: ReadonlySet<string> = new Set([
  // matching and destination
  'from', 'to', 'redirect', 'response', 'prefix', 'path', 'regex', 'regex_priority_order',
  'name', 'description', 'logo_url', 'depends_on',
  // access policy
  'policy', 'allowed_users', 'allowed_domains', 'allowed_idp_claims', 'allow_public_unauthenticated_access',
  'allow_any_authenticated_user', 'cors_allow_preflight', 'sub_policies',
  // identity headers and JWT
  'pass_identity_headers', 'jwt_issuer_format', 'bearer_token_format', 'idp_client_id', 'idp_client_secret',
  'idp_access_token_allowed_audiences', 'identity_providers', 'kubernetes_service_account_token',
  'kubernetes_service_account_token_file', 'enable_google_cloud_serverless_authentication',
  // request and response rewriting
  'preserve_host_header', 'host_rewrite', 'host_rewrite_header', 'host_path_regex_rewrite_pattern',
  'host_path_regex_rewrite_substitution', 'prefix_rewrite', 'regex_rewrite_pattern', 'regex_rewrite_substitution',
  'set_request_headers', 'remove_request_headers', 'set_response_headers', 'rewrite_response_headers',
  // connection
  'allow_websockets', 'allow_spdy', 'allow_upgrades', 'timeout', 'idle_timeout', 'show_error_details',
  'tls_skip_verify', 'tls_server_name', 'tls_downstream_server_name', 'tls_upstream_server_name',
  'tls_custom_ca', 'tls_custom_ca_file', 'tls_client_cert', 'tls_client_key', 'tls_client_cert_file',
  'tls_client_key_file', 'tls_downstream_client_ca', 'tls_downstream_client_ca_file', 'tls_upstream_allow_renegotiation',
  'load_balancing_policy', 'health_checks', 'healthy_panic_threshold', 'outlier_detection', 'circuit_breaker_thresholds',
  'mcp', 'upstream_tunnel',
]);

/**
 * Envoy Cluster fields: Pomerium also reads each route as an Envoy Cluster and does not warn about
 * these under `routes` (ignoreConfigFields in config/options_check.go). The common ones.
 */
export const ENVOY_CLUSTER_ROUTE_KEYS: ReadonlySet<string> = new Set([
  'connect_timeout', 'lb_policy', 'load_assignment', 'per_connection_buffer_limit_bytes', 'max_requests_per_connection',
  'circuit_breakers', 'common_lb_config', 'ring_hash_lb_config', 'maglev_lb_config', 'least_request_lb_config',
  'round_robin_lb_config', 'original_dst_lb_config', 'lb_subset_config', 'dns_lookup_family', 'dns_refresh_rate',
  'dns_failure_refresh_rate', 'respect_dns_ttl', 'dns_resolvers', 'use_tcp_for_dns_lookups', 'upstream_connection_options',
  'close_connections_on_host_health_failure', 'ignore_health_on_host_removal', 'typed_extension_protocol_options',
  'http_protocol_options', 'http2_protocol_options', 'common_http_protocol_options', 'upstream_http_protocol_options',
  'transport_socket', 'transport_socket_matches', 'upstream_bind_config', 'track_timeout_budgets', 'preconnect_policy',
]);

/**
 * Removed options that make Pomerium refuse to start ("some configuration options are no longer
 * supported, please check logs for details"), with the upgrade note Pomerium logs. Since v0.20.0
 * (tracing ones later).
 */
export const REMOVED_TOP_LEVEL_KEYS: ReadonlyMap<string, string> = new Map([
  ['client_ca', 'https://www.pomerium.com/docs/deploy/core/upgrading#new-downstream-mtls-settings'],
  ['client_ca_file', 'https://www.pomerium.com/docs/deploy/core/upgrading#new-downstream-mtls-settings'],
  ['idp_service_account', 'https://docs.pomerium.com/docs/overview/upgrading#idp-directory-sync'],
  ['idp_refresh_directory_timeout', 'https://docs.pomerium.com/docs/overview/upgrading#idp-directory-sync'],
  ['idp_refresh_directory_interval', 'https://docs.pomerium.com/docs/overview/upgrading#idp-directory-sync'],
  ['idp_qps', 'https://docs.pomerium.com/docs/overview/upgrading#idp-directory-sync'],
  ['tracing_datadog_address', 'https://docs.pomerium.com/docs/overview/upgrading#removed-tracing-options'],
  ['tracing_jaeger_collector_endpoint', 'https://docs.pomerium.com/docs/overview/upgrading#removed-tracing-options'],
  ['tracing_jaeger_agent_endpoint', 'https://docs.pomerium.com/docs/overview/upgrading#removed-tracing-options'],
  ['tracing_zipkin_endpoint', 'https://docs.pomerium.com/docs/overview/upgrading#removed-tracing-options'],
]);

/**
 * Removed route options. Pomerium matches them by the path `routes.<key>`, so they are fatal in the
 * `routes` list only; in the legacy `policy` list they are just unknown keys (a warning).
 */
export const REMOVED_ROUTE_KEYS: ReadonlyMap<string, string> = new Map([
  ['allowed_groups', 'https://docs.pomerium.com/docs/overview/upgrading#idp-groups-policy'],
  ['set_authorization_header', 'https://www.pomerium.com/docs/deploy/core/upgrading#set-authorization-header'],
]);

/** Refused by Options.Validate: "config: policy file setting is deprecated" (since v0.5). */
export const REFUSED_TOP_LEVEL_KEYS: ReadonlyMap<string, string> = new Map([['policy_file', 'config: policy file setting is deprecated']]);

/**
 * The releases assumed when --grafana-version / --pomerium-version are not given: the newest ones
 * the references in this repository were checked against.
 */
export const CURRENT_GRAFANA_VERSION = '13.2.0';
export const CURRENT_POMERIUM_VERSION = '0.33.1';

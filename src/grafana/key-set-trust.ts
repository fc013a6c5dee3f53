// What Grafana's key-set client takes from grafana.ini to fetch jwk_set_url (grafana/grafana
// pkg/services/auth/jwt/key_sets.go): `tls_client_ca` (read from 12.2.0) becomes RootCAs, a new pool of
// that file's certificates alone, which replaces the system roots; `tls_skip_verify_insecure` (11.6.0)
// is InsecureSkipVerify. A release that does not read a key ignores it. explain and doctor --live
// fetch as Grafana would with this.
import { grafanaKey, isReadIn } from './defaults.js';
import { parseGoBool } from './ini-values.js';
import type { GrafanaModel } from './model-types.js';

export interface KeySetTrust {
  /** `[auth.jwt] tls_client_ca` ('' when unset or not read by this release). */
  clientCa: string;
  /** `[auth.jwt] tls_skip_verify_insecure = true`, read by this release. */
  insecure: boolean;
}

export function keySetTrust(model: GrafanaModel): KeySetTrust {
  const readIn = (key: string) => {
    const entry = grafanaKey('auth.jwt', key);
    return !entry || isReadIn(entry, model.version);
  };
  return {
    clientCa: readIn('tls_client_ca') ? model.str('auth.jwt', 'tls_client_ca') : '',
    insecure: readIn('tls_skip_verify_insecure') && parseGoBool(model.str('auth.jwt', 'tls_skip_verify_insecure')) === true,
  };
}

// The settings the walk needs, read from the Grafana model with the `Must*` rules Grafana's reader uses.
import { grafanaKey } from '../grafana/defaults.js';
import { keyIn, parseGoBool, parseGoInt } from '../grafana/ini-values.js';
import type { GrafanaModel } from '../grafana/model-types.js';
import type { JwtSettings } from './steps.js';

/** `MustString(default)`: an empty value means the code default. */
function str(model: GrafanaModel, section: string, key: string): string {
  return model.str(section, key) || (grafanaKey(section, key)?.default ?? '');
}

/** `MustBool(default)`: anything go's `ParseBool` refuses means the default. */
function bool(model: GrafanaModel, section: string, key: string): boolean {
  return parseGoBool(model.str(section, key)) ?? parseGoBool(grafanaKey(section, key)?.default ?? '') ?? false;
}

function int(model: GrafanaModel, section: string, key: string): number {
  return parseGoInt(model.str(section, key)) ?? parseGoInt(grafanaKey(section, key)?.default ?? '') ?? 0;
}

/** `Key.In(default, candidates)`: exact, case-sensitive. */
function oneOf(model: GrafanaModel, section: string, key: string): string {
  const entry = grafanaKey(section, key);
  return keyIn(model.str(section, key), entry?.default ?? '', entry?.values ?? []);
}

export function jwtSettingsOf(model: GrafanaModel): JwtSettings {
  const jwt = (key: string) => str(model, 'auth.jwt', key);
  const jwtBool = (key: string) => bool(model, 'auth.jwt', key);
  return {
    enabled: jwtBool('enabled'),
    headerName: jwt('header_name'),
    usernameClaim: jwt('username_claim'),
    emailClaim: jwt('email_claim'),
    usernameAttributePath: jwt('username_attribute_path'),
    emailAttributePath: jwt('email_attribute_path'),
    expectClaims: jwt('expect_claims'),
    autoSignUp: jwtBool('auto_sign_up'),
    roleAttributePath: jwt('role_attribute_path'),
    roleAttributeStrict: jwtBool('role_attribute_strict'),
    allowAssignGrafanaAdmin: jwtBool('allow_assign_grafana_admin'),
    skipOrgRoleSync: jwtBool('skip_org_role_sync'),
    orgAttributePath: jwt('org_attribute_path'),
    orgMapping: jwt('org_mapping'),
    groupsAttributePath: jwt('groups_attribute_path'),
    autoAssignOrg: bool(model, 'users', 'auto_assign_org'),
    autoAssignOrgId: int(model, 'users', 'auto_assign_org_id'),
    autoAssignOrgRole: oneOf(model, 'users', 'auto_assign_org_role'),
  };
}

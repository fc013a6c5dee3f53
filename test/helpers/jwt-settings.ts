// The [auth.jwt] settings of the compose example as explain's steps take them (src/explain/settings.ts
// jwtSettingsOf), for tests that vary one setting at a time.
import type { JwtSettings } from '../../src/explain/steps.js';

export const BASE_JWT_SETTINGS: Readonly<JwtSettings> = {
  enabled: true,
  headerName: 'X-Pomerium-Jwt-Assertion',
  usernameClaim: '',
  emailClaim: 'email',
  usernameAttributePath: '',
  emailAttributePath: '',
  expectClaims: '{}',
  autoSignUp: true,
  roleAttributePath: '',
  roleAttributeStrict: false,
  allowAssignGrafanaAdmin: false,
  skipOrgRoleSync: false,
  orgAttributePath: '',
  orgMapping: '',
  autoAssignOrg: true,
  autoAssignOrgId: 1,
  autoAssignOrgRole: 'Viewer',
};

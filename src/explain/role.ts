// Org role and server-admin flag from the token, per Grafana version (authn JWT client + OrgRoleMapper).
import { atLeast } from '../grafana/version.js';
import { searchString, searchStringArray } from './jmespath.js';

export interface RoleSettings {
  roleAttributePath: string;
  roleAttributeStrict: boolean;
  allowAssignGrafanaAdmin: boolean;
  skipOrgRoleSync: boolean;
  orgAttributePath: string;
  orgMapping: string;
  autoAssignOrg: boolean;
  autoAssignOrgId: number;
  /** `[users] auto_assign_org_role` after Grafana's `Key.In` (already one of the valid roles). */
  autoAssignOrgRole: string;
}

/** One org the user lands in; `orgId` is a name or `*` when only Grafana's database can resolve it. */
export interface OrgRole {
  orgId: number | string;
  role: string;
}

export interface RoleOutcome {
  ok: boolean;
  detail: string;
  /** The roles Grafana syncs; null when it syncs none (new users then get `auto_assign_org_role`). */
  orgRoles: OrgRole[];
  /** Whether the roles come from the token (false: Grafana's default for new users). */
  fromToken: boolean;
  /** The server-admin flag Grafana sets; null when it leaves it alone. */
  grafanaAdmin: boolean | null;
}

// role_attribute_path and friends arrived in 9.2; org_mapping in 12.0; the `None` role in 10.0 (UNCONFIRMED minor).
const ROLE_MAPPING = '9.2.0';
const ORG_MAPPING = '12.0.0';
const NONE_ROLE = '10.0.0';
const RANK: Record<string, number> = { None: 0, Viewer: 1, Editor: 2, Admin: 3 };

function isValidRole(role: string, version: string): boolean {
  return role === 'None' ? atLeast(version, NONE_ROLE) : role in RANK;
}

/** `cfg.DefaultOrgID()`. */
function defaultOrgId(s: RoleSettings): number {
  return s.autoAssignOrg && s.autoAssignOrgId > 0 ? s.autoAssignOrgId : 1;
}

export function resolveRole(claims: Record<string, unknown>, s: RoleSettings, version: string): RoleOutcome {
  const fallback: OrgRole[] = [{ orgId: defaultOrgId(s), role: s.autoAssignOrgRole }];
  const noSync = (why: string): RoleOutcome => ({
    ok: true,
    detail: `${why}: a new user gets [users] auto_assign_org_role ${s.autoAssignOrgRole} in org ${defaultOrgId(s)}; an existing user keeps their roles`,
    orgRoles: fallback,
    fromToken: false,
    grafanaAdmin: null,
  });
  if (!atLeast(version, ROLE_MAPPING)) return noSync(`Grafana ${version} does not map roles from the JWT (role_attribute_path came in 9.2)`);
  if (s.skipOrgRoleSync) return noSync('skip_org_role_sync = true: no role sync');

  // extractRoleAndAdmin: an unset path, a failed search or a non-string result all give "".
  let role = '';
  let tokenSaysAdmin = false;
  let found = 'role_attribute_path is not set';
  if (s.roleAttributePath !== '') {
    const r = searchString(s.roleAttributePath, claims);
    role = 'value' in r ? r.value : '';
    found = 'value' in r ? `role_attribute_path gives ${JSON.stringify(role)}` : `role_attribute_path fails (${r.error})`;
    if (role === 'GrafanaAdmin') {
      role = 'Admin';
      tokenSaysAdmin = true;
    }
  }
  const grafanaAdmin = s.allowAssignGrafanaAdmin ? tokenSaysAdmin : null;
  const adminNote = tokenSaysAdmin
    ? s.allowAssignGrafanaAdmin
      ? '; GrafanaAdmin: Admin plus Grafana server admin'
      : '; GrafanaAdmin counts as Admin only: allow_assign_grafana_admin is off, so no server admin'
    : '';
  const valid = isValidRole(role, version);
  const strictFailure = (why: string): RoleOutcome => ({
    ok: false,
    detail: `${found}; role_attribute_strict = true: ${why} (Grafana answers 403 "Invalid Role in claim")`,
    orgRoles: [],
    fromToken: false,
    grafanaAdmin: null,
  });

  if (!atLeast(version, ORG_MAPPING)) {
    if (s.roleAttributeStrict && !valid) return strictFailure(`invalid role claim in JWT: ${role}`);
    if (!valid) return noSync(`${found}, not one of Viewer, Editor, Admin${adminNote}`);
    return { ok: true, detail: `${found}${adminNote}`, orgRoles: [{ orgId: defaultOrgId(s), role }], fromToken: true, grafanaAdmin };
  }

  const mapped = mapOrgRoles(claims, s, role, valid, version);
  if ('error' in mapped) return { ok: false, detail: mapped.error, orgRoles: [], fromToken: false, grafanaAdmin: null };
  if (mapped.roles.length === 0) return strictFailure('could not evaluate any valid roles using IdP provided data');
  const fromDefault = mapped.usedDefault && !valid;
  return {
    ok: true,
    detail: `${found}${fromDefault ? `${role === '' ? ':' : ', not a valid role:'} [users] auto_assign_org_role ${s.autoAssignOrgRole} applies` : ''}${mapped.note}${adminNote}`,
    orgRoles: mapped.roles,
    fromToken: !fromDefault,
    grafanaAdmin,
  };
}

/** `OrgRoleMapper.MapOrgRoles` (12.0+): org_mapping when it matches, the direct role merged upwards, else the default org. */
function mapOrgRoles(
  claims: Record<string, unknown>,
  s: RoleSettings,
  role: string,
  valid: boolean,
  version: string,
): { roles: OrgRole[]; usedDefault: boolean; note: string } | { error: string } {
  const defaultRoles: OrgRole[] =
    s.roleAttributeStrict && !valid ? [] : [{ orgId: defaultOrgId(s), role: valid ? role : s.autoAssignOrgRole }];
  const mapping = parseOrgMapping(s.orgMapping, s.roleAttributeStrict, version);
  if (mapping.size === 0) return { roles: defaultRoles, usedDefault: true, note: '' };

  let externalOrgs: string[] = [];
  if (s.orgAttributePath !== '') {
    const r = searchStringArray(s.orgAttributePath, claims);
    if ('error' in r) return { error: `org_attribute_path fails: ${r.error}` };
    externalOrgs = r.value;
  }
  const byOrg = new Map<number | string, string>();
  for (const ext of ['*', ...externalOrgs]) {
    for (const [orgId, mappedRole] of mapping.get(ext) ?? []) byOrg.set(orgId, topRole(byOrg.get(orgId) ?? '', mappedRole));
  }
  const orgsNote = `; org_attribute_path gives ${JSON.stringify(externalOrgs)}`;
  if (byOrg.size === 0) return { roles: defaultRoles, usedDefault: true, note: `${orgsNote}, no org_mapping entry matches` };
  const roles = [...byOrg].map(([orgId, mappedRole]) => ({ orgId, role: role === '' ? mappedRole : topRole(role, mappedRole) }));
  return { roles, usedDefault: false, note: `${orgsNote}, org_mapping gives ${roles.map(describeOrgRole).join(', ')}` };
}

/** `getTopRole`: the higher of two roles; an invalid current role loses. */
function topRole(current: string, other: string): string {
  if (current === '') return other;
  return (RANK[current] ?? -1) >= (RANK[other] ?? -1) ? current : other;
}

/**
 * `ParseOrgMappingSettings` over `util.SplitString` (a JSON array, or items split on commas and spaces):
 * `external:org:Role`, `\:` escapes a colon, a missing or invalid role means Viewer; with strict on, one
 * bad entry empties the whole mapping.
 */
export function parseOrgMapping(raw: string, strict: boolean, version: string): Map<string, Map<number | string, string>> {
  const out = new Map<string, Map<number | string, string>>();
  for (const item of splitString(raw)) {
    const kv = splitOrgMappingItem(item);
    const [ext, org, mappedRole] = kv;
    const bad = kv.length < 2 || kv.length > 3 || org === '' || (strict && !isValidRole(mappedRole ?? '', version));
    if (bad) {
      if (strict) return new Map();
      continue;
    }
    const orgId: number | string = org === '*' ? '*' : /^[+-]?\d+$/.test(org!) ? Number(org) : org!;
    const roles = out.get(ext!) ?? new Map<number | string, string>();
    roles.set(orgId, mappedRole !== undefined && isValidRole(mappedRole, version) ? mappedRole : 'Viewer');
    out.set(ext!, roles);
  }
  return out;
}

function splitString(raw: string): string[] {
  const text = raw.trim();
  if (text.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(text);
      if (Array.isArray(list)) return list.filter((v): v is string => typeof v === 'string');
    } catch {
      return [];
    }
  }
  return text.split(/[\s,]+/).filter((v) => v !== '');
}

function splitOrgMappingItem(item: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < item.length; i++) {
    if (item[i] === ':') {
      parts.push(current);
      current = '';
    } else if (item[i] === '\\' && item[i + 1] === ':') {
      current += ':';
      i++;
    } else {
      current += item[i];
    }
  }
  parts.push(current);
  return parts;
}

export function describeOrgRole(r: OrgRole): string {
  const org = r.orgId === '*' ? 'every org' : typeof r.orgId === 'number' ? `org ${r.orgId}` : `org "${r.orgId}"`;
  return `${r.role} in ${org}`;
}

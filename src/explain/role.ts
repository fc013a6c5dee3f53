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

  // clients/jwt.go Authenticate: extractOrgs runs whenever roles are synced, org_mapping or not; its error rejects.
  let externalOrgs: string[] = [];
  if (s.orgAttributePath !== '') {
    const r = searchStringArray(s.orgAttributePath, claims);
    if ('error' in r) return { ok: false, detail: `org_attribute_path fails: ${r.error} (Grafana rejects the sign-in)`, orgRoles: [], fromToken: false, grafanaAdmin: null };
    externalOrgs = r.value;
  }
  const mapped = mapOrgRoles(externalOrgs, s, role, valid, version);
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
  externalOrgs: string[],
  s: RoleSettings,
  role: string,
  valid: boolean,
  version: string,
): { roles: OrgRole[]; usedDefault: boolean; note: string } {
  const defaultRoles: OrgRole[] =
    s.roleAttributeStrict && !valid ? [] : [{ orgId: defaultOrgId(s), role: valid ? role : s.autoAssignOrgRole }];
  const orgsNote = s.orgAttributePath !== '' ? `; org_attribute_path gives ${JSON.stringify(externalOrgs)}` : '';
  const mapping = parseOrgMapping(s.orgMapping, s.roleAttributeStrict, version);
  if (mapping.size === 0) return { roles: defaultRoles, usedDefault: true, note: orgsNote };

  const byOrg = new Map<number | string, string>();
  for (const ext of ['*', ...externalOrgs]) {
    for (const [orgId, mappedRole] of mapping.get(ext) ?? []) byOrg.set(orgId, topRole(byOrg.get(orgId) ?? '', mappedRole));
  }
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
 * `ParseOrgMappingSettings` over `util.SplitString`: `external:org:Role` items, a missing or invalid
 * role means Viewer, `*` (or `-1`, which strconv.Atoi reads as the same id) maps to every org, an org
 * that is not a number is looked up by name in Grafana's database; with role_attribute_strict, one bad
 * entry empties the whole mapping.
 */
export function parseOrgMapping(raw: string, strict: boolean, version: string): Map<string, Map<number | string, string>> {
  const out = new Map<string, Map<number | string, string>>();
  for (const item of splitString(raw)) {
    const kv = splitOrgMapping(item);
    const [ext, org, mappedRole] = kv;
    const bad = kv.length < 2 || kv.length > 3 || org === '' || (strict && !isValidRole(mappedRole ?? '', version));
    if (bad) {
      if (strict) return new Map();
      continue;
    }
    const id = /^[+-]?\d+$/.test(org!) ? Number(org) : null;
    const orgId: number | string = org === '*' || id === -1 ? '*' : id !== null && Number.isSafeInteger(id) ? id : org!;
    const roles = out.get(ext!) ?? new Map<number | string, string>();
    roles.set(orgId, mappedRole !== undefined && isValidRole(mappedRole, version) ? mappedRole : 'Viewer');
    out.set(ext!, roles);
  }
  return out;
}

/**
 * `util.SplitString`: a JSON list when the text starts with `[` (any decode error gives no items), else
 * the matches of `"[^"]+"|[^,\t\n\v\f\r ]+` with surrounding quotes trimmed, so a double-quoted item
 * keeps its spaces: `"Platform Team:2:Editor"` is one item.
 */
export function splitString(raw: string): string[] {
  if (raw === '') return [];
  if (raw.trim().startsWith('[')) {
    try {
      const list: unknown = JSON.parse(raw);
      if (!Array.isArray(list)) return [];
      // encoding/json into []string: null stays "", any other non-string fails the whole decode.
      if (!list.every((v) => typeof v === 'string' || v === null)) return [];
      return list.map((v) => (v === null ? '' : (v as string)));
    } catch {
      return [];
    }
  }
  return [...raw.matchAll(/"[^"]+"|[^,\t\n\v\f\r ]+/g)].map((m) => m[0].replace(/^"+|"+$/g, ''));
}

/**
 * `splitOrgMapping`: splits on every `:` not preceded by a backslash; each part before a split loses its
 * backslashes, the last part keeps them; more than three parts is no mapping at all.
 */
function splitOrgMapping(item: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < item.length; i++) {
    if (item[i] === ':' && (i === 0 || item[i - 1] !== '\\')) {
      parts.push(item.slice(from, i).replaceAll('\\', ''));
      from = i + 1;
    }
  }
  parts.push(item.slice(from));
  return parts.length > 3 ? [] : parts;
}

export function describeOrgRole(r: OrgRole): string {
  const org =
    r.orgId === '*'
      ? "every org in Grafana's database"
      : typeof r.orgId === 'number'
        ? `org ${r.orgId}`
        : `org "${r.orgId}" (if Grafana's database has an org by that name)`;
  return `${r.role} in ${org}`;
}

/** `{org id: role}` for the JSON output; `*` and org names are kept as the mapping wrote them. */
export function orgRolesObject(roles: OrgRole[]): Record<string, string> {
  return Object.fromEntries(roles.map((r) => [String(r.orgId), r.role]));
}

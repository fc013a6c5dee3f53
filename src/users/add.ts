// `users add`: what Server Admin -> Users -> New user does, through Grafana's API, idempotently. The
// endpoints and their answers follow Grafana's handlers (pkg/api/admin_users.go AdminCreateUser and
// AdminUpdateUserPermissions, pkg/api/user.go GetUserByLoginOrEmail and GetUserOrgList,
// pkg/api/org_users.go AddOrgUser and UpdateOrgUser).
import { randomBytes } from 'node:crypto';
import { UserError } from '../core/errors.js';
import { forbidden, GrafanaHttpError, type GrafanaApi } from './grafana-api.js';

export const ORG_ROLES = ['Viewer', 'Editor', 'Admin'] as const;
export type OrgRole = (typeof ORG_ROLES)[number] | 'None';

export interface AddRequest {
  email: string;
  name?: string;
  login?: string;
  /** Absent: keep the role Grafana gives (auto_assign_org_role) or the user has. */
  role?: OrgRole;
  grafanaAdmin: boolean;
  orgId: number;
  dryRun: boolean;
}

/** The user as `GET /api/users/lookup` gives it (UserProfileDTO's JSON names). */
export interface GrafanaUser {
  id: number;
  email: string;
  login: string;
  name: string;
  isGrafanaAdmin: boolean;
  isDisabled: boolean;
}

/** One entry of `GET /api/users/:id/orgs` (UserOrgDTO). */
export interface UserOrg {
  orgId: number;
  name: string;
  role: string;
}

/** What was done (or, with --dry-run, would be done), in order. */
export interface AddOutcome {
  user: GrafanaUser | null;
  created: boolean;
  lines: string[];
  changed: boolean;
}

/** Users are found by login or email, as Grafana's own GetByLogin does. Null on 404. */
export async function lookupUser(api: GrafanaApi, loginOrEmail: string, credentialsFrom: string): Promise<GrafanaUser | null> {
  try {
    const res = await api.request('GET', `/api/users/lookup?loginOrEmail=${encodeURIComponent(loginOrEmail)}`);
    return userOf(res.json);
  } catch (err) {
    if (err instanceof GrafanaHttpError && err.status === 404) return null;
    throw asUserError(err, credentialsFrom);
  }
}

function userOf(json: unknown): GrafanaUser {
  const o = (json ?? {}) as Record<string, unknown>;
  return {
    id: Number(o.id),
    email: String(o.email ?? ''),
    login: String(o.login ?? ''),
    name: String(o.name ?? ''),
    isGrafanaAdmin: o.isGrafanaAdmin === true,
    isDisabled: o.isDisabled === true,
  };
}

/** A Grafana answer the caller did not expect, as one message (403 worded for a non-admin account). */
export function asUserError(err: unknown, credentialsFrom: string): unknown {
  if (!(err instanceof GrafanaHttpError)) return err;
  if (err.status === 403) return forbidden(err, credentialsFrom);
  return new UserError(`Grafana refused ${err.method} ${new URL(err.url).pathname}: HTTP ${err.status}${err.grafanaMessage ? ` (${err.grafanaMessage})` : ''}`);
}

/**
 * A password nobody will type: the user signs in through Pomerium. Long and mixed so that Grafana's
 * optional strong-password policy ([auth.basic] password_policy) accepts it too.
 */
function unusablePassword(): string {
  return `${randomBytes(24).toString('base64url')}aA1!`;
}

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export async function addUser(api: GrafanaApi, req: AddRequest, credentialsFrom: string): Promise<AddOutcome> {
  const lines: string[] = [];
  const would = (text: string) => (req.dryRun ? `would ${text}` : text);
  let changed = false;
  const call = async (method: 'POST' | 'PATCH' | 'PUT' | 'GET', path: string, body?: unknown) => {
    try {
      return await api.request(method, path, body);
    } catch (err) {
      throw asUserError(err, credentialsFrom);
    }
  };

  let user = await lookupUser(api, req.email, credentialsFrom);
  if (user && !sameEmail(user.email, req.email)) {
    throw new UserError(`${req.email} is the login of another Grafana user (id ${user.id}, email ${user.email || '(none)'})`, {
      hint: 'Grafana finds JWT users by login or email: change that user\'s login, or add this person with the email the identity provider sends',
    });
  }
  if (user && req.login !== undefined && user.login !== req.login) {
    throw new UserError(`the email ${req.email} is taken by another login: Grafana user ${JSON.stringify(user.login)} (id ${user.id}) has it`, {
      hint: `leave out --login to keep ${JSON.stringify(user.login)}, or change that user's login in Grafana first`,
    });
  }
  if (!user && req.login !== undefined) {
    const byLogin = await lookupUser(api, req.login, credentialsFrom);
    if (byLogin) {
      throw new UserError(`the login ${JSON.stringify(req.login)} is taken by another Grafana user (id ${byLogin.id}, email ${byLogin.email || '(none)'})`, {
        hint: 'choose another --login, or leave it out (the login is then the email)',
      });
    }
  }

  let orgs: UserOrg[] = [];
  let created = false;
  if (user) {
    lines.push(`user ${req.email}: exists (id ${user.id}, login ${user.login})`);
    orgs = orgsOf((await call('GET', `/api/users/${user.id}/orgs`)).json);
  } else if (req.dryRun) {
    lines.push(`user ${req.email}: would create (login ${req.login ?? req.email}, a random password nobody sees: sign-in is through Pomerium)`);
  } else {
    const body = { email: req.email, login: req.login ?? '', name: req.name ?? '', password: unusablePassword(), OrgId: req.orgId };
    let id: number;
    try {
      id = Number(((await api.request('POST', '/api/admin/users', body)).json as { id?: unknown }).id);
    } catch (err) {
      if (err instanceof GrafanaHttpError && err.status === 412) {
        throw new UserError(`Grafana says the email or login is taken: ${err.grafanaMessage}`, { hint: 'find the user under Server Admin -> Users and fix its email or login' });
      }
      if (err instanceof GrafanaHttpError && err.status === 400 && /org/i.test(err.grafanaMessage)) {
        throw new UserError(`Grafana has no organization ${req.orgId} (HTTP 400: ${err.grafanaMessage})`, { hint: 'pass --org with an existing organization id (Server Admin -> Organizations)' });
      }
      throw asUserError(err, credentialsFrom);
    }
    created = true;
    changed = true;
    user = (await lookupUser(api, req.email, credentialsFrom)) ?? { id, email: req.email, login: req.login ?? req.email, name: req.name ?? '', isGrafanaAdmin: false, isDisabled: false };
    lines.push(`user ${req.email}: created (id ${user.id}, login ${user.login}; a random password nobody sees: sign-in is through Pomerium)`);
    orgs = orgsOf((await call('GET', `/api/users/${user.id}/orgs`)).json);
  }

  const member = orgs.find((o) => o.orgId === req.orgId);
  if (!user || !member) {
    // Not in the org yet (or not created yet, under --dry-run): add with the role asked, else Viewer.
    const role = req.role ?? 'Viewer';
    if (user && !req.dryRun) await call('POST', `/api/orgs/${req.orgId}/users`, { loginOrEmail: user.login, role });
    if (user || req.role !== undefined) {
      lines.push(`org ${req.orgId} role: ${role} (${user ? (req.dryRun ? 'would add to the org' : 'added to the org') : would('set')})`);
      changed = true;
    } else {
      lines.push(`org ${req.orgId} role: as Grafana's [users] auto_assign_org_role says (Viewer by default)`);
    }
  } else if (req.role !== undefined && member.role !== req.role) {
    if (!req.dryRun) await call('PATCH', `/api/orgs/${req.orgId}/users/${user.id}`, { role: req.role });
    lines.push(`org ${req.orgId} role: ${req.role} (${req.dryRun ? 'would change from' : 'was'} ${member.role})`);
    changed = true;
  } else {
    lines.push(`org ${req.orgId} role: ${member.role} (${created ? "as Grafana's [users] auto_assign_org_role gave it" : 'unchanged'})`);
  }

  if (req.grafanaAdmin) {
    if (user?.isGrafanaAdmin) lines.push('server admin: yes (unchanged)');
    else {
      if (user && !req.dryRun) await call('PUT', `/api/admin/users/${user.id}/permissions`, { isGrafanaAdmin: true });
      lines.push(`server admin: yes (${req.dryRun ? 'would grant' : 'granted'})`);
      changed = true;
    }
  }
  if (user?.isDisabled) lines.push(`note: this user is disabled in Grafana; Grafana refuses a disabled user's sign-in: enable it under Server Admin -> Users`);
  if (!changed) lines.push('nothing to change');
  else if (req.dryRun) lines.push('dry run: nothing was changed');
  return { user, created, lines, changed };
}

function orgsOf(json: unknown): UserOrg[] {
  return Array.isArray(json) ? json.map((o) => ({ orgId: Number(o?.orgId), name: String(o?.name ?? ''), role: String(o?.role ?? '') })) : [];
}

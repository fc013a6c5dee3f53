// A stand-in for the few Grafana HTTP API endpoints `users` (and `smoke`) call, for tests and the docs'
// transcripts: no Grafana can be installed here. Each handler follows the Grafana handler named beside
// it (read in grafana/grafana main, 2025-2026: pkg/api/admin_users.go, pkg/api/user.go,
// pkg/api/org_users.go; the route table and permissions in pkg/api/api.go and
// pkg/services/accesscontrol/models.go; 401/403 bodies in pkg/middleware/auth.go `unauthorized`,
// pkg/services/authn/clients/password.go and pkg/services/accesscontrol/middleware.go `deny`):
// paths, status codes, JSON field names and messages.
//
// What it does NOT model (honestly): RBAC beyond "server admin" and "org Admin of one org"; the
// access-control ids in 403 bodies are random as Grafana's are but the permission text is Grafana's
// action name only (no scope); sessions, cookies, CSRF; email verification; quotas; teams; the
// case_insensitive_login switch (logins and emails always compare case-insensitively here);
// externally synced users (UpdateOrgUser refuses to change their role in Grafana); the JWT sign-in
// itself (smoke's stand-in behaviour is a separate, declared model: see `jwtSignIn`).
import { randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startServer, type TestServer } from '../helpers/https-server.js';
import type { KeyPair } from '../helpers/tls.js';

export interface StandinUser {
  id: number;
  email: string;
  login: string;
  name: string;
  password: string;
  isGrafanaAdmin: boolean;
  isDisabled: boolean;
  /** org id -> role */
  orgs: Map<number, string>;
}

export interface StandinOptions {
  tls?: KeyPair | null;
  /** [users] auto_assign_org_role: the role a created user gets in its org (Grafana's default: Viewer). */
  autoAssignOrgRole?: string;
  /** Service account tokens: token -> org it is an Admin of (never a server admin: Grafana's service accounts cannot be). */
  tokens?: Record<string, number>;
  /**
   * How the stand-in signs in a request carrying X-Pomerium-Jwt-Assertion (for smoke): a declared
   * model, not Grafana's code. Returns the login/email to look up and whether to create the user, or a refusal.
   */
  jwtSignIn?: (assertion: string) => { email: string; autoSignUp: boolean; role?: string } | { refuse: string };
}

export interface Standin extends TestServer {
  users: StandinUser[];
  orgs: Map<number, string>;
  /** Requests with method and body, in order (the Authorization header is kept only as its scheme). */
  calls: { method: string; path: string; body: unknown; auth: string }[];
  reset(): void;
}

const ROLES = ['None', 'Viewer', 'Editor', 'Admin'];
const RANK: Record<string, number> = { None: 0, Viewer: 1, Editor: 2, Admin: 3 };

/** The seed: Grafana's first admin (login admin, id 1, server admin, Admin of the Main Org.) and one Viewer. */
function seedUsers(): StandinUser[] {
  return [
    { id: 1, email: 'admin@localhost', login: 'admin', name: '', password: 'admin-password', isGrafanaAdmin: true, isDisabled: false, orgs: new Map([[1, 'Admin']]) },
    { id: 2, email: 'viewer@example.com', login: 'viewer', name: 'Viewer', password: 'viewer-password', isGrafanaAdmin: false, isDisabled: false, orgs: new Map([[1, 'Viewer']]) },
  ];
}

type Identity = { kind: 'user'; user: StandinUser } | { kind: 'service-account'; orgId: number };

export async function startGrafanaStandin(options: StandinOptions = {}): Promise<Standin> {
  const state = { users: seedUsers(), orgs: new Map([[1, 'Main Org.']]), nextId: 3 };
  const calls: Standin['calls'] = [];
  const autoRole = options.autoAssignOrgRole ?? 'Viewer';
  const tokens = options.tokens ?? { 'glsa_standin_org_admin_token': 1 };

  const server = await startServer(options.tls ?? null, (req, res) => {
    void readBody(req).then((text) => {
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = undefined; // web.Bind fails: "bad request data"
      }
      const url = new URL(req.url ?? '/', 'http://standin');
      const auth = String(req.headers.authorization ?? '').split(' ')[0] ?? '';
      calls.push({ method: req.method ?? 'GET', path: url.pathname + url.search, body, auth });
      handle(req, res, url, body);
    });
  });

  const findByLoginOrEmail = (text: string) => {
    const t = text.trim().toLowerCase();
    // userimpl GetByLogin: by login first, then by email.
    return state.users.find((u) => u.login.toLowerCase() === t) ?? state.users.find((u) => u.email.toLowerCase() === t);
  };

  function identify(req: IncomingMessage): Identity | { error: [number, unknown] } | null {
    const header = req.headers.authorization;
    if (!header) return null;
    const [scheme, value = ''] = header.split(' ');
    if (scheme === 'Basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = findByLoginOrEmail(decoded.slice(0, colon));
      if (user && colon > 0 && user.password === decoded.slice(colon + 1) && !user.isDisabled) return { kind: 'user', user };
      // errutil public error of authn's password client (password.go errPasswordAuthFailed), written by `unauthorized`.
      return { error: [401, { message: 'Invalid username or password', messageId: 'password-auth.failed', statusCode: 401, traceID: '' }] };
    }
    if (scheme === 'Bearer' && value in tokens) return { kind: 'service-account', orgId: tokens[value]! };
    // UNCONFIRMED: the message of authn's API key client for an unknown token.
    return { error: [401, { message: 'Invalid API key', messageId: 'api-key.invalid', statusCode: 401, traceID: '' }] };
  }

  const isServerAdmin = (who: Identity) => who.kind === 'user' && who.user.isGrafanaAdmin;
  const orgRoleOf = (who: Identity, orgId: number) => (who.kind === 'user' ? who.user.orgs.get(orgId) ?? 'None' : who.orgId === orgId ? 'Admin' : 'None');

  function handle(req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): void {
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    const error = (status: number, message: string) => send(status, { message }); // response.Error
    const method = req.method ?? 'GET';
    const path = url.pathname;

    const assertion = req.headers['x-pomerium-jwt-assertion'];
    if (typeof assertion === 'string' && options.jwtSignIn && path.startsWith('/api/user')) return jwtRoutes(assertion, method, path, send);

    const found = identify(req);
    // pkg/middleware/auth.go unauthorized: API requests get 401 with the lookup error, or "Unauthorized".
    if (found === null) return send(401, { message: 'Unauthorized' });
    if ('error' in found) return send(...found.error);
    const who = found;
    // pkg/services/accesscontrol/middleware.go deny: 403 with title, message and an ACE id.
    const deny = (action: string) =>
      send(403, {
        title: 'Access denied',
        message: `You'll need additional permissions to perform this action. Permissions needed: ${action}`,
        accessErrorId: `ACE${randomInt(1e9, 1e10)}`,
      });

    let m: RegExpExecArray | null;
    // GET /api/users/lookup: pkg/api/user.go GetUserByLoginOrEmail (users:read, global scope).
    if (method === 'GET' && path === '/api/users/lookup') {
      if (!isServerAdmin(who)) return deny('users:read');
      const user = findByLoginOrEmail(url.searchParams.get('loginOrEmail') ?? '');
      if (!user) return error(404, 'user not found'); // user.ErrUserNotFound
      return send(200, profileOf(user));
    }
    // GET /api/users/:id/orgs: pkg/api/user.go GetUserOrgList (users:read); UserOrgDTO {orgId, name, role}.
    if (method === 'GET' && (m = /^\/api\/users\/([^/]+)\/orgs$/.exec(path))) {
      if (!isServerAdmin(who)) return deny('users:read');
      if (!/^-?\d+$/.test(m[1]!)) return error(400, 'id is invalid');
      const user = state.users.find((u) => u.id === Number(m![1]));
      return send(200, user ? [...user.orgs].map(([orgId, role]) => ({ orgId, name: state.orgs.get(orgId) ?? '', role })) : []);
    }
    // POST /api/admin/users: pkg/api/admin_users.go AdminCreateUser (users:create).
    if (method === 'POST' && path === '/api/admin/users') {
      if (!isServerAdmin(who)) return deny('users:create');
      if (body === undefined || typeof body !== 'object' || body === null) return error(400, 'bad request data');
      const form = body as { email?: string; login?: string; name?: string; password?: string; OrgId?: number };
      const email = (form.email ?? '').trim();
      const formLogin = (form.login ?? '').trim();
      const login = formLogin || email;
      if (!login) return error(400, 'Validation error, need specify either username or email');
      if ((form.password ?? '').length < 4) return error(400, 'Password is missing or too short');
      const orgId = form.OrgId ?? 0;
      // UNCONFIRMED: org.ErrOrgNotFound's text, passed through as err.Error().
      if (orgId !== 0 && !state.orgs.has(orgId)) return error(400, 'organization not found');
      if (state.users.some((u) => u.login.toLowerCase() === login.toLowerCase() || (email && u.email.toLowerCase() === email.toLowerCase()))) {
        return error(412, `User with email '${email}' or username '${formLogin}' already exists`);
      }
      const user: StandinUser = {
        id: state.nextId++,
        email,
        login,
        name: form.name ?? '',
        password: form.password!,
        isGrafanaAdmin: false,
        isDisabled: false,
        // UNCONFIRMED detail: a given OrgId (or auto_assign_org_id 1) gets auto_assign_org_role.
        orgs: new Map([[orgId || 1, autoRole]]),
      };
      state.users.push(user);
      return send(200, { id: user.id, message: 'User created' }); // user.AdminCreateUserResponse
    }
    // PUT /api/admin/users/:id/permissions: pkg/api/admin_users.go AdminUpdateUserPermissions (users.permissions:write).
    if (method === 'PUT' && (m = /^\/api\/admin\/users\/([^/]+)\/permissions$/.exec(path))) {
      if (!isServerAdmin(who)) return deny('users.permissions:write');
      if (body === undefined || typeof body !== 'object' || body === null) return error(400, 'bad request data');
      if (!/^-?\d+$/.test(m[1]!)) return error(400, 'id is invalid');
      const user = state.users.find((u) => u.id === Number(m![1]));
      if (!user) return error(500, 'Failed to update user permissions');
      const want = (body as { isGrafanaAdmin?: boolean }).isGrafanaAdmin === true;
      if (!want && user.isGrafanaAdmin && state.users.filter((u) => u.isGrafanaAdmin).length === 1) return error(400, 'cannot remove last grafana admin'); // UNCONFIRMED text
      user.isGrafanaAdmin = want;
      return error(200, 'User permissions updated'); // response.Success
    }
    // POST /api/orgs/:orgId/users: pkg/api/org_users.go AddOrgUser -> addOrgUserHelper (org.users:add).
    if (method === 'POST' && (m = /^\/api\/orgs\/([^/]+)\/users$/.exec(path))) {
      if (!/^-?\d+$/.test(m[1]!)) return error(400, 'orgId is invalid');
      const orgId = Number(m[1]);
      if (!isServerAdmin(who) && orgRoleOf(who, orgId) !== 'Admin') return deny('org.users:add');
      const cmd = (body ?? {}) as { loginOrEmail?: string; role?: string };
      if (!ROLES.includes(cmd.role ?? '')) return error(400, 'Invalid role specified');
      if (!isServerAdmin(who) && RANK[orgRoleOf(who, orgId)]! < RANK[cmd.role!]!) return error(403, "Cannot assign a role higher than user's role");
      const user = findByLoginOrEmail(cmd.loginOrEmail ?? '');
      if (!user) return error(404, 'User not found');
      if (user.orgs.has(orgId)) return send(409, { message: 'User is already member of this organization', userId: user.id });
      user.orgs.set(orgId, cmd.role!);
      return send(200, { message: 'User added to organization', userId: user.id });
    }
    // PATCH /api/orgs/:orgId/users/:userId: pkg/api/org_users.go UpdateOrgUser -> updateOrgUserHelper (org.users:write).
    if (method === 'PATCH' && (m = /^\/api\/orgs\/([^/]+)\/users\/([^/]+)$/.exec(path))) {
      if (body === undefined) return error(400, 'bad request data');
      if (!/^-?\d+$/.test(m[1]!)) return error(400, 'orgId is invalid');
      if (!/^-?\d+$/.test(m[2]!)) return error(400, 'userId is invalid');
      const orgId = Number(m[1]);
      if (!isServerAdmin(who) && orgRoleOf(who, orgId) !== 'Admin') return deny('org.users:write');
      const role = (body as { role?: string } | null)?.role ?? '';
      if (!ROLES.includes(role)) return error(400, 'Invalid role specified');
      if (!isServerAdmin(who) && RANK[orgRoleOf(who, orgId)]! < RANK[role]!) return error(403, "Cannot assign a role higher than user's role");
      const user = state.users.find((u) => u.id === Number(m![2]));
      // UNCONFIRMED: orgimpl's store answers org.ErrOrgUserNotFound for a non-member, which the handler turns into a 500.
      if (!user || !user.orgs.has(orgId)) return error(500, 'Failed update org user');
      const admins = state.users.filter((u) => u.orgs.get(orgId) === 'Admin');
      if (user.orgs.get(orgId) === 'Admin' && role !== 'Admin' && admins.length === 1) return error(400, 'Cannot change role so that there is no organization admin left');
      user.orgs.set(orgId, role);
      return error(200, 'Organization user updated');
    }
    // Grafana's API answers unknown routes with 404 (UNCONFIRMED body).
    return error(404, 'Not found');
  }

  /** GET /api/user and /api/user/orgs for a JWT-signed request: the declared `jwtSignIn` model, then pkg/api/user.go GetSignedInUser / GetSignedInUserOrgList. */
  function jwtRoutes(assertion: string, method: string, path: string, send: (status: number, json: unknown) => void): void {
    const outcome = options.jwtSignIn!(assertion);
    if ('refuse' in outcome) return send(401, { message: outcome.refuse });
    let user = findByLoginOrEmail(outcome.email);
    if (!user) {
      if (!outcome.autoSignUp) return send(401, { message: 'Sign up is disabled', messageId: 'user.sync.signup-disabled', statusCode: 401, traceID: '' }); // UNCONFIRMED messageId
      user = { id: state.nextId++, email: outcome.email, login: outcome.email, name: '', password: '', isGrafanaAdmin: false, isDisabled: false, orgs: new Map([[1, outcome.role ?? autoRole]]) };
      state.users.push(user);
    } else if (outcome.role) user.orgs.set(1, outcome.role);
    if (method !== 'GET') return send(404, { message: 'Not found' });
    if (path === '/api/user') return send(200, profileOf(user));
    if (path === '/api/user/orgs') return send(200, [...user.orgs].map(([orgId, role]) => ({ orgId, name: state.orgs.get(orgId) ?? '', role })));
    return send(404, { message: 'Not found' });
  }

  function profileOf(user: StandinUser) {
    // user.UserProfileDTO's JSON names, as GetUserByLoginOrEmail fills them.
    return {
      id: user.id,
      uid: `standin-${user.id}`,
      email: user.email,
      name: user.name,
      login: user.login,
      theme: '',
      orgId: [...user.orgs.keys()][0] ?? 0,
      isGrafanaAdmin: user.isGrafanaAdmin,
      isDisabled: user.isDisabled,
      isExternal: false,
      isExternallySynced: false,
      isGrafanaAdminExternallySynced: false,
      authLabels: null,
      updatedAt: '2026-01-01T00:00:00Z',
      createdAt: '2026-01-01T00:00:00Z',
      avatarUrl: '',
    };
  }

  return Object.assign(server, {
    users: state.users,
    orgs: state.orgs,
    calls,
    reset() {
      state.users.splice(0, state.users.length, ...seedUsers());
      state.nextId = 3;
      calls.length = 0;
    },
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

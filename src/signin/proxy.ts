// Grafana's auth proxy as the sign-in path (pkg/services/authn/clients/proxy.go and grafana.go, and
// pkg/setting's auth proxy reader, grafana/grafana main): the whitelist is parsed when Grafana starts
// (a bad one leaves the proxy off), the user comes from one header (`header_name`, read with Go's
// canonical header lookup) as a login or an email (`header_property`), `headers` adds Name, Email,
// Login, Role and Groups. Pomerium sends only the headers `jwt_claims_headers` maps, and only with
// `pass_identity_headers`; the value of each is the JWT claim it names.
import { canonicalHeaderKey, POMERIUM_JWT_HEADER } from '../explain/token.js';
import { parseGoBool } from '../grafana/ini-values.js';
import { jwtClaimsFor } from '../pomerium/jwt.js';
import type { PomeriumModel, PomeriumRoute } from '../pomerium/model-types.js';
import { effectivePassIdentityHeaders } from '../pomerium/routes.js';
import { grafanaPlace } from './responsible.js';
import type { SignIn, SignInInput, SignInStep } from './simulate.js';

/** `parseAcceptList` + `coerceProxyAddress`: the networks, or Grafana's error for the first entry it cannot parse. */
export function parseWhitelist(text: string): { networks: string[] } | { error: string; entry: string } {
  if (text.trim() === '') return { networks: [] };
  const networks: string[] = [];
  for (const raw of text.split(',')) {
    const addr = raw.trim();
    // path.Join(addr, "32") for an entry without '/': "" and "." become "32".
    const cidr = addr.includes('/') ? addr : addr === '' || addr === '.' ? '32' : `${addr}/32`;
    if (!isGoCidr(cidr)) return { error: `could not parse the network: invalid CIDR address: ${cidr}`, entry: addr };
    networks.push(cidr);
  }
  return { networks };
}

/** Go's `net.ParseCIDR`: an IPv4 or IPv6 address (no zone), '/', decimal digits within the address size. */
function isGoCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const ip = text.slice(0, slash);
  const mask = text.slice(slash + 1);
  if (!/^\d+$/.test(mask) || ip.includes('%')) return false;
  // node:net on first use (loaded at start it costs every doctor run ~2 ms).
  const { isIPv4, isIPv6 } = process.getBuiltinModule('node:net');
  const bits = isIPv4(ip) ? 32 : isIPv6(ip) ? 128 : 0;
  return bits > 0 && Number(mask) <= bits;
}

/** `headers = Name:X-Name Role:X-Role` (util.SplitString, then SplitN on the first ':'). */
export function proxyHeaderMap(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const trimmed = text.trim();
  let items: string[];
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      items = Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
    } catch {
      items = [];
    }
  } else {
    items = trimmed.split(/[\s,]+/).filter(Boolean);
  }
  for (const item of items) {
    const colon = item.indexOf(':');
    if (colon >= 0) out[item.slice(0, colon)] = item.slice(colon + 1);
  }
  return out;
}

/** What Pomerium sends to the upstream on this route, by canonical header name -> the claim it carries. */
export function headersPomeriumSends(pomerium: PomeriumModel, route: PomeriumRoute): Map<string, string> | null {
  if (!effectivePassIdentityHeaders(pomerium, route).value) return null;
  const sent = new Map<string, string>([[POMERIUM_JWT_HEADER, '(the signed JWT)']]);
  for (const [header, claim] of Object.entries(pomerium.jwtClaimsHeaders?.value ?? {})) sent.set(canonicalHeaderKey(header), claim);
  return sent;
}

export interface ProxyHeaderCheck {
  ok: boolean;
  detail: string;
  /** The claim the header carries, when Pomerium sends it. */
  claim: string | null;
}

/** Whether Pomerium sends `header` on the route, and with which claim. */
export function checkProxyHeader(pomerium: PomeriumModel, route: PomeriumRoute, header: string, setting: string): ProxyHeaderCheck {
  const wanted = canonicalHeaderKey(header);
  const sent = headersPomeriumSends(pomerium, route);
  if (sent === null) {
    return { ok: false, claim: null, detail: `${setting} reads ${wanted}, but Pomerium sends no identity headers on this route (pass_identity_headers is not true)` };
  }
  const claim = sent.get(wanted);
  if (claim === '(the signed JWT)') {
    return { ok: false, claim: null, detail: `${setting} reads ${wanted}, which carries Pomerium's signed JWT, not a user name: Grafana would take the whole token as the user, a new one every few minutes` };
  }
  if (claim === undefined) {
    const list = [...sent.keys()].filter((h) => h !== POMERIUM_JWT_HEADER);
    const names = list.length ? `it sends ${list.join(', ')}` : 'jwt_claims_headers maps no claim to a header';
    return { ok: false, claim: null, detail: `${setting} reads ${wanted}, a header Pomerium never sends on this route (${names}; list the claim in jwt_claims_headers, e.g. \`jwt_claims_headers: {${wanted}: email}\`)` };
  }
  return { ok: true, claim, detail: `${setting} reads ${wanted}, which Pomerium fills with the ${claim} claim` };
}

function claimValue(input: SignInInput, claim: string): string | null {
  const { user } = input;
  switch (claim) {
    case 'email':
      return user.email;
    case 'sub':
    case 'user':
      return user.sub;
    case 'groups':
      return user.groups.join(',');
    case 'name':
      return user.name || null;
    default:
      return user.claims[claim] ?? (jwtClaimsFor(input.pomerium, input.pomeriumVersion).extras.includes(claim) ? null : '');
  }
}

const RANK = ['None', 'Viewer', 'Editor', 'Admin'];

/** The auth proxy's steps for the simulated user, in the order Grafana meets them. */
export function simulateProxy(input: SignInInput): SignIn['explanation'] {
  const { grafana, pomerium, route } = input;
  const steps: SignInStep[] = [];
  const str = (key: string) => grafana.effective('auth.proxy', key);
  const place = (key: string) => grafanaPlace(grafana, 'auth.proxy', key);
  const step = (s: Omit<SignInStep, 'responsible' | 'idpClaims'> & Partial<SignInStep>): SignInStep => ({ responsible: null, idpClaims: [], ...s });

  const whitelist = parseWhitelist(grafana.str('auth.proxy', 'whitelist'));
  steps.push(
    'error' in whitelist
      ? step({ step: 'whitelist', ok: false, detail: `Grafana cannot parse [auth.proxy] whitelist (${whitelist.error}): it logs "Failed to configure auth proxy" and leaves the auth proxy off`, responsible: place('whitelist') })
      : step({ step: 'whitelist', ok: true, detail: whitelist.networks.length ? `Grafana takes the header only from ${whitelist.networks.join(', ')} (Pomerium's address must be among them)` : 'no whitelist: Grafana takes the header from any address' }),
  );

  const headerName = str('header_name');
  const header = checkProxyHeader(pomerium, route, headerName, '[auth.proxy] header_name');
  const value = header.claim === null ? null : claimValue(input, header.claim);
  steps.push(
    !header.ok
      ? step({ step: 'header', ok: false, detail: `${header.detail}: the auth proxy skips every request and Grafana shows its login page`, responsible: place('header_name') })
      : value === null
        ? step({ step: 'header', ok: false, detail: `${header.detail}, which the IdP may not provide: without it the header is empty and Grafana shows its login page`, responsible: place('header_name'), idpClaims: [header.claim!] })
        : value === ''
          ? step({ step: 'header', ok: false, detail: `${header.detail}, which is empty for this user: Grafana answers "no username provided in auth proxy header"`, responsible: place('header_name') })
          : step({ step: 'header', ok: true, detail: `${header.detail}: ${JSON.stringify(value)}` }),
  );

  const property = str('header_property');
  let login = '';
  let email = '';
  if (property === 'username') {
    login = value ?? '';
    email = /^[^\s@<>]+@[^\s@<>]+$/.test(login) ? login : ''; // net/mail.ParseAddress on a bare address
  } else if (property === 'email') {
    login = value ?? '';
    email = login;
  }
  const extra = proxyHeaderMap(grafana.str('auth.proxy', 'headers'));
  const extraValue = (field: string): string | null => {
    const h = extra[field];
    if (!h) return null;
    const c = checkProxyHeader(pomerium, route, h, `headers ${field}`);
    return c.claim === null ? null : claimValue(input, c.claim) || null;
  };
  const name = extraValue('Name') ?? '';
  email = extraValue('Email') ?? email;
  login = extraValue('Login') ?? login;
  steps.push(
    property === 'username' || property === 'email'
      ? step({ step: 'header_property', ok: true, detail: `header_property = ${property}: login ${JSON.stringify(login)}, email ${JSON.stringify(email)}` })
      : step({
          step: 'header_property',
          ok: false,
          detail: `Grafana answers "invalid auth proxy header property, expected username or email but got: ${property}"`,
          responsible: place('header_property'),
        }),
  );

  const users = (key: string) => grafana.effective('users', key);
  const orgId = parseGoBool(users('auto_assign_org')) !== false && Number(users('auto_assign_org_id')) > 0 ? Number(users('auto_assign_org_id')) : 1;
  const defaultRole = RANK.includes(users('auto_assign_org_role')) ? users('auto_assign_org_role') : 'Viewer';
  const headerRole = extraValue('Role');
  const roleFromHeader = headerRole !== null && RANK.includes(headerRole);
  const role = roleFromHeader ? headerRole! : defaultRole;
  steps.push(
    step({
      step: 'role',
      ok: true,
      detail: roleFromHeader ? `role ${role} from the Role header` : `no valid Role header: a new user gets [users] auto_assign_org_role ${defaultRole} in org ${orgId}; an existing user keeps their roles`,
    }),
  );
  const signUp = parseGoBool(str('auto_sign_up')) !== false;
  // sync_ttl: minutes the proxy caches header -> user (Hook in proxy.go); enable_login_token: a session cookie too.
  const syncTtl = str('sync_ttl');
  const loginToken = parseGoBool(str('enable_login_token')) === true;
  const session = `; Grafana caches the user for sync_ttl ${syncTtl} minutes${loginToken ? ', and enable_login_token = true also gives the browser a Grafana session cookie' : ''}`;
  steps.push(
    step({
      step: 'sign-up',
      ok: true,
      detail: (signUp ? 'auto_sign_up = true (the default): a user Grafana does not know yet is created' : 'auto_sign_up is off: a user Grafana does not know yet is refused') + session,
      responsible: place('auto_sign_up'),
    }),
  );

  const failed = steps.find((s) => !s.ok);
  const base = { login: login || null, email: email || null, name: name || null, header: null, claims: null, steps };
  if (failed) {
    const lead = failed.step === 'header' || failed.step === 'whitelist' ? 'Grafana never signs anyone in through its auth proxy' : 'Grafana rejects the auth proxy sign-in';
    return { verdict: 'rejected', summary: `${lead}: ${failed.detail}`, ...base, role: null, orgId: null, grafanaAdmin: false };
  }
  const who = `${email || login} (login ${login})`;
  const roleText = roleFromHeader ? `${role} in org ${orgId}` : `${role} in org ${orgId} (auto_assign_org_role, for a new user)`;
  const condition = signUp ? '' : ', if that user exists already';
  return { verdict: 'accepted', summary: `Grafana signs in ${who} as ${roleText} through its auth proxy${condition}`, ...base, role, orgId, grafanaAdmin: false };
}

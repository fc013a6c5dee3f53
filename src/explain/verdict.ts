// The one-line verdict and the JSON shape of `explain --json`.
import { describeOrgRole, orgRolesObject } from './role.js';
import { walkToken, type ExplainInput, type Outcome, type Step, type StepId, type Walk } from './steps.js';

export interface Explanation {
  verdict: 'accepted' | 'rejected';
  /** The verdict line: `Grafana signs in …`, `Grafana rejects this token: …`, `Grafana skips this token: …`. */
  summary: string;
  login: string | null;
  email: string | null;
  name: string | null;
  role: string | null;
  orgId: number | string | null;
  /** True only when Grafana makes the user a server admin (see grafanaAdminSync for the three states). */
  grafanaAdmin: boolean;
  steps: Step[];
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  /** never-sees / skipped (falls through to the next sign-in method) / rejected / accepted. */
  outcome?: Outcome;
  /** Every org the user lands in, `{org id: role}`; null when not signed in. */
  orgRoles?: Record<string, string> | null;
  /** The server-admin flag Grafana sets: null leaves it alone, false removes it, true grants it. */
  grafanaAdminSync?: boolean | null;
  /** Groups from groups_attribute_path, when it is set. */
  groups?: string[] | null;
  /** What a lint would say about the key set; never part of the verdict. */
  advice?: string[];
}

// The order in which Grafana meets the failures, for a walk that does not say which step decides.
const GRAFANA_ORDER: StepId[] = ['header', 'token', 'sub', 'key', 'signature', 'expect_claims', 'time', 'groups', 'role', 'login/email'];

export function explainToken(input: ExplainInput): Explanation {
  return verdictOf(walkToken(input));
}

function verdictOf(walk: Walk): Explanation {
  const failed = walk.decisive !== undefined ? (walk.decisive ?? undefined) : GRAFANA_ORDER.map((id) => walk.steps.find((s) => s.step === id && !s.ok)).find((s) => s !== undefined);
  const id = walk.identity;
  const first = id?.orgRoles[0];
  const signedIn = !failed && id !== null;
  const base = {
    login: id?.login || null,
    email: id?.email || null,
    name: id?.name || null,
    role: signedIn ? (first?.role ?? null) : null,
    orgId: signedIn ? (first?.orgId ?? null) : null,
    grafanaAdmin: signedIn && id?.grafanaAdmin === true,
    steps: walk.steps,
    header: walk.header,
    claims: walk.claims,
    orgRoles: signedIn ? orgRolesObject(id!.orgRoles) : null,
    grafanaAdminSync: signedIn ? id!.grafanaAdmin : null,
    groups: walk.groups ?? null,
    advice: walk.advice ?? [],
  };
  if (failed || !id) {
    const reason = failed?.detail ?? 'the token could not be read';
    const outcome: Outcome = walk.outcome && walk.outcome !== 'accepted' ? walk.outcome : failed?.step === 'header' ? 'never-sees' : 'rejected';
    const lead = outcome === 'never-sees' ? 'Grafana never sees this token' : outcome === 'skipped' ? 'Grafana skips this token' : 'Grafana rejects this token';
    return { verdict: 'rejected', outcome, summary: `${lead}: ${reason}`, ...base };
  }
  // Grafana uses the email as the login when the login is empty (user sync).
  const login = id.login || id.email;
  const who = `${id.email || id.login} (login ${login})`;
  const roles = id.orgRoles.map(describeOrgRole).join(', ');
  const roleText = id.roleFromToken ? roles : `${roles} (auto_assign_org_role, for a new user)`;
  const admin = id.grafanaAdmin === true ? ', and makes them a Grafana server admin' : id.grafanaAdmin === false ? ', and removes Grafana server admin if they had it' : '';
  const condition = id.newUserRefusal ? `, if that user exists already (a new one gets ${id.newUserRefusal})` : '';
  return { verdict: 'accepted', outcome: 'accepted', summary: `Grafana signs in ${who} as ${roleText}${admin}${condition}`, ...base };
}

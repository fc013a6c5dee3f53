// The one-line verdict and the JSON shape of `explain --json`.
import { describeOrgRole } from './role.js';
import { walkToken, type ExplainInput, type Step, type StepId, type Walk } from './steps.js';

export interface Explanation {
  verdict: 'accepted' | 'rejected';
  /** The verdict line: `Grafana signs in …` or `Grafana rejects this token: …`. */
  summary: string;
  login: string | null;
  email: string | null;
  name: string | null;
  role: string | null;
  orgId: number | string | null;
  grafanaAdmin: boolean;
  steps: Step[];
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
}

// The order in which Grafana meets the failures: the header and the sub check (authn `Test`) come
// before verification; the role check comes before the "missing login and email" check.
const GRAFANA_ORDER: StepId[] = ['header', 'token', 'sub', 'key', 'signature', 'expect_claims', 'time', 'role', 'login/email'];

export function explainToken(input: ExplainInput): Explanation {
  return verdictOf(walkToken(input));
}

function verdictOf(walk: Walk): Explanation {
  const failed = GRAFANA_ORDER.map((id) => walk.steps.find((s) => s.step === id && !s.ok)).find((s) => s !== undefined);
  const id = walk.identity;
  const first = id?.orgRoles[0];
  const base = {
    login: id?.login || null,
    email: id?.email || null,
    name: id?.name || null,
    role: failed ? null : (first?.role ?? null),
    orgId: failed ? null : (first?.orgId ?? null),
    grafanaAdmin: !failed && id?.grafanaAdmin === true,
    steps: walk.steps,
    header: walk.header,
    claims: walk.claims,
  };
  if (failed || !id) {
    const reason = failed?.detail ?? 'the token could not be read';
    // authn's Test() parses the token for its sub: a token that does not parse, or has no sub, is skipped silently.
    const lead =
      failed?.step === 'header' ? 'Grafana never sees this token' : failed?.step === 'token' || failed?.step === 'sub' ? 'Grafana ignores this token' : 'Grafana rejects this token';
    return { verdict: 'rejected', summary: `${lead}: ${reason}`, ...base };
  }
  // Grafana uses the email as the login when the login is empty (user sync).
  const login = id.login || id.email;
  const who = `${id.email || id.login} (login ${login})`;
  const roles = id.orgRoles.map(describeOrgRole).join(', ');
  const roleText = id.roleFromToken ? roles : `${roles} (auto_assign_org_role, for a new user)`;
  const admin = id.grafanaAdmin ? ', and makes them a Grafana server admin' : '';
  const condition = id.newUserRefusal ? `, if that user exists already (a new one gets ${id.newUserRefusal})` : '';
  return { verdict: 'accepted', summary: `Grafana signs in ${who} as ${roleText}${admin}${condition}`, ...base };
}

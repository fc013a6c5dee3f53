// `smoke`'s judgement: what the running Grafana answered to the token Pomerium would send, beside what
// explain predicts from the files for the same token. Pure: the command does the I/O.
import type { Explanation } from '../explain/verdict.js';
import type { Identity } from '../explain/steps.js';

/** What Grafana answered: GET /api/user (and, when that worked, GET /api/user/orgs). */
export interface GrafanaAnswer {
  status: number;
  message: string;
  user: { login: string; email: string; isGrafanaAdmin: boolean } | null;
  orgs: { orgId: number; role: string }[];
}

export interface Difference {
  /** Which part: sign-in, user, role, server admin. */
  part: string;
  grafana: string;
  files: string;
}

export interface Comparison {
  agree: boolean;
  differences: Difference[];
  /** Lines that explain an agreement that needs a word (a refusal both sides expect). */
  notes: string[];
}

export function compareAnswer(predicted: Omit<Explanation, 'steps'>, identity: Identity | null, answer: GrafanaAnswer): Comparison {
  const differences: Difference[] = [];
  const notes: string[] = [];
  const signedIn = answer.status === 200 && answer.user !== null;
  const refused = `HTTP ${answer.status}${answer.message ? ` ${JSON.stringify(answer.message)}` : ''}`;

  if (predicted.verdict === 'rejected') {
    if (signedIn) differences.push({ part: 'sign-in', grafana: `signed in ${answer.user!.login}`, files: predicted.summary });
    else notes.push(`Grafana refused the token (${refused}), as the files predict`);
    return { agree: differences.length === 0, differences, notes };
  }

  if (!signedIn) {
    // auto_sign_up off and no such user: the refusal the files predict for a user Grafana does not know.
    if (identity?.newUserRefusal && answer.status === 401 && /sign up is disabled|user not found/i.test(answer.message)) {
      notes.push(`Grafana has no user ${identity.email || identity.login} and auto_sign_up is off, so it answers ${refused}, as the files predict for a new user: add the user with grafana-pomerium users add --email ${identity.email || identity.login}`);
      return { agree: true, differences, notes };
    }
    differences.push({ part: 'sign-in', grafana: `refused the token (${refused})`, files: predicted.summary });
    return { agree: false, differences, notes };
  }

  const user = answer.user!;
  // Grafana's user sync finds an existing user by the token's login or by its email: either is the same person.
  const sameLogin = predicted.login !== null && user.login.toLowerCase() === predicted.login.toLowerCase();
  const sameEmail = predicted.email !== null && predicted.email !== '' && user.email.toLowerCase() === predicted.email.toLowerCase();
  if (!sameLogin && !sameEmail) {
    differences.push({ part: 'user', grafana: `login ${user.login}, email ${user.email}`, files: `login ${predicted.login ?? '?'}, email ${predicted.email ?? '?'}` });
  } else if (!sameLogin) {
    notes.push(`Grafana signed in its existing user ${user.login}, found by the email ${user.email} (the token's login is ${predicted.login})`);
  }
  const orgId = typeof predicted.orgId === 'number' ? predicted.orgId : 1;
  const role = answer.orgs.find((o) => o.orgId === orgId)?.role ?? 'no role (not a member)';
  if (predicted.role !== null) {
    if (identity?.roleFromToken === false) {
      // auto_assign_org_role applies to new users only: an existing user keeps the role it has.
      if (role !== predicted.role) notes.push(`role ${role} in org ${orgId}: the files give new users ${predicted.role}; Grafana keeps an existing user's role`);
    } else if (role !== predicted.role) {
      differences.push({ part: 'role', grafana: `${role} in org ${orgId}`, files: `${predicted.role} in org ${orgId}` });
    }
  }
  if (identity?.grafanaAdmin !== null && identity?.grafanaAdmin !== undefined && identity.grafanaAdmin !== user.isGrafanaAdmin) {
    differences.push({ part: 'server admin', grafana: user.isGrafanaAdmin ? 'yes' : 'no', files: identity.grafanaAdmin ? 'yes' : 'no' });
  }
  return { agree: differences.length === 0, differences, notes };
}

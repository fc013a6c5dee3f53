import { isCollection, visit, type Node } from 'yaml';
import { LineIndex, type Span } from '../../core/span.js';
import { YAML_OPTIONS } from '../../pomerium/read.js';
import { parseDocumentOnce } from '../../pomerium/parse-once.js';
import { defineRule, type RuleContext } from '../types.js';

type Path = (string | number)[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{accept: …}`: PPL's accept criterion ignores its value, so `accept: false` lets everyone in too. */
const isAccept = (criterion: unknown) => isObject(criterion) && Object.keys(criterion).length === 1 && 'accept' in criterion;

/**
 * Where a PPL policy lets everyone in: an allow rule whose `or` holds `accept`, or whose `and` holds
 * nothing else. Pomerium ORs every allow block, so one such block opens the route. The path leads
 * to the `accept` value inside the policy; null when nothing accepts everyone.
 */
export function publicAcceptPath(policy: unknown): Path | null {
  const rules = Array.isArray(policy) ? policy.map((rule, i) => ({ rule, at: [i] as Path })) : [{ rule: policy, at: [] as Path }];
  for (const { rule, at } of rules) {
    const allow = isObject(rule) ? rule.allow : undefined;
    if (!isObject(allow)) continue;
    const or = Array.isArray(allow.or) ? allow.or.findIndex(isAccept) : -1;
    if (or >= 0) return [...at, 'allow', 'or', or, 'accept'];
    if (Array.isArray(allow.and) && allow.and.length > 0 && allow.and.every(isAccept)) return [...at, 'allow', 'and', 0, 'accept'];
  }
  return null;
}

/** The span of the node at `path` inside the value written at `span`, or `span` when it cannot be found (an env variable, aliases). */
function spanInside(ctx: RuleContext, span: Span, path: Path): Span {
  const text = ctx.textOf(span.file);
  if (text === undefined) return span;
  const index = new LineIndex(text, span.file);
  const start = index.offset(span.line, span.column);
  let found: Span = span;
  visit(parseDocumentOnce(text, YAML_OPTIONS), (_key, node) => {
    if (!isCollection(node) || node.range?.[0] !== start) return undefined;
    const target = node.getIn(path, true) as Node | undefined;
    if (target?.range) found = index.span(target.range[0], target.range[1]);
    return visit.BREAK;
  });
  return found;
}

export default defineRule({
  meta: {
    id: 'pomerium/public-route',
    description: "Grafana's route is not open to everyone",
    severity: 'error',
    requires: ['pomerium'],
    messages: {
      legacyPublic:
        'allow_public_unauthenticated_access lets anyone reach Grafana without signing in; the JWT Pomerium sends then carries no user (empty sub), which Grafana ignores, so visitors meet Grafana\'s own login or anonymous access',
      pplAccept:
        'this policy accepts every request (`accept`), so anyone reaches Grafana without signing in; the JWT then carries no user (empty sub), which Grafana ignores',
    },
  },
  check(ctx, report) {
    const route = ctx.route;
    const file = ctx.pomerium!.file;
    if (!route) return;
    const hint = 'allow only your users, e.g. policy: [{allow: {or: [{domain: {is: example.com}}]}}]';
    if (route.allowPublicUnauthenticatedAccess?.value === true) {
      report({ messageId: 'legacyPublic', span: route.allowPublicUnauthenticatedAccess.span, file, hint: `delete allow_public_unauthenticated_access and ${hint}` });
    }
    const path = route.policy && publicAcceptPath(route.policy.value);
    if (path) {
      const span = route.policy!.span && spanInside(ctx, route.policy!.span, path);
      report({ messageId: 'pplAccept', span, file, hint: `remove the accept criterion and ${hint}` });
    }
  },
});

import { defineRule } from '../types.js';

/** Points at the `routes:`/`policy:` key, else the top of the file, for a route that could not be chosen. */
export default defineRule({
  meta: {
    id: 'cross/no-grafana-route',
    description: 'The Pomerium config has a route for Grafana, and doctor can tell which one it is',
    severity: 'error',
    requires: ['pomerium'],
    messages: {
      noRoutes: 'the Pomerium config has no routes (neither `routes` nor `policy`): nothing sends Grafana the X-Pomerium-Jwt-Assertion header',
      notFound: 'no route for Grafana: {{why}}',
      ambiguous: 'cannot tell which route is Grafana\'s: {{why}}; the cross-checks of the route are skipped',
      guessed: 'taking {{from}} as Grafana\'s route because {{why}}: this is a guess',
    },
  },
  check(ctx, report) {
    const choice = ctx.routeChoice;
    const model = ctx.pomerium;
    if (choice && 'route' in choice && choice.guess) {
      const from = choice.route.from?.value ?? '(no from)';
      // info: a choice doctor could not confirm (the severity rule: could not check)
      report({ messageId: 'guessed', severity: 'info', data: { from, why: choice.why ?? '' }, span: choice.route.from?.span ?? choice.route.span, file: model?.file ?? null, hint: `if it is not, pass --route <from-url>; set Grafana's [server] root_url to ${from} to make it certain` });
      return;
    }
    if (!choice || !model || !('error' in choice)) return;
    // The routes are in a part doctor could not read (input/form says so): "no routes" would be false.
    if (choice.error === 'none' && ctx.unread?.some((u) => u.side === 'pomerium' && u.whole)) return;
    const listKey = model.topLevelKeys.find((k) => k.name.toLowerCase() === 'routes') ?? model.topLevelKeys.find((k) => k.name.toLowerCase() === 'policy');
    const top = model.file ? { file: model.file, line: 1, column: 1, endLine: 1, endColumn: 1 } : null;
    const span = listKey?.span ?? top;
    if (choice.error === 'none') {
      report({
        messageId: 'noRoutes',
        span,
        file: model.file,
        hint: 'add a route: `routes: [{from: https://grafana.example.com, to: http://grafana:3000, pass_identity_headers: true, preserve_host_header: true, policy: ...}]`',
      });
      return;
    }
    const why = choice.message.split('\n')[0]!.replace(/:$/, '');
    const candidates = choice.candidates.map((r) => r.from?.value ?? '(no from)').join(', ');
    // "Cannot tell" is info (could not check); no route for Grafana's own root_url host is an error.
    const rootUrlKnown = Boolean(ctx.grafana?.str('server', 'root_url'));
    report({
      messageId: choice.error === 'ambiguous' ? 'ambiguous' : 'notFound',
      severity: choice.error === 'not-found' && rootUrlKnown ? 'error' : 'info',
      data: { why },
      span,
      file: model.file,
      hint: `the candidates are ${candidates}; choose one with --route <from-url>, or set Grafana's [server] root_url to the route's from URL`,
    });
  },
});

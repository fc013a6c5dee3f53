import { defineRule } from '../types.js';

/**
 * One finding for a file that is not the form its flag expects (a template, Terraform, a fragment, an ini
 * in a heredoc), instead of the cascade of syntax errors reading it as that form would give.
 */
export default defineRule({
  meta: {
    id: 'input/form',
    description: 'A file given to doctor is a template, Terraform or a fragment: said once, with what to do',
    // info: what was not read could not be checked (the severity rule, docs/rules/README.md)
    severity: 'info',
    requires: [],
    messages: {
      notRead: '{{message}}',
      readAs: '{{message}}',
    },
  },
  check(ctx, report) {
    for (const u of ctx.unread ?? []) {
      report({ messageId: u.whole ? 'notRead' : 'readAs', data: { message: u.message }, span: u.span, file: u.file, hint: u.hint });
    }
  },
});

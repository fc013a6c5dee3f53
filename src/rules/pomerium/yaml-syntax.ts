import { defineRule } from '../types.js';

/** The config file (or a `ROUTES`/`POLICY` variable) that Pomerium cannot parse: it stops at start-up. */
export default defineRule({
  meta: {
    id: 'pomerium/yaml-syntax',
    description: 'The Pomerium config parses as YAML or JSON',
    severity: 'error',
    requires: ['pomerium'],
    judgesUnparsedInput: true,
    messages: {
      syntax: 'Pomerium cannot read its config: {{error}}; it refuses to start',
    },
  },
  check(ctx, report) {
    const model = ctx.pomerium!;
    for (const error of model.errors) {
      report({
        messageId: 'syntax',
        data: { error: error.message },
        span: error.span,
        file: model.file,
        hint: 'fix the YAML at this position (indentation, a missing ":", or quote a value that holds ": ", " #" or starts with "*", "&", "!", "{", "[")',
      });
    }
  },
});

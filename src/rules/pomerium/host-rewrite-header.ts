import { LineIndex } from '../../core/span.js';
import type { Fix } from '../../core/finding.js';
import type { KeyRef, PomeriumRoute } from '../../pomerium/model-types.js';
import { defineRule } from '../types.js';

/** A switch written where a header name belongs (`true`, `false`, or those words quoted). */
function isBoolLike(value: unknown): boolean {
  return typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value));
}

/** The header name Pomerium ends up with: its loose decoding turns a YAML bool into "1" or "0". */
function headerName(value: unknown): string {
  return typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
}

const keyOf = (route: PomeriumRoute, name: string): KeyRef | undefined => route.keys.find((k) => k.name.toLowerCase() === name);

type IndexOf = (file: string) => LineIndex | undefined;

/** Renames `host_rewrite_header` to `preserve_host_header`, keeping `true`: only when the route has no preserve_host_header yet. */
function renameFix(indexOf: IndexOf, route: PomeriumRoute): Fix | undefined {
  const key = keyOf(route, 'host_rewrite_header')?.span;
  if (!key || route.hostRewriteHeader?.value !== true || keyOf(route, 'preserve_host_header')) return undefined;
  const index = indexOf(key.file);
  if (!index) return undefined;
  return {
    file: key.file,
    description: 'replace host_rewrite_header: true with preserve_host_header: true',
    edits: [{ start: index.offset(key.line, key.column), end: index.offset(key.endLine, key.endColumn), text: 'preserve_host_header' }],
  };
}

export default defineRule({
  meta: {
    id: 'pomerium/host-rewrite-header',
    description: 'host_rewrite_header names a header, it is not a switch',
    severity: 'warning',
    requires: ['pomerium'],
    messages: {
      boolHeaderName:
        'host_rewrite_header takes the name of a request header whose value becomes the Host, not a switch: Pomerium asks Envoy for a header named "{{name}}", which no request has, so the original Host is likely kept (as with preserve_host_header) only by accident',
    },
  },
  check(ctx, report) {
    const file = ctx.pomerium!.file;
    // One index per file for all the fixes: one per route would make the rule quadratic in the routes.
    const indexes = new Map<string, LineIndex>();
    const indexOf: IndexOf = (path) => {
      const text = ctx.textOf(path);
      if (text === undefined) return undefined;
      let index = indexes.get(path);
      if (!index) indexes.set(path, (index = new LineIndex(text, path)));
      return index;
    };
    for (const route of ctx.pomerium!.routes) {
      const header = route.hostRewriteHeader;
      if (!header || !isBoolLike(header.value)) continue;
      const fix = renameFix(indexOf, route);
      report({
        messageId: 'boolHeaderName',
        data: { name: headerName(header.value) },
        span: header.span,
        file,
        hint: 'to keep the browser\'s Host (what Grafana\'s origin check needs), write preserve_host_header: true instead',
        ...(fix ? { fix } : {}),
      });
    }
  },
});

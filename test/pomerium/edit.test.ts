import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { appendRoute, setRouteOption } from '../../src/pomerium/edit.js';
import { readPomeriumConfig } from '../../src/pomerium/read.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/pomerium/${name}`, import.meta.url), 'utf8');

/** The lines of `after` that differ from `before`, assuming only insertions/replacements at one place. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail) };
}

const grafanaRoute = {
  from: 'https://grafana.example.com',
  to: 'http://grafana:3000',
  pass_identity_headers: true,
  policy: [{ allow: { or: [{ email: { is: 'you@example.com' } }] } }],
};

describe('setRouteOption', () => {
  it('adds a missing key after the route, changing only that line', () => {
    const text = fixture('guide-v5.yaml');
    const out = setRouteOption(text, 'guide-v5.yaml', 0, 'preserve_host_header', true);
    expect(changedLines(text, out)).toEqual({ removed: [], added: ['    preserve_host_header: true'] });
    expect(readPomeriumConfig(out, 'x').routes[0]?.preserveHostHeader?.value).toBe(true);
  });

  it('replaces an existing value in place, keeping the comment after it', () => {
    const text = 'routes:\n  - from: https://g.example.com # grafana\n    pass_identity_headers: false # why not\n    to: http://g:3000\n';
    const out = setRouteOption(text, 'p.yaml', 0, 'pass_identity_headers', true);
    expect(out).toBe(text.replace('false # why not', 'true # why not'));
  });

  it('edits a route from the legacy policy list (merged order: policy first)', () => {
    const text = fixture('policy-and-routes.yaml');
    const out = setRouteOption(text, 'p.yaml', 0, 'pass_identity_headers', true);
    expect(changedLines(text, out)).toEqual({ removed: [], added: ['    pass_identity_headers: true'] });
    const m = readPomeriumConfig(out, 'p.yaml');
    expect(m.routes[0]?.passIdentityHeaders?.value).toBe(true);
    expect(m.routes[0]?.list).toBe('policy');
    expect(setRouteOption(text, 'p.yaml', 2, 'pass_identity_headers', true)).toBe(text.replace('pass_identity_headers: false', 'pass_identity_headers: true'));
  });

  it('fills a key that has no value', () => {
    const text = 'routes:\n  - from: https://g.example.com\n    preserve_host_header:\n';
    expect(setRouteOption(text, 'p.yaml', 0, 'preserve_host_header', true)).toBe('routes:\n  - from: https://g.example.com\n    preserve_host_header: true\n');
  });

  it('overrides a key that only comes from a << merge with an explicit one', () => {
    const text = fixture('anchors.yaml');
    const out = setRouteOption(text, 'a.yaml', 0, 'pass_identity_headers', false);
    expect(changedLines(text, out).added).toEqual(['    pass_identity_headers: false']);
    const m = readPomeriumConfig(out, 'a.yaml');
    expect(m.routes[0]?.passIdentityHeaders?.value).toBe(false);
    expect(m.routes[1]?.passIdentityHeaders?.value).toBe(false);
  });

  it('keeps JSON configs JSON', () => {
    const text = fixture('config.json');
    const out = setRouteOption(text, 'config.json', 0, 'preserve_host_header', true);
    expect(JSON.parse(out).routes[0].preserve_host_header).toBe(true);
    expect(changedLines(text, out).removed).toHaveLength(1);
  });

  it('keeps CRLF line endings', () => {
    const text = fixture('crlf.yaml');
    const out = setRouteOption(text, 'crlf.yaml', 0, 'pass_identity_headers', true);
    expect(out).toBe(`${text}    pass_identity_headers: true\r\n`);
  });

  it('adds a line break when the file has no final one, and quotes strings YAML would misread', () => {
    const out = setRouteOption('routes:\n- from: https://g.example.com', 'p.yaml', 0, 'host_rewrite_header', 'true');
    expect(out).toBe('routes:\n- from: https://g.example.com\n  host_rewrite_header: "true"\n');
  });

  it('refuses a file with YAML errors, pointing at the first error, and a route that does not exist', () => {
    const text = fixture('syntax-error.yaml');
    let error: unknown;
    try {
      setRouteOption(text, 'syntax-error.yaml', 0, 'pass_identity_headers', true);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).options.span).toMatchObject({ file: 'syntax-error.yaml', line: 4 });
    expect((error as UserError).message).not.toContain('hunter2');
    expect(() => setRouteOption(fixture('guide-v5.yaml'), 'g.yaml', 3, 'x', 1)).toThrow('there is no route #3');
  });
});

describe('appendRoute', () => {
  it('appends to an existing routes list, keeping the rest byte for byte', () => {
    const text = fixture('guide-v1.yaml');
    const out = appendRoute(text, 'guide-v1.yaml', grafanaRoute);
    expect(out.startsWith(text)).toBe(true);
    expect(out.slice(text.length)).toBe(
      [
        '  - from: https://grafana.example.com',
        '    to: http://grafana:3000',
        '    pass_identity_headers: true',
        '    policy:',
        '      - allow:',
        '          or:',
        '            - email:',
        '                is: you@example.com',
        '',
      ].join('\n'),
    );
    const m = readPomeriumConfig(out, 'x');
    expect(m.routes.map((r) => r.from?.value)).toEqual(['https://grafana.localhost.pomerium.io', 'https://grafana.example.com']);
    expect(m.routes[1]?.policy?.value).toEqual(grafanaRoute.policy);
  });

  it('creates routes: when the file has none, or when it is empty', () => {
    const text = '# pomerium\nauthenticate_service_url: https://auth.example.com\n';
    const out = appendRoute(text, 'p.yaml', { from: 'https://g.example.com', to: 'http://g:3000' });
    expect(out).toBe(`${text}routes:\n  - from: https://g.example.com\n    to: http://g:3000\n`);
    expect(readPomeriumConfig(appendRoute('', 'p.yaml', { from: 'https://g.example.com' }), 'p.yaml').routes).toHaveLength(1);
  });

  it('fills `routes:` with no value and `routes: ~`', () => {
    for (const line of ['routes:', 'routes: ~']) {
      const out = appendRoute(`${line}\nshared_secret: x\n`, 'p.yaml', { from: 'https://g.example.com' });
      expect(out).toBe('routes:\n  - from: https://g.example.com\nshared_secret: x\n');
    }
  });

  it('appends to flow lists and JSON configs as JSON', () => {
    const json = fixture('config.json');
    const out = appendRoute(json, 'config.json', { from: 'https://g2.example.com', to: 'http://g:3000' });
    expect(JSON.parse(out).routes.map((r: { from: string }) => r.from)).toEqual(['https://grafana.example.com', 'https://g2.example.com']);
    expect(JSON.parse(appendRoute('{"address": ":443"}', 'c.json', { from: 'https://g.example.com' }))).toEqual({
      address: ':443',
      routes: [{ from: 'https://g.example.com' }],
    });
    expect(appendRoute('{"routes": null}', 'c.json', { from: 'https://g.example.com' })).toBe('{"routes": [{"from":"https://g.example.com"}]}');
    expect(appendRoute('routes: []\n', 'p.yaml', { from: 'https://g.example.com' })).toBe('routes: [{"from":"https://g.example.com"}]\n');
  });

  it('refuses a routes key that is not a list', () => {
    expect(() => appendRoute('routes: https://x\n', 'p.yaml', grafanaRoute)).toThrow(UserError);
  });
});

// Where a rule's documentation is: its page ships inside the package (docs/rules/<id>.md; package.json
// "files" includes docs/), so it exists wherever the tool is installed, and `grafana-pomerium rule ID`
// prints it. No output points at a web address: the project has no public repository to link to.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOL_NAME = 'grafana-pomerium';

/**
 * What a report's `docs:` line says for a rule: the command that prints its page, which works from
 * any install (a clone, `npm install -g`, a packed tarball), unlike a path or a URL.
 */
export function ruleDocsUrl(ruleId: string): string {
  return `${TOOL_NAME} rule ${ruleId}`;
}

let root: string | null | undefined;

/**
 * The installed package's folder: the nearest folder above this module with our package.json
 * (src/report/ in a clone, dist/ or dist/chunks/ when bundled, node_modules/grafana-pomerium when installed).
 */
export function packageRoot(): string | null {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === TOOL_NAME) return (root = dir);
      } catch {
        // not ours: keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) return (root = null);
    dir = up;
  }
}

/** Rule ids are paths: `grafana/jwt-header-name` is docs/rules/grafana/jwt-header-name.md. */
export function ruleDocsFile(ruleId: string): string | null {
  const base = packageRoot();
  if (!base || !/^[a-z0-9-]+\/[a-z0-9-]+$/.test(ruleId)) return null;
  const file = join(base, 'docs', 'rules', `${ruleId}.md`);
  return existsSync(file) ? file : null;
}

/** The page's Markdown, or null when the rule has none. */
export function ruleDocsText(ruleId: string): string | null {
  const file = ruleDocsFile(ruleId);
  return file === null ? null : readFileSync(file, 'utf8');
}

/** SARIF's `help` for a rule (GitHub code scanning shows the Markdown): the page itself, carried in the report. */
export function ruleHelp(ruleId: string): { help?: { text: string; markdown: string } } {
  const text = ruleDocsText(ruleId);
  return text === null ? {} : { help: { text, markdown: text } };
}

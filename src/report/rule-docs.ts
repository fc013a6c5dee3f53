import { VERSION } from '../version.js';

export const TOOL_NAME = 'grafana-pomerium';
export const REPOSITORY_URL = 'https://github.com/grafana-pomerium/grafana-pomerium';

/**
 * The page that documents a rule, pinned to this release so the text matches the code that reported it.
 * Rule ids are paths: `grafana/jwt-header-name` lives at `docs/rules/grafana/jwt-header-name.md`.
 */
export function ruleDocsUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/v${VERSION}/docs/rules/${ruleId}.md`;
}

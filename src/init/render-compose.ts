// The Grafana service's `environment:` block for docker compose (map form). Every value is a quoted
// YAML string (compose wants strings; `true` would be a boolean) with `$` written `$$`, since compose
// interpolates `$VAR` in the file itself.
import { gfVariables } from './render-env.js';
import type { GrafanaSetting } from './settings.js';

/** A value as compose reads it back unchanged from a YAML file. */
function composeValue(value: string): string {
  return JSON.stringify(value.replaceAll('$', () => '$$'));
}

/** A compose file fragment (`docker compose -f docker-compose.yml -f this.yml` merges it) for the service `service`. */
export function renderCompose(settings: readonly GrafanaSetting[], header: readonly string[], grafanaVersion: string, service = 'grafana'): string {
  const lines = gfVariables(settings, grafanaVersion).flatMap((v) => [...(v.note ? [`      # ${v.note}`] : []), `      ${v.name}: ${composeValue(v.value)}`]);
  return `${header.map((line) => `# ${line}\n`).join('')}\nservices:\n  ${service}:\n    environment:\n${lines.map((l) => `${l}\n`).join('')}`;
}

// Fixes doctor --fix applies to the Grafana route that a finding does not carry itself: the same route
// edits init --write-pomerium makes, so init and doctor --fix agree (issue 10 item 5).
import type { Finding, Fix } from '../core/finding.js';
import { preservedHostFix } from '../init/pomerium-fix.js';
import type { DoctorContext } from './context.js';

/** A fix for `finding` when its rule gave none and one is known here (cross/host-header: preserve_host_header). */
export function routeFixFor(finding: Finding, context: DoctorContext): Fix | undefined {
  if (finding.fix || finding.ruleId !== 'cross/host-header') return undefined;
  const { pomerium, route } = context.ctx;
  if (!pomerium?.file || !route) return undefined;
  const text = context.ctx.textOf(pomerium.file);
  return text === undefined ? undefined : preservedHostFix(text, pomerium.file, route);
}

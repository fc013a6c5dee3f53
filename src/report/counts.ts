import type { Finding } from '../core/finding.js';

export interface SeverityCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  return { errors: count('error'), warnings: count('warning'), infos: count('info') };
}

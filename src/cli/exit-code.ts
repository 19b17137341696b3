/** The exit code of an audit: findings at or above --fail-on count, except those in the baseline. */
import type { AuditReport } from '../audit/report.js';
import { atLeast, type Severity } from '../types.js';
import { EXIT } from './io.js';

export function exitCode(report: AuditReport, config: { failOn: Severity | 'none' }): number {
  if (config.failOn === 'none') return EXIT.ok;
  const threshold = config.failOn;
  return report.findings.some((f) => !f.baseline && atLeast(f.severity, threshold)) ? EXIT.findings : EXIT.ok;
}

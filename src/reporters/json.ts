import { countByCheck, countBySeverity, type AuditReport } from '../audit/report.js';
import { VERSION } from '../version.js';

export function renderJson(report: AuditReport): string {
  const doc = {
    version: 1,
    tool: { name: 'pipewarden', version: VERSION },
    target: report.target,
    ...(report.identity ? { repository: `${report.identity.owner}/${report.identity.name}` } : {}),
    ...(report.identitySource ? { repositorySource: report.identitySource } : {}),
    findings: report.findings,
    suppressed: report.suppressed,
    unusedSuppressions: report.unusedSuppressions,
    errors: report.errors.map((e) => ({ file: e.file, line: e.line ?? null, message: e.message, ...(e.check ? { check: e.check } : {}) })),
    summary: {
      total: report.findings.length,
      suppressed: report.suppressed.length,
      baseline: report.findings.filter((f) => f.baseline).length,
      bySeverity: countBySeverity(report.findings),
      byCheck: countByCheck(report.findings),
      errors: report.errors.length,
      filesScanned: report.filesScanned,
      workflows: report.workflows,
      actions: report.actions,
    },
    secrets: report.secrets,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** GitHub Actions workflow commands: each finding becomes an annotation on its line. */
import type { AuditReport } from '../audit/report.js';
import type { Severity } from '../types.js';

const COMMAND: Record<Severity, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice' };

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function renderGithub(report: AuditReport): string {
  const lines = report.findings.map((f) => {
    const props = [
      `file=${escapeProperty(f.file)}`,
      `line=${f.line}`,
      `col=${f.column}`,
      `endLine=${f.endLine}`,
      `endColumn=${f.endColumn}`,
      `title=${escapeProperty(`pipewarden ${f.check} (${f.severity})`)}`,
    ];
    return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(`${f.message}. ${f.remediation}`)}`;
  });
  for (const e of report.errors) {
    lines.push(`::warning file=${escapeProperty(e.file)}${e.line ? `,line=${e.line}` : ''},title=pipewarden::${escapeData(e.message)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

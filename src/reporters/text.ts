import { styleText } from 'node:util';
import { countBySeverity, groups, type AuditReport } from '../audit/report.js';
import { SEVERITIES, type Severity } from '../types.js';

const SEVERITY_STYLE: Record<Severity, Parameters<typeof styleText>[0]> = {
  critical: ['bold', 'red'],
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'gray',
};

export function renderText(report: AuditReport, color: boolean): string {
  const paint = (style: Parameters<typeof styleText>[0], s: string): string => (color ? styleText(style, s) : s);
  const lines: string[] = [];
  let file = '';
  for (const f of report.findings) {
    if (f.file !== file) {
      if (file) lines.push('');
      file = f.file;
      lines.push(paint('underline', f.file));
    }
    const where = `${f.line}:${f.column}`.padEnd(8);
    lines.push(`  ${paint('dim', where)}${paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(9))}${f.message}  ${paint('dim', f.check)}`);
  }
  const grouped = groups(report.findings).filter((g) => g.count > 1);
  if (grouped.length) {
    lines.push('', paint('bold', 'Referenced from several places:'));
    for (const g of grouped) lines.push(`  ${String(g.count).padStart(4)} × ${g.group}  ${paint('dim', g.check)}`);
  }
  if (report.errors.length) {
    lines.push('', paint('bold', `Errors (${report.errors.length}):`));
    for (const e of report.errors) lines.push(`  ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
  }
  const counts = countBySeverity(report.findings);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => paint(SEVERITY_STYLE[s], `${counts[s]} ${s}`));
  if (lines.length) lines.push('');
  lines.push(
    `${report.findings.length === 0 ? 'No findings' : `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}: ${parts.join(', ')}`}` +
      ` (${report.workflows} workflow${report.workflows === 1 ? '' : 's'}, ${report.actions} action${report.actions === 1 ? '' : 's'}, ${report.filesScanned} files read)`,
  );
  return lines.join('\n') + '\n';
}

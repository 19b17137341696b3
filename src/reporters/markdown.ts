/** A summary for $GITHUB_STEP_SUMMARY or a pull-request comment. */
import { countBySeverity, groups, type AuditReport } from '../audit/report.js';
import { SEVERITIES } from '../types.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderMarkdown(report: AuditReport): string {
  const counts = countBySeverity(report.findings);
  const out = [`## pipewarden: ${cell(report.target)}`, ''];
  out.push('| ' + SEVERITIES.join(' | ') + ' |', '|' + SEVERITIES.map(() => ' ---: ').join('|') + '|', '| ' + SEVERITIES.map((s) => counts[s]).join(' | ') + ' |', '');
  if (report.findings.length === 0) out.push('No findings.', '');
  else {
    out.push('| Severity | Check | Location | Finding |', '| --- | --- | --- | --- |');
    for (const f of report.findings) out.push(`| ${f.severity} | \`${f.check}\` | \`${cell(f.file)}:${f.line}\` | ${cell(f.message)} |`);
    out.push('');
  }
  const grouped = groups(report.findings).filter((g) => g.count > 1);
  if (grouped.length) {
    out.push('**Referenced from several places:**', '');
    for (const g of grouped) out.push(`- ${g.count} × \`${cell(g.group)}\``);
    out.push('');
  }
  if (report.errors.length) {
    out.push(`<details><summary>${report.errors.length} file error(s)</summary>`, '');
    for (const e of report.errors) out.push(`- \`${cell(e.file)}${e.line ? `:${e.line}` : ''}\`: ${cell(e.message)}`);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}

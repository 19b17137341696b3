/** The overview: counts per severity and area, fixable, suppressed, and what to fix first. */
import type { ReactElement } from 'react';
import type { AuditReport } from '../../src/audit/report.js';
import { countBySeverity } from '../../src/audit/report.js';
import { SEVERITIES } from '../../src/types.js';
import { fixFirstOf, overviewRows, type AppState } from '../state.js';
import { Rows, SEVERITY_COLORS, type Seg } from '../theme.js';
import { cursorMark, windowOf } from './list.js';

export function OverviewScreen({ state, width, height }: { state: AppState; width: number; height: number }): ReactElement {
  const report = state.report as AuditReport;
  const counts = countBySeverity(report.findings);
  const fixable = report.findings.filter((f) => f.fixable);
  const safe = fixable.filter((f) => f.fix?.safety === 'safe').length;
  const expired = report.findings.filter((f) => f.check === 'expired-suppression').length;
  const first = fixFirstOf(report.findings);
  const rows = overviewRows(report);
  const head: Seg[][] = [
    [{ text: 'Repository ', dim: true }, { text: report.identity ? `${report.identity.owner}/${report.identity.name}` : report.target, bold: true }, `  ${report.findings.length} findings, ${report.filesScanned} files read (${report.workflows} workflows, ${report.actions} actions)`],
    [{ text: 'Severity   ', dim: true }, ...SEVERITIES.flatMap((s): Seg[] => [{ text: `${s} ${counts[s]}`, color: SEVERITY_COLORS[s] }, '  '])],
    [
      { text: 'Fixable    ', dim: true },
      `${fixable.length} (${safe} safe, ${fixable.length - safe} unsafe)   `,
      { text: 'Suppressed ', dim: true },
      `${report.suppressed.length}   `,
      { text: 'Expired suppressions ', dim: true },
      { text: String(expired), ...(expired ? { color: 'red' } : {}) },
      ...(report.unusedSuppressions.length ? [{ text: '   Unused suppressions ', dim: true }, String(report.unusedSuppressions.length)] : []),
    ],
    [],
  ];
  const body: Seg[][] = [];
  let section = '';
  rows.forEach((row, i) => {
    const title = row.kind === 'area' ? 'Areas (enter opens the area\'s findings)' : row.kind === 'top' ? 'Fix first' : 'The fix that closes most findings at once';
    if (title !== section) {
      section = title;
      body.push([{ text: title, bold: true }]);
    }
    const mark = cursorMark(i === state.overview.cursor);
    if (row.kind === 'area') body.push([mark, row.area!.padEnd(20), String(row.count).padStart(6)]);
    else if (row.kind === 'top') {
      const f = row.finding!;
      body.push([mark, { text: f.severity.padEnd(9), color: SEVERITY_COLORS[f.severity] }, `${f.file}:${f.line}  `, f.message, { text: `  (${f.check})`, dim: true }]);
    } else {
      const g = first.widestFix!;
      body.push([mark, { text: `${verb(g.check)} ${g.fixable} × ${g.subject}`, bold: true }, { text: `  (${g.check})`, dim: true }]);
    }
  });
  if (!rows.length) body.push([{ text: 'No findings.', color: 'green' }]);
  const room = Math.max(1, height - head.length);
  const cursorLine = Math.min(body.length - 1, state.overview.cursor + (rows.slice(0, state.overview.cursor + 1).reduce((n, r, i) => n + (i === 0 || r.kind !== rows[i - 1]!.kind ? 1 : 0), 0)));
  const [top] = windowOf(cursorLine, body.length, room);
  return <Rows rows={[...head, ...body.slice(top, top + room)]} width={width} />;
}

/** How the widest fix reads: pinning says "pin", the rest "fix". */
function verb(check: string): string {
  return check === 'unpinned-uses' || check === 'mutable-internal-ref' ? 'pin' : 'fix';
}

/** The findings list: only the rows on screen are drawn, whatever the number of findings. */
import type { ReactElement } from 'react';
import { filtered, findingRows, hasFilters, type AppState } from '../state.js';
import { Rows, sev, type Seg } from '../theme.js';
import { cursorMark, windowOf } from './list.js';

export function FindingsScreen({ state, width, height }: { state: AppState; width: number; height: number }): ReactElement {
  const report = state.report!;
  const list = filtered(report.findings, state.list.sort, state.list.filters);
  const rows = findingRows(state);
  const page = Math.max(1, height - 2);
  const [top] = windowOf(state.list.cursor, rows.length, page);
  const queued = new Set(state.queue.items.map((f) => f.fingerprint));
  const f = state.list.filters;
  const filters = [
    f.severity && `severity ${f.severity}`,
    f.area && `area ${f.area}`,
    f.check && `check ${f.check}`,
    f.fixable !== undefined && (f.fixable ? 'fixable' : 'not fixable'),
    f.groupKey && `group ${f.groupKey.replace('\0', ' ')}`,
    f.job && `job ${f.job.file} ${f.job.job}`,
    f.search && `search "${f.search}"`,
  ].filter(Boolean);
  const checkWidth = Math.min(26, Math.max(12, Math.floor(width * 0.2)));
  const locWidth = Math.min(40, Math.max(16, Math.floor(width * 0.3)));
  const out: Seg[][] = [
    [
      { text: `${list.length} of ${report.findings.length} findings`, bold: true },
      `  sort ${state.list.sort}  group ${state.list.grouping}`,
      hasFilters(f) ? { text: `  filter: ${filters.join(', ')}`, color: 'cyan' } : { text: '  no filter', dim: true },
    ],
    [{ text: `    ${'SEVERITY'.padEnd(9)}${'CHECK'.padEnd(checkWidth + 1)}${'WHERE'.padEnd(locWidth + 1)}MESSAGE`, dim: true }],
  ];
  if (rows.length === 0) out.push([{ text: '  no findings match', dim: true }]);
  rows.slice(top, top + page).forEach((row, i) => {
    const at = top + i;
    const mark = cursorMark(at === state.list.cursor);
    if (row.kind === 'group') {
      const segs: Seg[] = [mark, { text: row.expanded ? '▾ ' : '▸ ', color: 'cyan' }, sev(row.findings[0]!.severity, 9), { text: `${row.findings.length} × `, bold: true }];
      if (row.fixable) segs.push({ text: `(${row.fixable} fixable) `, color: 'green' });
      segs.push(row.label);
      out.push(segs);
      return;
    }
    const x = row.finding;
    const status = queued.has(x.fingerprint) ? { text: '✓', color: 'green' } : x.fixable ? { text: '+', color: 'green' } : state.skipped.has(x.fingerprint) ? { text: '-', dim: true } : { text: ' ' };
    out.push([
      mark,
      status,
      row.nested ? '  ' : ' ',
      sev(x.severity, 9),
      { text: x.check.slice(0, checkWidth).padEnd(checkWidth + 1), dim: true },
      `${x.file}:${x.line}`.slice(-locWidth).padEnd(locWidth + 1),
      x.baseline ? { text: '[baseline] ', dim: true } : '',
      x.message,
    ]);
  });
  return <Rows rows={out} width={width} />;
}

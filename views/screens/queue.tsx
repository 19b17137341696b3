/** The fix queue: accepted fixes, their combined diff, and what can be done with them. */
import type { ReactElement } from 'react';
import type { AppState } from '../state.js';
import { diffSegment, Rows, sev, type Seg } from '../theme.js';
import { cursorMark, windowOf } from './list.js';

export function QueueScreen({ state, width, height }: { state: AppState; width: number; height: number }): ReactElement {
  const q = state.queue;
  const rows: Seg[][] = [];
  rows.push([
    { text: `${q.items.length} accepted fix${q.items.length === 1 ? '' : 'es'}`, bold: true },
    { text: '   w write to the working tree   p save a patch   ', dim: true },
    state.pullRequests.available ? { text: 'P open a pull request', dim: true } : { text: `P ${state.pullRequests.reason}`, dim: true },
  ]);
  if (!q.items.length) {
    rows.push([{ text: '  nothing queued: accept fixes with y (one) or Y (a group) on the findings or detail screen', dim: true }]);
    return <Rows rows={rows} width={width} />;
  }
  // The list takes up to half the body; the diff the rest.
  const listRoom = Math.max(1, Math.min(q.items.length, Math.floor((height - 2) / 2)));
  const [top] = windowOf(q.cursor, q.items.length, listRoom);
  q.items.slice(top, top + listRoom).forEach((f, i) => {
    rows.push([cursorMark(top + i === q.cursor), sev(f.severity, 9), { text: `${f.check}  `, dim: true }, `${f.file}:${f.line}  `, f.fix?.title ?? f.message]);
  });
  rows.push([{ text: 'Combined diff', bold: true }, q.planning ? { text: '  planning…', dim: true } : '']);
  for (const n of q.notes) rows.push([{ text: `  ${n}`, color: 'yellow' }]);
  if (q.patch !== undefined) {
    const diff = q.patch ? q.patch.replace(/\n$/, '').split('\n') : ['(the queued fixes change nothing any more)'];
    const room = Math.max(1, height - rows.length);
    for (const l of diff.slice(0, room)) rows.push([diffSegment(l)]);
    if (diff.length > room) rows[rows.length - 1] = [{ text: `… ${diff.length - room + 1} more lines (save the patch to read it all)`, dim: true }];
  }
  return <Rows rows={rows.slice(0, height)} width={width} />;
}
